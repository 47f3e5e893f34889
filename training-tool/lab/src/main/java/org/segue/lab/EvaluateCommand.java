package org.segue.lab;

import org.segue.lab.eval.AttackerRun;
import org.segue.lab.nn.AttackerNetworks;
import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.check.Attacker;
import org.segue.engine.check.AttackerAugmentation;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.api.Cancellation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"The attacker: trains a network from scratch on a (protected) training folder and reports",
                "its accuracy on a clean test folder. Protection works when that accuracy is near chance.",
                "Counter-measures: --arch, --augment, --jpeg-quality, --adversarial, --resize."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--train", required = true, description = "training folder (e.g. protected): <identity>/<images>")
    Path train;

    @Option(names = "--test", required = true, description = "clean test folder with the same identity folder names")
    Path test;

    @Option(names = "--input-size", defaultValue = "112", description = "attacker resolution; default ${DEFAULT-VALUE}")
    int inputSize;

    @Option(names = "--resize", defaultValue = "area",
            description = "how images are resized to the input size: area (antialiased), bilinear, bicubic; default ${DEFAULT-VALUE}")
    String resize;

    @Option(names = "--epochs", defaultValue = "20", description = "attacker epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "16", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--arch", defaultValue = "resnet18",
            description = "resnet18, resnet50, mobilenetv2, inception, efficientnet; default ${DEFAULT-VALUE}")
    String arch;

    @Option(names = "--augment", defaultValue = "none",
            description = "none, cutout, mixup, cutmix, blur, reframe; default ${DEFAULT-VALUE}")
    String augment;

    @Option(names = "--grey", description = "turn every training and test image grey first (image shortcut squeezing)")
    boolean grey;

    @Option(names = "--face-only", description = "show the attacker only the face oval the protection may change "
            + "(mid-grey outside it), in training and test: does it learn the person from outside the oval?")
    boolean faceOnly;

    @Option(names = "--jpeg-quality", description = "re-compress every training file as JPEG at this quality first")
    Integer jpegQuality;

    @Option(names = "--adversarial", split = ",",
            description = "adversarial training: RADIUS_IN_LEVELS[,STEPS], e.g. 4,5 for rho_a = 4/255 with PGD-5")
    float[] adversarial;

    @Option(names = "--small-stem", description = "3x3/1 stem without down-sampling (the authors' choice for small inputs)")
    boolean smallStem;

    @Option(names = "--seed", defaultValue = "0", description = "the attacker's seed; its weights, batch order and "
            + "augmentation come from streams derived from it, not from those of a protection method seeded with "
            + "the same number (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "also write the result as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        float radius = adversarial == null ? 0f : adversarial[0] / 255f;
        int steps = adversarial == null ? 0 : adversarial.length > 1 ? (int) adversarial[1] : 5;
        Attacker.Config config = new Attacker.Config(epochs, batchSize, 5e-4f, smallStem, seed, AttackerNetworks.network(arch),
                AttackerAugmentation.parse(augment), radius, steps);
        AttackerRun run = new AttackerRun(train, test, inputSize, ImageOps.Filter.parse(resize), jpegQuality, grey,
                faceOnly, config);
        AttackerRun.Result r = run.run(new ConsoleProgress(System.err), new Cancellation());
        if (r == null) {
            return 130;
        }
        System.out.printf(Locale.ROOT, "attacker %s %d px (%s%s), %d epochs: train accuracy %.1f%%, "
                        + "clean test accuracy %.1f%% (%d images; chance %.1f%%), %.0f s%n",
                arch, inputSize, resize, (grey ? ", grey" : "") + (faceOnly ? ", face oval only" : ""), epochs, 100 * r.trainAccuracy(), 100 * r.testAccuracy(), r.testCount(),
                100 * r.chance(), r.seconds());
        if (json != null) {
            AtomicFiles.write(json, (r.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }
}
