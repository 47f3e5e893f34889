package org.segue.engine.face;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.segue.engine.spi.FaceLandmarks;

/**
 * face-api's FaceLandmark68Net: its feature extractor ({@link FaceFeatureNet}: four densely connected blocks of
 * depthwise-separable convolutions on a 112x112 face crop, global average pooling) and one fully connected layer
 * giving the 68 points of the iBUG/dlib scheme (jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67) as
 * fractions of the crop.
 *
 * <p>The crop is the detector's box, padded to a square with black (half on each side) and resized to
 * 112x112 with TensorFlow's bilinear sampling (no half-pixel offset), as face-api does.
 *
 * <p>Thread-safe: the weights are read-only arrays and each call works in its own sub-manager.
 */
public final class FaceLandmarkNet implements AutoCloseable {

    /** The network's input side. */
    public static final int INPUT_SIZE = 112;
    /** Number of landmarks. */
    public static final int POINTS = 68;

    private final FaceFeatureNet backbone;
    private final NDArray fcWeights;
    private final NDArray fcBias;

    private FaceLandmarkNet(TfjsWeights w, Device device) {
        backbone = new FaceFeatureNet(w, device);
        try {
            // TensorFlow's dense weights are [in, out]; the product below uses them as they are
            fcWeights = TfLayers.vector(backbone.weights(), w.get("fc/weights", FaceFeatureNet.FEATURES, 2 * POINTS))
                    .reshape(FaceFeatureNet.FEATURES, 2 * POINTS);
            fcBias = TfLayers.vector(backbone.weights(), w.get("fc/bias", 2 * POINTS));
        } catch (RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /** Loads the network shipped with the engine onto the given device. */
    public static FaceLandmarkNet load(Device device) {
        return new FaceLandmarkNet(TfjsWeights.loadResource("face_landmark_68_model"), device);
    }

    /**
     * The 68 landmarks of the face in a crop given as planar RGB in [0, 255] ({@code [3, h, w]}), as
     * {@code x0, y0, x1, y1, ...} in the crop's pixel coordinates.
     */
    public double[] landmarks(float[] chw, int height, int width) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("empty face crop");
        }
        int side = Math.max(height, width);
        int diff = side - Math.min(height, width);
        int after = Math.round(diff * 0.5f);
        int before = diff - after;
        int padTop = height < width ? before : 0;
        int padLeft = width < height ? before : 0;
        float[] input = new float[3 * INPUT_SIZE * INPUT_SIZE];
        // TensorFlow's resizeBilinear without align-corners or half-pixel centres: src = dst * in / out
        double scale = side / (double) INPUT_SIZE;
        for (int oy = 0; oy < INPUT_SIZE; oy++) {
            double sy = oy * scale;
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, side - 1);
            double fy = sy - y0;
            for (int ox = 0; ox < INPUT_SIZE; ox++) {
                double sx = ox * scale;
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, side - 1);
                double fx = sx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = padded(chw, c, y0, x0, padTop, padLeft, height, width) * (1 - fx)
                            + padded(chw, c, y0, x1, padTop, padLeft, height, width) * fx;
                    double bottom = padded(chw, c, y1, x0, padTop, padLeft, height, width) * (1 - fx)
                            + padded(chw, c, y1, x1, padTop, padLeft, height, width) * fx;
                    double v = top + (bottom - top) * fy;
                    input[(c * INPUT_SIZE + oy) * INPUT_SIZE + ox] = (float) ((v - FaceFeatureNet.MEAN_RGB[c]) / 255.0);
                }
            }
        }
        float[] out;
        try (NDManager m = backbone.weights().newSubManager()) {
            NDArray pooled = backbone.pooled(m.create(input, new Shape(1, 3, INPUT_SIZE, INPUT_SIZE)));
            out = pooled.matMul(fcWeights).add(fcBias).toFloatArray();
        }
        // face-api's post-processing: fractions of the padded square back to the crop
        double scaled = INPUT_SIZE / (double) side;
        double sw = width * scaled;
        double sh = height * scaled;
        double padX = width < height ? Math.abs(sw - sh) / 2 : 0;
        double padY = height < width ? Math.abs(sw - sh) / 2 : 0;
        double[] points = new double[2 * POINTS];
        for (int i = 0; i < POINTS; i++) {
            points[2 * i] = (out[2 * i] * INPUT_SIZE - padX) / sw * width;
            points[2 * i + 1] = (out[2 * i + 1] * INPUT_SIZE - padY) / sh * height;
        }
        return points;
    }

    private static float padded(float[] chw, int c, int y, int x, int padTop, int padLeft, int h, int w) {
        int yy = y - padTop;
        int xx = x - padLeft;
        if (yy < 0 || xx < 0 || yy >= h || xx >= w) {
            return 0;
        }
        return chw[(c * h + yy) * w + xx];
    }

    /**
     * The SPI's five points from the 68: eye centres (means of 36-41 and 42-47), nose tip (30), mouth corners
     * (48 and 54), each pair ordered by image side after any in-plane rotation is undone by the caller.
     */
    public static FaceLandmarks fivePoints(double[] p68) {
        double[] xy = new double[2 * FaceLandmarks.POINTS];
        mean(p68, 36, 42, xy, FaceLandmarks.LEFT_EYE);
        mean(p68, 42, 48, xy, FaceLandmarks.RIGHT_EYE);
        copy(p68, 30, xy, FaceLandmarks.NOSE);
        copy(p68, 48, xy, FaceLandmarks.MOUTH_LEFT);
        copy(p68, 54, xy, FaceLandmarks.MOUTH_RIGHT);
        return new FaceLandmarks(xy);
    }

    private static void mean(double[] p, int from, int to, double[] xy, int point) {
        double sx = 0;
        double sy = 0;
        for (int i = from; i < to; i++) {
            sx += p[2 * i];
            sy += p[2 * i + 1];
        }
        xy[2 * point] = sx / (to - from);
        xy[2 * point + 1] = sy / (to - from);
    }

    private static void copy(double[] p, int i, double[] xy, int point) {
        xy[2 * point] = p[2 * i];
        xy[2 * point + 1] = p[2 * i + 1];
    }

    @Override
    public void close() {
        backbone.close();
    }
}
