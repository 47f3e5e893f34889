package org.segue.lab;

import org.segue.engine.api.ConsoleProgress;
import org.segue.lab.baseline.ArTexture;
import org.segue.lab.baseline.ClassTexture;
import org.segue.lab.baseline.LspNoise;
import org.segue.lab.baseline.UnlearnableExamples;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.api.Cancellation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "protect-baseline", mixinStandardHelpOptions = true,
        description = {"Protects an ImageFolder dataset with a baseline method from the literature, for comparison:",
                "lsp (linearly separable patch noise from per-identity clusters, training-free, as its authors build it),",
                "ue-class and ue-sample",
                "(unlearnable examples: error-minimising noise by min-min optimisation), class-texture (a fixed random",
                "+-budget texture per person in cells of --cell pixels, --grey or colour, inside the face oval: a probe),",
                "ar (a causal 3x3 autoregressive process per person, a fresh sample per face, RMS half of --budget,",
                "clipped to it, --grey or colour, inside the face oval).",
                "Writes lossless PNGs",
                "in the same layout as protect-dataset and reports the generation time."})
final class ProtectBaselineCommand implements Callable<Integer> {

    @Option(names = "--method", required = true, description = "lsp | ue-class | ue-sample | class-texture | ar")
    String method;

    @Option(names = "--input", required = true, description = "dataset folder: <identity>/<images>")
    Path input;

    @Option(names = "--output", required = true, description = "output folder (must not exist yet)")
    Path output;

    @Option(names = "--input-size", defaultValue = "112",
            description = "UE: resolution the noise is optimised at (upsampled to each file's size); default ${DEFAULT-VALUE}")
    int inputSize;

    @Option(names = "--patch-size",
            description = "LSP: side of one uniform noise cell in pixels; default a quarter of the image side (4x4 cells)")
    Integer patchSize;

    @Option(names = "--cell", defaultValue = "2", description = "class-texture, ar: cell side in pixels of each file; default ${DEFAULT-VALUE}")
    int cell;

    @Option(names = "--budget", defaultValue = "8", description = "class-texture, ar: the largest change in 8-bit levels; default ${DEFAULT-VALUE}")
    float budget;

    @Option(names = "--grey", description = "class-texture, ar: the same change for R, G and B")
    boolean grey;

    @Option(names = "--max-rounds", description = "UE: override the number of min-min rounds")
    Integer maxRounds;

    @Option(names = "--seed", defaultValue = "0", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--json", description = "write the method, configuration and generation time here")
    Path json;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(output)) {
            throw new IllegalArgumentException(output + " exists; choose a new output folder");
        }
        double seconds;
        String details;
        switch (method) {
            case "lsp" -> {
                ImageFolder dataset = ImageFolder.scan(input);
                RgbImage first = ImageCodec.read(dataset.samples().get(0).file());
                LspNoise lsp = patchSize == null ? LspNoise.withDefaults(first.height(), first.width(), seed)
                        : new LspNoise(first.height(), first.width(), patchSize, LspNoise.DEFAULT_EPS, seed);
                seconds = lsp.protectFolder(input, output);
                details = String.format(Locale.ROOT, "\"patchSize\":%d,\"rmsEps\":%.6f", lsp.patchSize(), lsp.eps());
            }
            case "class-texture", "ar" -> {
                seconds = method.equals("ar") ? new ArTexture(cell, budget / 255f, grey, seed).protectFolder(input, output)
                        : new ClassTexture(cell, budget / 255f, grey, seed).protectFolder(input, output);
                details = String.format(Locale.ROOT, "\"cell\":%d,\"budgetLevels\":%.1f,\"grey\":%b", cell, budget, grey);
            }
            case "ue-class", "ue-sample" -> {
                UnlearnableExamples.Config config = UnlearnableExamples.Config.defaults(method.equals("ue-class"))
                        .withInputSize(inputSize);
                if (maxRounds != null) {
                    config = config.withMaxRounds(maxRounds);
                }
                UnlearnableExamples.Result result = UnlearnableExamples.protectFolder(input, output, config,
                        new ConsoleProgress(System.err), new Cancellation());
                seconds = result.seconds();
                // accuracy of the noise-finding model on the noisy and on the clean training images
                details = String.format(Locale.ROOT, "\"config\":%s,\"rounds\":%d,\"converged\":%b,"
                                + "\"noisyTrainAccuracy\":%.4f,\"cleanTrainAccuracy\":%.4f,\"roundAccuracies\":%s",
                        jsonObject(config.describe()), result.rounds(), result.converged(), result.accuracy(),
                        result.cleanAccuracy(), result.history().stream()
                                .map(r -> String.format(Locale.ROOT, "%.4f", r.accuracy()))
                                .collect(java.util.stream.Collectors.joining(",", "[", "]")));
            }
            default -> throw new IllegalArgumentException("unknown method '" + method + "': use lsp, ue-class, ue-sample, class-texture or ar");
        }
        System.out.printf(Locale.ROOT, "%s: %s protected into %s in %.1f s%n", method, input, output, seconds);
        if (json != null) {
            String text = String.format(Locale.ROOT, "{\"method\":\"%s\",\"input\":\"%s\",\"seconds\":%.2f,%s,\"machine\":\"%s, %d cores\"}%n",
                    method, input, seconds, details, System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors());
            AtomicFiles.write(json, text.getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }

    /** A string map as a JSON object (keys and values are plain recipe text; quotes become apostrophes). */
    private static String jsonObject(java.util.Map<String, String> map) {
        StringBuilder b = new StringBuilder("{");
        map.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append('"').append(k.replace("\"", "'"))
                .append("\":\"").append(v.replace("\\", "/").replace("\"", "'")).append('"'));
        return b.append('}').toString();
    }
}
