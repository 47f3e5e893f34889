package org.segue.lab;

import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.face.NeuralFaceDetector;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.sideinfo.ClusteringAccuracy;
import org.segue.engine.sideinfo.Embeddings;
import org.segue.engine.sideinfo.Grouping;
import org.segue.engine.spi.FaceBox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "group-photos", mixinStandardHelpOptions = true,
        description = {"Automatic grouping on whole photos as `protect` does it without --person: finds every face with the",
                "product's detector, embeds it with the pretrained embedder (plain, and averaged with its mirror image),",
                "groups with the number of people unknown at each threshold. The largest face of a photo in <person>/ is",
                "that person; every other face is a bystander of its own. Reports purity over all faces and each person's",
                "share of their faces in their largest group. Nothing is written unless --dump asks."})
final class GroupPhotosCommand implements Callable<Integer> {

    @Option(names = "--photos", required = true, description = "folder: <person>/<photos>")
    Path photos;

    @Option(names = "--threshold", split = ",", description = "cosine distances (default: the product's)")
    double[] thresholds;

    @Option(names = "--dump", description = "also write each face's person (-1: a bystander) and plain embedding, one "
            + "face a line, to this file for offline study: biometric data, keep it out of the repository")
    Path dump;

    @Override
    public Integer call() throws Exception {
        List<String> people = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> personOf = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(photos)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                people.add(dir.getFileName().toString());
                try (Stream<Path> in = Files.list(dir)) {
                    for (Path f : in.filter(Files::isRegularFile).sorted().toList()) {
                        files.add(f);
                        personOf.add(people.size() - 1);
                    }
                }
            }
        }
        List<RgbImage> crops = new ArrayList<>();
        List<Integer> truth = new ArrayList<>();
        int bystander = people.size();
        int withoutFace = 0;
        long t0 = System.nanoTime();
        try (SegueModel model = SegueModel.loadDefault(DjlRuntime.defaultDevice());
             NeuralFaceDetector detector = new NeuralFaceDetector();
             PretrainedFaceFeatures features = PretrainedFaceFeatures.load(DjlRuntime.defaultDevice())) {
            PhotoProtector protector = new PhotoProtector(model, detector, ProtectionOptions.defaults(), () -> features);
            for (int i = 0; i < files.size(); i++) {
                PhotoProtector.Analysed photo = protector.analyse(Files.readAllBytes(files.get(i)), files.get(i).toString());
                List<PhotoProtector.Face> faces = photo.faces();
                if (faces.isEmpty()) {
                    withoutFace++;
                    continue;
                }
                int largest = 0;
                for (int f = 1; f < faces.size(); f++) {
                    if (area(faces.get(f).detected()) > area(faces.get(largest).detected())) {
                        largest = f;
                    }
                }
                crops.addAll(protector.embedderCrops(photo));
                for (int f = 0; f < faces.size(); f++) {
                    truth.add(f == largest ? personOf.get(i) : bystander++);
                }
            }
            double analyseSeconds = (System.nanoTime() - t0) / 1e9;
            int[] labels = truth.stream().mapToInt(Integer::intValue).toArray();
            System.out.printf(Locale.ROOT, "%d photos of %d people, %d faces (%d bystanders), %d photos without a face; "
                    + "detection and alignment %.0f s%n", files.size(), people.size(), labels.length,
                    bystander - people.size(), withoutFace, analyseSeconds);
            float[][] plain = features.embedAligned(crops);
            if (dump != null) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < plain.length; i++) {
                    text.append(labels[i] < people.size() ? labels[i] : -1);
                    for (float v : plain[i]) {
                        text.append(' ').append(v);
                    }
                    text.append('\n');
                }
                org.segue.engine.internal.AtomicFiles.write(dump, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (boolean mirrored : new boolean[] {false, true}) {
                float[][] embeddings = mirrored ? mirrorAveraged(features, crops, plain) : plain;
                for (double distance : thresholds == null ? new double[] {Grouping.DEFAULT_MAX_DISTANCE} : thresholds) {
                    report(mirrored ? "mirror-averaged" : "plain", distance, Grouping.byThreshold(embeddings, distance),
                            labels, people);
                }
            }
        }
        return 0;
    }

    /**
     * Each face's embedding averaged with its mirror image's and made unit length again (the template is left-right
     * symmetric, so the mirror is the same face aligned the same way): tried against a head turned to one side.
     * {@code plain} holds the crops' own embeddings, already made.
     */
    static float[][] mirrorAveraged(PretrainedFaceFeatures features, List<RgbImage> crops, float[][] plain) {
        float[][] mirror = features.embedAligned(crops.stream().map(GroupPhotosCommand::mirrored).toList());
        float[][] out = new float[plain.length][];
        for (int i = 0; i < out.length; i++) {
            float[] sum = new float[plain[i].length];
            for (int d = 0; d < sum.length; d++) {
                sum[d] = plain[i][d] + mirror[i][d];
            }
            out[i] = Embeddings.unitLength(sum);
        }
        return out;
    }

    static RgbImage mirrored(RgbImage image) {
        float[] chw = image.chw();
        float[] out = new float[chw.length];
        int w = image.width();
        for (int row = 0; row < 3 * image.height(); row++) {
            for (int x = 0; x < w; x++) {
                out[row * w + x] = chw[row * w + w - 1 - x];
            }
        }
        return new RgbImage(out, image.height(), image.width());
    }

    private static long area(FaceBox box) {
        return (long) box.width() * box.height();
    }

    /** Purity over all faces; each person's share in their largest group, over the faces that are that person. */
    static void report(String descriptor, double distance, int[] groups, int[] truth, List<String> people) {
        List<Integer> subjects = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < people.size()) {
                subjects.add(i);
            }
        }
        int[] subjectGroups = subjects.stream().mapToInt(i -> groups[i]).toArray();
        int[] subjectTruth = subjects.stream().mapToInt(i -> truth[i]).toArray();
        double[] shares = ClusteringAccuracy.largestGroupShares(subjectGroups, subjectTruth);
        System.out.printf(Locale.ROOT, "%s, distance %.3f: %d groups (%d holding a person's photo), purity %.1f%%, "
                        + "each person's share in their largest group: mean %.1f%%, min %.1f%% %s%n", descriptor, distance,
                Grouping.count(groups), Arrays.stream(subjectGroups).distinct().count(),
                100 * ClusteringAccuracy.purity(groups, truth), 100 * Arrays.stream(shares).average().orElse(0),
                100 * Arrays.stream(shares).min().orElse(0),
                Arrays.toString(Arrays.stream(shares).map(v -> Math.round(1000 * v) / 10.0).toArray()));
    }
}
