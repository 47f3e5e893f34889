import ai.djl.Device;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A probe for the transfer rows of docs/evaluation.md: how well does the perturbation alone tell one
 * identity code from another, for the codes the generator was trained with and for codes it never saw?
 * Every face of FACES is protected under every code of a code set (so faces, not codes, are the only
 * other thing that varies); the perturbations of the even faces give each code's centroid, and each odd
 * face's perturbation is assigned to the nearest centroid (L2). Also printed: the share of the
 * perturbation's energy that is the code's own (its centroid minus the mean of all centroids), and how
 * far apart the centroids are, beside how far a face's perturbation lies from its own centroid.
 *
 * <p>Usage, from the repository root, after {@code mvn -B -q install -DskipTests}:
 * <pre>
 * OPT_OUT_TRACKING=true java -Dai.djl.offline=true -cp training-tool/lab/target/segue-lab.jar:training-tool/lab/target/lib/* training-tool/lab/plans/CodeDistinctness.java \
 *     MODEL FACES PER_IDENTITY CODE_SET...
 * </pre>
 * MODEL: a .segue file or {@code default}; FACES: a folder {@code <identity>/<images>}, of which the first
 * PER_IDENTITY images of each identity are used; each CODE_SET is a folder whose sub-folder names give
 * the codes (as {@code protect --person NAME} would), or {@code random:N} for N random 16-bit codes.
 */
public final class CodeDistinctness {

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: CodeDistinctness MODEL FACES PER_IDENTITY CODE_SET...");
            System.exit(2);
        }
        try (SegueModel model = args[0].equals("default") ? SegueModel.loadDefault(Device.cpu())
                : SegueModel.load(Path.of(args[0]))) {
            int size = model.info().inputHeight();
            List<RgbImage> faces = readFaces(Path.of(args[1]), Integer.parseInt(args[2]), size);
            System.out.printf(Locale.ROOT, "%d faces of %s at %d px, model %s%n", faces.size(), args[1], size, args[0]);
            for (int k = 3; k < args.length; k++) {
                int[] codes = codeSet(model, args[k]);
                report(args[k] + " (" + codes.length + " codes)", perturbations(model, faces, codes));
            }
        }
    }

    private static List<RgbImage> readFaces(Path folder, int perIdentity, int size) throws IOException {
        List<RgbImage> faces = new ArrayList<>();
        for (Path identity : sortedChildren(folder)) {
            List<Path> files = sortedChildren(identity);
            for (Path file : files.subList(0, Math.min(perIdentity, files.size()))) {
                faces.add(ImageOps.resize(ImageCodec.read(file), size, size));
            }
        }
        return faces;
    }

    private static List<Path> sortedChildren(Path folder) throws IOException {
        try (Stream<Path> children = Files.list(folder)) {
            return children.sorted().toList();
        }
    }

    private static int[] codeSet(SegueModel model, String spec) throws IOException {
        if (spec.startsWith("random:")) {
            return new Random(1).ints(Integer.parseInt(spec.substring(7)), 0, 1 << model.info().codeBits()).toArray();
        }
        List<String> names = sortedChildren(Path.of(spec)).stream().filter(Files::isDirectory)
                .map(p -> p.getFileName().toString()).toList();
        return model.codesFor(names);
    }

    /** [code][face] -> the perturbation (CHW planes) of that face under that code, widened to double for the sums. */
    private static double[][][] perturbations(SegueModel model, List<RgbImage> faces, int[] codes) {
        double[][][] deltas = new double[codes.length][faces.size()][];
        for (int c = 0; c < codes.length; c++) {
            for (int start = 0; start < faces.size(); start += 50) {
                List<RgbImage> chunk = faces.subList(start, Math.min(faces.size(), start + 50));
                int[] labels = new int[chunk.size()];
                Arrays.fill(labels, codes[c]);
                List<float[]> d = model.perturbationsAtFullSize(chunk, labels, model.info().epsilon());
                for (int i = 0; i < d.size(); i++) {
                    float[] delta = d.get(i);
                    deltas[c][start + i] = java.util.stream.IntStream.range(0, delta.length).mapToDouble(t -> delta[t]).toArray();
                }
            }
        }
        return deltas;
    }

    private static void report(String what, double[][][] deltas) {
        int codes = deltas.length;
        int faces = deltas[0].length;
        int dim = deltas[0][0].length;
        double[][] centroid = new double[codes][dim];
        int even = (faces + 1) / 2;
        for (int c = 0; c < codes; c++) {
            for (int f = 0; f < faces; f += 2) {
                for (int t = 0; t < dim; t++) {
                    centroid[c][t] += deltas[c][f][t] / (double) even;
                }
            }
        }
        int right = 0;
        int total = 0;
        double ownDistance = 0;
        for (int c = 0; c < codes; c++) {
            for (int f = 1; f < faces; f += 2) {
                int nearest = 0;
                double best = Double.MAX_VALUE;
                for (int other = 0; other < codes; other++) {
                    double d = distance(deltas[c][f], centroid[other]);
                    if (d < best) {
                        best = d;
                        nearest = other;
                    }
                }
                ownDistance += distance(deltas[c][f], centroid[c]);
                right += nearest == c ? 1 : 0;
                total++;
            }
        }
        double[] mean = new double[dim];
        for (double[] cen : centroid) {
            for (int t = 0; t < dim; t++) {
                mean[t] += cen[t] / codes;
            }
        }
        double energy = 0;
        for (double[][] perCode : deltas) {
            for (double[] d : perCode) {
                for (double v : d) {
                    energy += v * v;
                }
            }
        }
        double codeEnergy = 0;
        for (double[] cen : centroid) {
            double d = distance(cen, mean);
            codeEnergy += d * d;
        }
        double[] nearestCentroid = new double[codes];
        Arrays.fill(nearestCentroid, Double.MAX_VALUE);
        for (int a = 0; a < codes; a++) {
            for (int b = a + 1; b < codes; b++) {
                double d = distance(centroid[a], centroid[b]);
                nearestCentroid[a] = Math.min(nearestCentroid[a], d);
                nearestCentroid[b] = Math.min(nearestCentroid[b], d);
            }
        }
        Arrays.sort(nearestCentroid);
        System.out.printf(Locale.ROOT, "%s%n  nearest-centroid accuracy %.1f%% (chance %.1f%%); the codes' own share of the energy"
                        + " %.1f%%; L2 from a face's perturbation to its own centroid %.2f (mean), from each centroid to the"
                        + " nearest other: min %.2f, median %.2f, max %.2f%n",
                what, 100.0 * right / total, 100.0 / codes, 100 * (codeEnergy * faces) / energy, ownDistance / total,
                nearestCentroid[0], nearestCentroid[codes / 2], nearestCentroid[codes - 1]);
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int t = 0; t < a.length; t++) {
            double e = a[t] - b[t];
            sum += e * e;
        }
        return Math.sqrt(sum);
    }
}
