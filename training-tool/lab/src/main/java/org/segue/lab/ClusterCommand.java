package org.segue.lab;

import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.sideinfo.ClusteringAccuracy;
import org.segue.engine.sideinfo.LbpFeatureExtractor;
import org.segue.engine.sideinfo.PseudoLabeler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Pseudo labels: embeds every face of a folder with the training-free LBP extractor, clusters",
                "the embeddings with K-means (k-means++, restarts) and reports the clustering accuracy against the",
                "folder labels (Hungarian matching)."})
final class ClusterCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "folder: <identity>/<images>")
    Path data;

    @Option(names = "--k", description = "clusters (default: number of identity folders)")
    Integer k;

    @Option(names = "--input-size", defaultValue = "112", description = "face size before embedding (default ${DEFAULT-VALUE})")
    int inputSize;

    @Option(names = "--restarts", defaultValue = "10", description = "K-means restarts (default ${DEFAULT-VALUE})")
    int restarts;

    @Option(names = "--seed", defaultValue = "0", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--centre-crop", defaultValue = "1.0",
            description = "embed only the centred part of each image, this fraction of its sides (default ${DEFAULT-VALUE})")
    double centreCrop;

    @Override
    public Integer call() throws Exception {
        ImageFolder dataset = ImageFolder.scan(data);
        List<RgbImage> faces = dataset.load(inputSize, inputSize).stream()
                .map(f -> ImageOps.centreCrop(f, centreCrop)).toList();
        int clusters = k != null ? k : dataset.classes().size();
        long t0 = System.nanoTime();
        LbpFeatureExtractor extractor = new LbpFeatureExtractor();
        int[] labels = PseudoLabeler.label(faces, clusters, extractor, restarts, seed);
        System.out.printf(Locale.ROOT, "%s, centre crop %.2f + K-means (k=%d, %d restarts) on %d faces: clustering accuracy %.1f%% (%.1f s)%n",
                extractor.name(), centreCrop, clusters, restarts, faces.size(), 100 * ClusteringAccuracy.of(labels, dataset.labels()),
                (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
