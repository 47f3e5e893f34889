package org.segue.lab;

import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.sideinfo.ClusteringAccuracy;
import org.segue.engine.sideinfo.PseudoLabeler;
import org.segue.engine.sideinfo.FeatureExtractor;
import org.segue.engine.sideinfo.Grouping;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.internal.DjlRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Pseudo labels and grouping: embeds every face of a folder (the pretrained face embedder, aligned on",
                "five landmarks, or the training-free LBP extractor), then clusters the embeddings: cosine k-means with",
                "k known (clustering accuracy against the folder labels, Hungarian matching), or, with --threshold,",
                "grouping with the number of people unknown (purity and each person's share in their largest group)."})
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "folder: <identity>/<images>")
    Path data;

    @Option(names = "--features", defaultValue = "pretrained", description = "pretrained or lbp (default ${DEFAULT-VALUE})")
    String features;

    @Option(names = "--k", split = ",", description = "clusters, one k-means for each (default: number of identity folders)")
    List<Integer> k;

    @Option(names = "--threshold", arity = "0..1", fallbackValue = "-1", split = ",",
            description = "group with the number of people unknown, at these cosine distances (no value: the product's default)")
    double[] threshold;

    @Option(names = "--input-size", defaultValue = "112", description = "face size before embedding (default ${DEFAULT-VALUE})")
    int inputSize;

    @Option(names = "--restarts", defaultValue = "30", description = "K-means restarts (default ${DEFAULT-VALUE})")
    int restarts;

    @Option(names = "--seed", defaultValue = "0", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() throws Exception {
        ImageFolder dataset = ImageFolder.scan(data);
        List<RgbImage> faces = dataset.load(inputSize, inputSize);
        long t0 = System.nanoTime();
        float[][] embeddings;
        String extractorName;
        if (features.equals("lbp")) {
            FeatureExtractor lbp = PseudoLabeler.fallbackExtractor();
            embeddings = lbp.embedAll(faces);
            extractorName = lbp.name();
        } else if (features.equals("pretrained")) {
            try (PretrainedFaceFeatures pretrained = PretrainedFaceFeatures.load(DjlRuntime.defaultDevice())) {
                embeddings = pretrained.embedAll(faces);
                extractorName = pretrained.name();
            }
        } else {
            throw new IllegalArgumentException("--features must be pretrained or lbp");
        }
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        int[] truth = dataset.labels();
        if (threshold == null) {
            for (int clusters : k != null ? k : List.of(dataset.classes().size())) {
                int[] labels = PseudoLabeler.labelEmbeddings(embeddings, clusters, restarts, seed).labels();
                System.out.printf(Locale.ROOT, "%s + cosine k-means (k=%d, %d restarts, seed %d) on %d faces: "
                                + "clustering accuracy %.1f%%, purity %.1f%% (embedding %.1f s)%n", extractorName,
                        clusters, restarts, seed, faces.size(), 100 * ClusteringAccuracy.of(labels, truth),
                        100 * ClusteringAccuracy.purity(labels, truth), embedSeconds);
            }
        }
        for (double asked : threshold == null ? new double[0] : threshold) {
            double distance = asked < 0 ? Grouping.DEFAULT_MAX_DISTANCE : asked;
            int[] groups = PseudoLabeler.groupEmbeddings(embeddings, distance).labels();
            double[] shares = ClusteringAccuracy.largestGroupShares(groups, truth);
            System.out.printf(Locale.ROOT, "%s + grouping at cosine distance %.3f on %d faces of %d people: %d groups, purity %.1f%%, "
                            + "share of each person's faces in their largest group: mean %.1f%%, min %.1f%% %s%n", extractorName,
                    distance, faces.size(), dataset.classes().size(), Grouping.count(groups),
                    100 * ClusteringAccuracy.purity(groups, truth), 100 * java.util.Arrays.stream(shares).average().orElse(0),
                    100 * java.util.Arrays.stream(shares).min().orElse(0), java.util.Arrays.toString(
                            java.util.Arrays.stream(shares).map(v -> Math.round(1000 * v) / 10.0).toArray()));
        }
        return 0;
    }
}
