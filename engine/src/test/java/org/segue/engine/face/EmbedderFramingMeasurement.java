package org.segue.engine.face;

import ai.djl.Device;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.sideinfo.ClusteringAccuracy;
import org.segue.engine.sideinfo.Grouping;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses the embedder's crop framing by measurement (not a test: it needs research faces and their
 * landmarks, found by face-api's 68-point network outside the repository and reduced to five points).
 * For each framing it aligns every face, embeds it and clusters the embeddings with k-means (k = number
 * of people), printing the clustering accuracy only: never an embedding, a landmark or a name.
 *
 * <pre>java ... EmbedderFramingMeasurement &lt;dataset root&gt; &lt;five-point jsonl&gt; [padding:shift,...]</pre>
 *
 * <p>Without a list it measures the crop as it is (resized to 150), then paddings -0.1, 0, 0.1 and 0.25, the framing
 * closest to dlib's chips, and two raised framings.
 */
public final class EmbedderFramingMeasurement {

    /** dlib's 5-point template of its 150 px, 25%-padded chips (mean face points 36-41, 42-47, 30, 48, 54). */
    static final double[] DLIB_CHIP_UNIT;

    static {
        double[] x = {0.121737, 0.187122, 0.265825, 0.334606, 0.260918, 0.182743,
            0.645647, 0.714428, 0.793132, 0.858516, 0.79751, 0.719335};
        double[] y = {0.216423, 0.178758, 0.179852, 0.231733, 0.245099, 0.244077,
            0.231733, 0.179852, 0.178758, 0.216423, 0.244077, 0.245099};
        double lx = 0, ly = 0, rx = 0, ry = 0;
        for (int i = 0; i < 6; i++) {
            lx += x[i] / 6;
            ly += y[i] / 6;
            rx += x[6 + i] / 6;
            ry += y[6 + i] / 6;
        }
        double[] unit = {lx, ly, rx, ry, 0.490127, 0.515625, 0.254149, 0.780233, 0.726104, 0.780233};
        for (int i = 0; i < unit.length; i++) {
            unit[i] = (unit[i] + 0.25) / 1.5;
        }
        DLIB_CHIP_UNIT = unit;
    }

    /** The centred-template framing closest (least squares) to unit-square target points: padding and shift. */
    static CropFraming closestFraming(double[] targetUnit, int size) {
        Similarity fit = Similarity.fit(CropFraming.unitTemplate(), targetUnit);
        double zoom = fit.scale();
        double padding = (1 / zoom - 1) / 2;
        double shift = fit.ty() / zoom - padding;
        return new CropFraming(size, padding, shift);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[1]));
        List<RgbImage> images = new ArrayList<>();
        List<double[]> points = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Map<String, Integer> people = new LinkedHashMap<>();
        double[] pads = new double[lines.size()];
        double[] shifts = new double[lines.size()];
        double[] xOffsets = new double[lines.size()];
        int n = 0;
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            String file = o.get("file").getAsString();
            Path p = Path.of(file);
            String person = p.getParent().getFileName().toString();
            labels.add(people.computeIfAbsent(person, k -> people.size()));
            RgbImage img = ImageCodec.read(root.resolve(file));
            images.add(img);
            double[] five = new double[10];
            var arr = o.getAsJsonArray("five");
            for (int i = 0; i < 10; i++) {
                five[i] = arr.get(i).getAsDouble() / (i % 2 == 0 ? img.width() : img.height());
            }
            points.add(five);
            CropFraming f = closestFraming(five, 150);
            pads[n] = f.padding();
            shifts[n] = f.shiftY();
            Similarity fit = Similarity.fit(CropFraming.unitTemplate(), five);
            xOffsets[n] = fit.tx() / fit.scale() - f.padding();
            n++;
        }
        System.out.printf(Locale.ROOT, "%d faces of %d people%n", images.size(), people.size());
        System.out.printf(Locale.ROOT, "the dataset's own crops as a framing: padding median %.3f, shift median %.3f, "
                + "x offset median %.3f%n", median(pads, n), median(shifts, n), median(xOffsets, n));
        CropFraming dlib = closestFraming(DLIB_CHIP_UNIT, 150);
        System.out.printf(Locale.ROOT, "dlib's chip as a framing: padding %.3f, shift %.3f%n", dlib.padding(), dlib.shiftY());

        int[] truth = labels.stream().mapToInt(Integer::intValue).toArray();
        int k = people.size();
        Map<String, CropFraming> framings = new LinkedHashMap<>();
        if (args.length > 2) {
            for (String spec : args[2].split(",")) {
                String[] ps = spec.split(":");
                CropFraming f = new CropFraming(150, Double.parseDouble(ps[0]), Double.parseDouble(ps[1]));
                framings.put(String.format(Locale.ROOT, "padding %.3f, shift %.3f", f.padding(), f.shiftY()), f);
            }
        } else {
            framings.put("as-is, resized to 150", null);
            for (double pad : new double[] {-0.1, 0, 0.1, 0.25}) {
                framings.put(String.format(Locale.ROOT, "padding %.2f", pad), CropFraming.of(150, pad));
            }
            framings.put(String.format(Locale.ROOT, "dlib-like (padding %.3f, shift %.3f)", dlib.padding(),
                    dlib.shiftY()), dlib);
            framings.put("padding 0.00, shift -0.10", new CropFraming(150, 0, -0.1));
            framings.put("padding 0.10, shift -0.10", new CropFraming(150, 0.1, -0.1));
        }
        try (FaceRecognitionNet net = FaceRecognitionNet.load(Device.cpu())) {
            for (var e : framings.entrySet()) {
                List<RgbImage> crops = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    RgbImage img = images.get(i);
                    if (e.getValue() == null) {
                        crops.add(ImageOps.resize(img, 150, 150));
                    } else {
                        double[] px = points.get(i).clone();
                        for (int j = 0; j < 10; j++) {
                            px[j] *= j % 2 == 0 ? img.width() : img.height();
                        }
                        crops.add(FaceAlignment.of(px, e.getValue()).warp(img));
                    }
                }
                float[][] emb = net.embed(crops);
                double best = 0;
                double mean = 0;
                int seeds = 5;
                for (int seed = 0; seed < seeds; seed++) {
                    double acc = ClusteringAccuracy.of(Grouping.ofK(emb, k, seed), truth);
                    best = Math.max(best, acc);
                    mean += acc / seeds;
                }
                System.out.printf(Locale.ROOT, "%-40s k-means accuracy mean %.1f%% (best of %d seeds %.1f%%)%n",
                        e.getKey(), 100 * mean, seeds, 100 * best);
            }
        }
    }

    private static double median(double[] v, int n) {
        double[] s = Arrays.copyOf(v, n);
        Arrays.sort(s);
        return s[n / 2];
    }
}
