package org.segue.tool;

import org.segue.engine.data.ImageFolder;
import org.segue.engine.data.RgbImage;
import org.segue.engine.eval.Attacker;
import org.segue.engine.io.AtomicFiles;
import org.segue.engine.progress.Cancellation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"The attacker: trains a ResNet18 from scratch on a (protected) training folder and reports",
                "its accuracy on a clean test folder. Protection works when that accuracy is near chance."})
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--train", required = true, description = "training folder (e.g. protected): <identity>/<images>")
    Path train;

    @Option(names = "--test", required = true, description = "clean test folder with the same identity folder names")
    Path test;

    @Option(names = "--input-size", defaultValue = "112", description = "attacker resolution (antialiased resize); default ${DEFAULT-VALUE}")
    int inputSize;

    @Option(names = "--epochs", defaultValue = "20", description = "attacker epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "16", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--small-stem", description = "3x3/1 stem without max-pool (the authors' choice for small inputs)")
    boolean smallStem;

    @Option(names = "--seed", defaultValue = "0", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--json", description = "also write the result as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        ImageFolder trainSet = ImageFolder.scan(train);
        ImageFolder testSet = ImageFolder.scan(test);
        if (!trainSet.classes().equals(testSet.classes())) {
            throw new IllegalArgumentException("train and test folders must hold the same identity folders");
        }
        List<RgbImage> trainImages = trainSet.load(inputSize, inputSize);
        List<RgbImage> testImages = testSet.load(inputSize, inputSize);
        Attacker.Config config = new Attacker.Config(epochs, batchSize, 5e-4f, smallStem, seed);
        long t0 = System.nanoTime();
        try (Attacker attacker = Attacker.train(config, trainImages, trainSet.labels(), trainSet.classes().size(),
                new TerminalProgress(System.err), new Cancellation())) {
            double seconds = (System.nanoTime() - t0) / 1e9;
            Attacker.Score trainScore = attacker.score(trainImages, trainSet.labels());
            Attacker.Score testScore = attacker.score(testImages, testSet.labels());
            System.out.printf(Locale.ROOT, "attacker ResNet18 (%s stem) %d px, %d epochs: train accuracy %.1f%%, "
                            + "clean test accuracy %.1f%% (%d images; chance %.1f%%), %.0f s%n",
                    smallStem ? "3x3/1" : "7x7/2", inputSize, epochs, 100 * trainScore.accuracy(),
                    100 * testScore.accuracy(), testScore.count(), 100.0 / trainSet.classes().size(), seconds);
            if (json != null) {
                String text = String.format(Locale.ROOT, "{\"train\":\"%s\",\"test\":\"%s\",\"inputSize\":%d,\"epochs\":%d,"
                                + "\"batchSize\":%d,\"smallStem\":%b,\"seed\":%d,\"trainAccuracy\":%.4f,\"testAccuracy\":%.4f,"
                                + "\"testLoss\":%.4f,\"seconds\":%.1f,\"machine\":\"%s, %d cores\"}%n",
                        train, test, inputSize, epochs, batchSize, smallStem, seed, trainScore.accuracy(),
                        testScore.accuracy(), testScore.loss(), seconds, System.getProperty("os.arch"),
                        Runtime.getRuntime().availableProcessors());
                AtomicFiles.write(json, text.getBytes(StandardCharsets.UTF_8));
            }
            return 0;
        }
    }
}
