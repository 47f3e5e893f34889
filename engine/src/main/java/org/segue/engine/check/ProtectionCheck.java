package org.segue.engine.check;

import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.photo.HeadConcealment;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.CheckRequest;
import org.segue.engine.api.CheckResult;
import org.segue.engine.api.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A quick answer to "does protection hold on my faces?": a labelled folder of face crops is split
 * per identity into training and test faces. Two attackers: a pretrained face recogniser (dlib's ResNet
 * embedder) enrols the training faces, clean, protected, or protected for one person at a time among everyone
 * else's clean ones, and identifies the test faces by their nearest enrolled face; and one network (ResNet18
 * from scratch) learns the clean training faces, another the same faces protected by the model, both tested
 * on the clean test faces. Protection holds when the attackers that saw protected faces are much closer to
 * chance than those that saw clean ones. The from-scratch part is the evaluation harness in a small
 * configuration (few epochs, small input), so its figures are indicative, not the published ones.
 */
public final class ProtectionCheck {

    /** Faces per generator call when protecting the folder: the generator's memory stays bounded. */
    private static final int BATCH = 32;

    private ProtectionCheck() {}

    public static CheckResult run(SegueModel model, CheckRequest config, ProgressListener progress,
                             Cancellation cancellation) throws IOException {
        long start = System.nanoTime();
        ImageFolder folder = ImageFolder.scan(config.folder());
        int classes = folder.classes().size();
        if (classes < 2) {
            throw new IllegalArgumentException(config.folder() + " needs at least two identity folders");
        }
        int size = model.info().inputHeight();
        List<RgbImage> faces = folder.load(size, model.info().inputWidth());
        int[] labels = folder.labels();
        // every k-th face of an identity is a test face, the rest train
        int period = Math.max(2, (int) Math.round(1 / config.testFraction()));
        int[] seen = new int[classes];
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < faces.size(); i++) {
            (seen[labels[i]]++ % period == period - 1 ? test : train).add(i);
        }
        if (train.isEmpty() || test.isEmpty()) {
            throw new IllegalArgumentException(config.folder() + " holds too few faces to split into training and test");
        }
        List<RgbImage> trainFaces = pick(faces, train);
        int[] trainLabels = train.stream().mapToInt(i -> labels[i]).toArray();
        int[] codeOf = model.codesFor(folder.classes()); // the side information the model was trained to take
        int[] trainCodes = java.util.Arrays.stream(trainLabels).map(l -> codeOf[l]).toArray();
        float epsilon = config.strengthLevels() / 255f; // within the model's budget: Protector.check refuses more
        List<RgbImage> protectedFaces = concealed(config, trainFaces,
                model.protectImages(trainFaces, trainCodes, epsilon, BATCH));
        List<RgbImage> testAtModelSize = pick(faces, test);
        List<RgbImage> testFaces = resized(testAtModelSize, config.inputSize());
        int[] testLabels = test.stream().mapToInt(i -> labels[i]).toArray();
        // the pretrained recogniser: enrols the training faces and identifies the held-out ones (protected too, for
        // the recogniser that meets protected photos at the door)
        List<RgbImage> protectedTest = concealed(config, testAtModelSize, model.protectImages(testAtModelSize,
                java.util.Arrays.stream(testLabels).map(l -> codeOf[l]).toArray(), epsilon, BATCH));
        CheckResult.Recognition recognition;
        try (PretrainedFaceFeatures features = PretrainedFaceFeatures.load(ai.djl.Device.cpu())) {
            progress.onProgress(new ProgressListener.Progress("pretrained recogniser", 0, 1, "embedding faces",
                    (System.nanoTime() - start) / 1e9));
            EnrolmentAttack.Result r = EnrolmentAttack.measure(features.embedAll(trainFaces),
                    features.embedAll(protectedFaces), trainLabels, features.embedAll(testAtModelSize),
                    features.embedAll(protectedTest), testLabels, config.seed());
            recognition = new CheckResult.Recognition(features.name(), r.cleanGalleryRank1(), r.protectedGalleryRank1(),
                    r.protectedProbesRank1(), r.protectedAloneRank1(), r.cleanClusteringAccuracy(),
                    r.protectedClusteringAccuracy(), r.meanShift());
            progress.onProgress(new ProgressListener.Progress("pretrained recogniser", 1, 1, "done",
                    (System.nanoTime() - start) / 1e9));
        }
        if (cancellation.isCancelled()) {
            return new CheckResult(classes, train.size(), test.size(), 1.0 / classes, null, null,
                    (System.nanoTime() - start) / 1e9, recognition);
        }
        Attacker.Config attacker = new Attacker.Config(config.epochs(), 16, 5e-4f, false, config.seed());
        Double clean = accuracy(attacker, resized(trainFaces, config.inputSize()), trainLabels, classes, testFaces,
                testLabels, progress, cancellation);
        Double shielded = clean == null ? null : accuracy(attacker, resized(protectedFaces, config.inputSize()),
                trainLabels, classes, testFaces, testLabels, progress, cancellation);
        return new CheckResult(classes, train.size(), test.size(), 1.0 / classes, clean, shielded,
                (System.nanoTime() - start) / 1e9, recognition);
    }

    private static Double accuracy(Attacker.Config config, List<RgbImage> train, int[] trainLabels, int classes,
                                   List<RgbImage> test, int[] testLabels, ProgressListener progress,
                                   Cancellation cancellation) {
        try (Attacker a = Attacker.train(config, train, trainLabels, classes, progress, cancellation)) {
            return a == null ? null : a.score(test, testLabels).accuracy();
        }
    }

    /** The protected faces with their heads concealed beneath the protection, where the request asks for it. */
    private static List<RgbImage> concealed(CheckRequest config, List<RgbImage> originals, List<RgbImage> protectedFaces) {
        return config.concealHeads() ? HeadConcealment.underProtection(originals, protectedFaces) : protectedFaces;
    }

    private static List<RgbImage> pick(List<RgbImage> all, List<Integer> indices) {
        return indices.stream().map(all::get).toList();
    }

    private static List<RgbImage> resized(List<RgbImage> images, int size) {
        return images.stream().map(img -> ImageOps.resize(img, size, size)).toList();
    }
}
