package org.segue.lab;

import org.segue.lab.nn.Npz;
import ai.djl.Device;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.generator.Perturbation;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "import-official", mixinStandardHelpOptions = true,
        description = {"Converts the authors' PyTorch generator (state_dict saved as .npz) into a model file,",
                "for side-by-side comparisons. Their weights carry no licence: never ship the result."})
final class ImportOfficialCommand implements Callable<Integer> {

    @Option(names = "--npz", required = true, description = "state_dict as .npz")
    Path npz;

    @Option(names = "--output", required = true, description = "model file to write (.segue)")
    Path output;

    @Option(names = "--input-size", defaultValue = "224", description = "resolution the weights were trained at (default ${DEFAULT-VALUE})")
    int inputSize;

    @Override
    public Integer call() throws Exception {
        ModelInfo info = new ModelInfo(SegueGenerator.ARCHITECTURE, Perturbation.DEFAULT_EPSILON, inputSize, inputSize,
                LabelCode.DEFAULT_BITS, Map.of());
        try (SegueModel model = SegueModel.fromStateDict(Npz.read(npz), info, Device.cpu(), npz.toString())) {
            model.save(output, Map.of("source", "authors' released generator (" + npz.getFileName() + ")"));
        }
        System.out.println("Model written to " + output);
        return 0;
    }
}
