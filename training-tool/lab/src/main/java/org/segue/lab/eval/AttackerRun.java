package org.segue.lab.eval;

import org.segue.engine.check.Attacker;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.lab.nn.AttackerNetworks;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One measurement of the evaluation protocol: an attacker trained from scratch on a training folder
 * (protected or clean), after the preprocessing the attacker chooses (JPEG re-compression of the
 * files, resizing to its input size with some filter), then tested on a clean test folder. The
 * figure that matters is the clean test accuracy: near chance means the protection works.
 *
 * @param train       training folder {@code <identity>/<images>}
 * @param test        clean test folder with the same identity folders
 * @param inputSize   the attacker's square input size; every image is resized to it
 * @param resize      the resize filter of the attacker's pipeline
 * @param jpegQuality re-compress each training file as JPEG at this quality before resizing; null: no
 * @param grey        turn every training and test image grey first (Rec. 601 luma on all three channels): the
 *                    attacker's one-line counter-measure to protection carried by colour (image shortcut squeezing)
 * @param faceOnly    show the attacker only the face oval of each training and test image (outside it mid-grey,
 *                    blended by the oval's feathered weight): a probe of whether an attacker learns a person from
 *                    what lies outside the part the protection changes (hair, ears, background)
 * @param attacker    architecture, optimiser and counter-measures of the attacker
 */
public record AttackerRun(Path train, Path test, int inputSize, ImageOps.Filter resize, Integer jpegQuality,
                          boolean grey, boolean faceOnly, Attacker.Config attacker) {

    /** A run on the images' own colours. */
    public AttackerRun(Path train, Path test, int inputSize, ImageOps.Filter resize, Integer jpegQuality,
                       Attacker.Config attacker) {
        this(train, test, inputSize, resize, jpegQuality, false, false, attacker);
    }

    /** A run that sees the whole of each image. */
    public AttackerRun(Path train, Path test, int inputSize, ImageOps.Filter resize, Integer jpegQuality,
                       boolean grey, Attacker.Config attacker) {
        this(train, test, inputSize, resize, jpegQuality, grey, false, attacker);
    }

    public AttackerRun {
        if (inputSize < 16) {
            throw new IllegalArgumentException("attacker input size must be at least 16, was " + inputSize);
        }
        if (jpegQuality != null && (jpegQuality < 1 || jpegQuality > 100)) {
            throw new IllegalArgumentException("JPEG quality must be in 1..100, was " + jpegQuality);
        }
    }

    /** What one run measured. */
    public record Result(AttackerRun run, int classes, double trainAccuracy, double testAccuracy, double testLoss,
                         int testCount, double seconds) {

        public double chance() {
            return 1.0 / classes;
        }

        /** Every figure and the whole configuration as one JSON object (one line). */
        public String toJson() {
            Attacker.Config a = run.attacker();
            return String.format(Locale.ROOT, "{\"train\":%s,\"test\":%s,\"inputSize\":%d,\"resize\":\"%s\","
                            + "\"jpegQuality\":%s,\"grey\":%b,\"faceOnly\":%b,\"architecture\":\"%s\",\"classifierDropout\":%s,\"augmentation\":\"%s\","
                            + "\"adversarialRadius\":%.6f,"
                            + "\"adversarialSteps\":%d,\"epochs\":%d,\"batchSize\":%d,\"learningRate\":%s,\"smallStem\":%b,"
                            + "\"seed\":%d,\"streamSeed\":%d,\"classes\":%d,\"trainAccuracy\":%.4f,\"testAccuracy\":%.4f,\"testLoss\":%.4f,"
                            + "\"testCount\":%d,\"seconds\":%.1f,\"machine\":\"%s\"}",
                    quote(run.train().toString()), quote(run.test().toString()), run.inputSize(),
                    run.resize().name().toLowerCase(Locale.ROOT), run.jpegQuality() == null ? "null" : run.jpegQuality(), run.grey(), run.faceOnly(),
                    a.architecture(), Float.toString(AttackerNetworks.classifierDropout(a.architecture())),
                    a.augmentation().name().toLowerCase(Locale.ROOT), a.adversarialRadius(),
                    a.adversarialSteps(), a.epochs(), a.batchSize(), Float.toString(a.learningRate()), a.smallInputStem(),
                    a.seed(), a.streamSeed(), classes, trainAccuracy, testAccuracy, testLoss, testCount, seconds, machine());
        }
    }

    /** Trains and tests the attacker; returns null when cancelled. */
    public Result run(ProgressListener progress, Cancellation cancellation) throws IOException {
        ImageFolder trainSet = ImageFolder.scan(train);
        ImageFolder testSet = ImageFolder.scan(test);
        if (!trainSet.classes().equals(testSet.classes())) {
            throw new IllegalArgumentException("train and test folders must hold the same identity folders ("
                    + trainSet.classes().size() + " vs " + testSet.classes().size() + ")");
        }
        java.util.function.UnaryOperator<RgbImage> squeeze = grey ? ImageOps::grey : img -> img;
        java.util.function.UnaryOperator<RgbImage> view = faceOnly ? img -> faceOnly(squeeze.apply(img)) : squeeze;
        List<RgbImage> trainImages = trainSet.load(inputSize, inputSize, resize,
                jpegQuality == null ? view : img -> view.apply(ImageCodec.jpegRoundTrip(img, jpegQuality)));
        List<RgbImage> testImages = testSet.load(inputSize, inputSize, resize, grey || faceOnly ? view : null);
        long t0 = System.nanoTime();
        try (Attacker trained = Attacker.train(attacker, trainImages, trainSet.labels(), trainSet.classes().size(),
                progress, cancellation)) {
            if (trained == null) {
                return null;
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Attacker.Score onTrain = trained.score(trainImages, trainSet.labels());
            Attacker.Score onTest = trained.score(testImages, testSet.labels());
            return new Result(this, trainSet.classes().size(), onTrain.accuracy(), onTest.accuracy(), onTest.loss(),
                    onTest.count(), seconds);
        }
    }

    /**
     * The image inside the face oval the protection is confined to ({@link FaceMask}, on the template the dataset's
     * crops share), mid-grey outside it.
     */
    static RgbImage faceOnly(RgbImage img) {
        float[] weights = FaceMask.FACE.weights(img.height(), img.width());
        float[] in = img.chw();
        float[] out = new float[in.length];
        int plane = weights.length;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = 0.5f + weights[i] * (in[c * plane + i] - 0.5f);
            }
        }
        return new RgbImage(out, img.height(), img.width());
    }

    static String machine() {
        return System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
