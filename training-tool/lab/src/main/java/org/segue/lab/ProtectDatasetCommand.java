package org.segue.lab;

import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.generator.SegueModel;
import org.segue.lab.dataset.DatasetProtector;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.api.Cancellation;
import org.segue.engine.sideinfo.ClusteringAccuracy;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.sideinfo.PseudoLabeler;
import org.segue.engine.internal.DjlRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "protect-dataset", mixinStandardHelpOptions = true,
        description = {"Protects every image of an ImageFolder dataset (<identity>/<images>) into a mirrored folder",
                "of lossless PNGs. The side information is the identity folder's index, or pseudo labels."})
final class ProtectDatasetCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model file (.segue); default: the model shipped with Segue")
    Path model;

    @Option(names = "--input", required = true, description = "dataset folder: <identity>/<images>")
    Path input;

    @Option(names = "--output", required = true, description = "output folder (created; originals are never touched)")
    Path output;

    @Option(names = "--pseudo-labels", description = "use this many clusters of the pretrained face embeddings as labels (as train --pseudo-labels with seed 0)")
    Integer pseudoLabels;

    @Option(names = "--pseudo-majority", description = "with --pseudo-labels, a diagnostic: each face gets the code of "
            + "its folder's most frequent cluster, so that no face carries another person's code (reads the folders)")
    boolean pseudoMajority;

    @Option(names = "--uncertain-share", description = "with --pseudo-labels: this share of the faces, those nearest to "
            + "a second cluster, are uncertain and protected as --uncertain says (default: none)")
    Double uncertainShare;

    @Option(names = "--uncertain", defaultValue = "blend", description = "what an uncertain face gets: blend (the mean "
            + "of its two nearest clusters' protections), spare (the code of a cluster that does not exist) or arbitrate (the "
            + "cluster, of its two nearest, that a ResNet18 trained from scratch on the certain faces' pixels and clusters "
            + "prefers) (default ${DEFAULT-VALUE})")
    String uncertain;

    @Option(names = "--codes", defaultValue = "auto",
            description = "index: identity folder number 0..N-1; name: the stable code of the folder name, as 'protect --person' gives; "
                    + "auto: what the model was trained with; group (with --pseudo-labels): the code automatic grouping "
                    + "gives each cluster, as protect without --person does, whatever the model (default ${DEFAULT-VALUE})")
    String codes;

    @Option(names = "--strength", paramLabel = "LEVELS", description = "largest change per 8-bit sample, 1 up to the "
            + "model's budget (as 'protect --epsilon'); default: the model's budget")
    Integer strength;

    @Option(names = "--conceal-heads", description = "also conceal each face's head beneath its protection, as "
            + "protect --conceal-heads does in photos")
    boolean concealHeads;

    @Option(names = "--batch-size", defaultValue = "32", description = "faces per generator call (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--device", defaultValue = "auto", description = "auto | cpu | gpu (default ${DEFAULT-VALUE})")
    String device;

    @Override
    public Integer call() throws Exception {
        if (output.toAbsolutePath().normalize().startsWith(input.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("the output folder must not lie inside the input folder");
        }
        if ((pseudoMajority || uncertainShare != null) && pseudoLabels == null) {
            throw new IllegalArgumentException("--pseudo-majority and --uncertain-share go with --pseudo-labels");
        }
        // the majority diagnostic gives no face another person's group, so none is uncertain
        double share = pseudoMajority || uncertainShare == null ? 0 : uncertainShare;
        if (!(share >= 0 && share <= 1) || !java.util.List.of("blend", "spare", "arbitrate").contains(uncertain)) {
            throw new IllegalArgumentException("--uncertain-share must be 0..1 and --uncertain blend, spare or arbitrate");
        }
        if (codes.equals("group") && pseudoLabels == null) {
            throw new IllegalArgumentException("--codes group goes with --pseudo-labels");
        }
        ImageFolder dataset = ImageFolder.scan(input);
        try (SegueModel m = model == null ? SegueModel.loadDefault(DjlRuntime.resolveDevice(device))
                : SegueModel.load(model, DjlRuntime.resolveDevice(device))) {
            java.util.function.IntUnaryOperator clusterCode = codes.equals("group")
                    ? org.segue.engine.sideinfo.LabelCode::labelForGroup : m::codeForCluster;
            int[] codeOf = switch (codes) {
                case "auto", "group" -> m.codesFor(dataset.classes());
                case "index" -> java.util.stream.IntStream.range(0, dataset.classes().size()).toArray();
                case "name" -> dataset.classes().stream().mapToInt(n -> org.segue.engine.sideinfo.LabelCode.labelForName(n,
                        org.segue.engine.sideinfo.LabelCode.DEFAULT_BITS)).toArray();
                default -> throw new IllegalArgumentException("--codes must be auto, index, name or group, was " + codes);
            };
            int[] labels = dataset.samples().stream().mapToInt(sample -> codeOf[sample.label()]).toArray();
            int[] alternative = null;
            if (pseudoLabels != null) {
                // the trainer clustered the faces at its training size: the same size gives the same clusters
                int size = m.trainingInputSize();
                PseudoLabeler.Labelling labelling;
                try (PretrainedFaceFeatures features = PretrainedFaceFeatures.load(ai.djl.Device.cpu())) {
                    labelling = PseudoLabeler.labelWithEmbeddings(dataset.load(size, size), pseudoLabels, features,
                            org.segue.engine.sideinfo.Grouping.DEFAULT_RESTARTS, 0);
                }
                int[] pseudo = labelling.labels();
                int[] runnerUps = labelling.runnerUps(share);
                int[] majority = majorityPerFolder(pseudo, dataset.labels(), pseudoLabels);
                reportUncertain(pseudo, runnerUps, majority);
                System.err.printf("Pseudo labels: clustering accuracy %.1f%% against folder labels%n",
                        100 * ClusteringAccuracy.of(pseudo, dataset.labels()));
                if (share > 0 && uncertain.equals("arbitrate")) {
                    pseudo = arbitrate(dataset, pseudo, runnerUps, pseudoLabels, majority);
                    System.err.printf("Pseudo labels after arbitration: clustering accuracy %.1f%% against folder labels%n",
                            100 * ClusteringAccuracy.of(pseudo, dataset.labels()));
                }
                labels = java.util.Arrays.stream(pseudoMajority ? majority : pseudo).map(clusterCode).toArray(); // as the model was trained, or as grouping gives
                if (share > 0 && !uncertain.equals("arbitrate")) {
                    // blend: each uncertain face's next cluster, whose protection is averaged with its own;
                    // spare: a code no cluster has (cluster k of 0..k-1), in place of the face's own
                    int[] second = labels.clone();
                    for (int i = 0; i < runnerUps.length; i++) {
                        if (runnerUps[i] >= 0) {
                            second[i] = clusterCode.applyAsInt(uncertain.equals("spare") ? pseudoLabels : runnerUps[i]);
                        }
                    }
                    if (uncertain.equals("spare")) {
                        labels = second;
                    } else {
                        alternative = second;
                    }
                }
            }
            float epsilon = strength == null ? m.info().epsilon() : epsilonAt(m, strength);
            DatasetProtector.Summary s = DatasetProtector.protect(m, dataset, labels, alternative, concealHeads, epsilon, output, batchSize,
                    new ConsoleProgress(System.err), new Cancellation());
            System.out.printf("Protected %d images into %s in %.1f s (%.1f images/s)%n", s.written(), output,
                    s.seconds(), s.written() / s.seconds());
            s.failures().forEach(f -> System.err.println("failed: " + f));
            return s.failures().isEmpty() ? 0 : LabCli.EXIT_PARTIAL;
        }
    }

    /**
     * Each uncertain face's cluster chosen between its own and its runner-up by a second opinion that does not come
     * from the embedder: a ResNet18 trained from scratch (the evaluation's attacker, 15 epochs at 112 px, seed 0) on the
     * certain faces' pixels with their clusters as labels, asked which of the two clusters it finds likelier. The
     * folders are read only to report how many choices agree with them.
     */
    private static int[] arbitrate(ImageFolder dataset, int[] clusters, int[] runnerUps, int k, int[] majority)
            throws java.io.IOException {
        java.util.List<org.segue.engine.internal.RgbImage> faces = dataset.load(112, 112);
        java.util.List<org.segue.engine.internal.RgbImage> certain = new java.util.ArrayList<>();
        java.util.List<Integer> certainLabels = new java.util.ArrayList<>();
        java.util.List<Integer> open = new java.util.ArrayList<>();
        for (int i = 0; i < clusters.length; i++) {
            if (runnerUps[i] < 0) {
                certain.add(faces.get(i));
                certainLabels.add(clusters[i]);
            } else {
                open.add(i);
            }
        }
        int[] out = clusters.clone();
        try (org.segue.engine.check.Attacker judge = org.segue.engine.check.Attacker.train(
                org.segue.engine.check.Attacker.Config.authors(15), certain,
                certainLabels.stream().mapToInt(Integer::intValue).toArray(), k, new ConsoleProgress(System.err),
                new Cancellation())) {
            float[][] logits = judge.logits(open.stream().map(faces::get).toList());
            int switched = 0;
            int rightBefore = 0;
            int rightAfter = 0;
            for (int j = 0; j < open.size(); j++) {
                int i = open.get(j);
                if (logits[j][runnerUps[i]] > logits[j][clusters[i]]) {
                    out[i] = runnerUps[i];
                    switched++;
                }
                rightBefore += clusters[i] == majority[i] ? 1 : 0;
                rightAfter += out[i] == majority[i] ? 1 : 0;
            }
            System.err.printf("Arbitration: %d uncertain faces, %d moved to their runner-up; on their folder's majority "
                    + "cluster %d before, %d after%n", open.size(), switched, rightBefore, rightAfter);
        }
        return out;
    }

    /** How many faces are uncertain, and how many of the faces off their folder's majority cluster are among them. */
    private static void reportUncertain(int[] clusters, int[] runnerUps, int[] majority) {
        int uncertainFaces = 0;
        int offMajority = 0;
        int offAndUncertain = 0;
        for (int i = 0; i < clusters.length; i++) {
            uncertainFaces += runnerUps[i] >= 0 ? 1 : 0;
            offMajority += clusters[i] != majority[i] ? 1 : 0;
            offAndUncertain += clusters[i] != majority[i] && runnerUps[i] >= 0 ? 1 : 0;
        }
        System.err.printf("Uncertain faces: %d; of the %d faces off their folder's majority cluster, %d among them%n",
                uncertainFaces, offMajority, offAndUncertain);
    }

    /** Each face's cluster replaced by the most frequent cluster among its folder's faces. */
    static int[] majorityPerFolder(int[] clusters, int[] folders, int k) {
        int people = java.util.Arrays.stream(folders).max().orElse(-1) + 1;
        int[][] counts = new int[people][k];
        for (int i = 0; i < clusters.length; i++) {
            counts[folders[i]][clusters[i]]++;
        }
        int[] out = new int[clusters.length];
        for (int i = 0; i < clusters.length; i++) {
            int[] c = counts[folders[i]];
            int best = 0;
            for (int j = 1; j < k; j++) {
                best = c[j] > c[best] ? j : best;
            }
            out[i] = best;
        }
        return out;
    }

    /** The budget of a lab's {@code --strength}: 1 up to the model's budget, in levels of 255. */
    static float epsilonAt(SegueModel m, int strength) {
        float budget = m.info().epsilon();
        if (strength < 1 || strength / 255f > budget + 1e-6f) {
            throw new IllegalArgumentException("--strength must be 1.." + Math.round(budget * 255)
                    + " levels (the model's budget), was " + strength);
        }
        return strength / 255f;
    }
}
