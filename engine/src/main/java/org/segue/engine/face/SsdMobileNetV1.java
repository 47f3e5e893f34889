package org.segue.engine.face;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.segue.engine.generator.Tensor;
import org.segue.engine.internal.DjlRuntime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The SSD MobileNetV1 face detector of face-api (TensorFlow object-detection SSD, trained on faces): a
 * MobileNetV1 backbone, six box predictors on feature maps of stride 16 to 512, and boxes decoded from
 * fixed anchors with the usual SSD scaling (10, 10, 5, 5).
 *
 * <p>face-api runs it on one 512x512 input (the photo padded to a square and resized). Here it runs fully
 * convolutionally on any size: the anchors keep their pixel sizes of the 512 input (51 to 843 px) and
 * repeat on each feature map's grid, as if the 512 network were tiled over a larger image. A larger input
 * therefore finds smaller faces of the photo at a cost that grows with its area; at 512x512 the anchors
 * and the results are face-api's own.
 *
 * <p>Thread-safe: the weights are read-only arrays and each call works in its own sub-manager.
 */
public final class SsdMobileNetV1 implements AutoCloseable {

    /** The input size face-api uses (and the anchors' reference). */
    public static final int REFERENCE_SIZE = 512;

    private static final float BN_EPSILON = 0.0010000000474974513f;
    private static final int[] BACKBONE_STRIDES = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
    /** Pixel stride of the six predictors' feature maps. */
    private static final int[] PREDICTOR_STRIDES = {16, 32, 64, 128, 256, 512};
    private static final int[] ANCHORS_PER_CELL = {3, 6, 6, 6, 6, 6};
    /** Inputs are padded to a multiple of this, so every stride-2 layer sees an even size up to stride 32. */
    private static final int PAD_MULTIPLE = 32;

    /** One detected box in the input's pixel coordinates, with its face score. */
    public record Detection(float score, double x0, double y0, double x1, double y1) {
        public double width() {
            return x1 - x0;
        }

        public double height() {
            return y1 - y0;
        }

        double iou(Detection o) {
            double areaA = width() * height();
            double areaB = o.width() * o.height();
            if (areaA <= 0 || areaB <= 0) {
                return 0;
            }
            double iw = Math.max(0, Math.min(x1, o.x1) - Math.max(x0, o.x0));
            double ih = Math.max(0, Math.min(y1, o.y1) - Math.max(y0, o.y0));
            double inter = iw * ih;
            return inter / (areaA + areaB - inter);
        }
    }

    private final NDManager weights;
    private final NDArray conv0;
    private final NDArray conv0Bias;
    private final NDArray[] dwFilter = new NDArray[13];
    private final NDArray[] dwBias = new NDArray[13];
    private final NDArray[] pwFilter = new NDArray[13];
    private final NDArray[] pwBias = new NDArray[13];
    private final NDArray[] extraFilter = new NDArray[8];
    private final NDArray[] extraBias = new NDArray[8];
    private final NDArray[] boxFilter = new NDArray[6];
    private final NDArray[] boxBias = new NDArray[6];
    private final NDArray[] classFilter = new NDArray[6];
    private final NDArray[] classBias = new NDArray[6];
    /** Per predictor, per anchor: height and width in pixels. */
    private final double[][] anchorHeights = new double[6][];
    private final double[][] anchorWidths = new double[6][];

    private SsdMobileNetV1(TfjsWeights w, Device device) {
        DjlRuntime.engine();
        weights = NDManager.newBaseManager(device);
        try {
            conv0 = TfLayers.convFilter(weights, w.get("MobilenetV1/Conv2d_0_pointwise/weights", 3, 3, 3, 32));
            conv0Bias = TfLayers.vector(weights, w.get("MobilenetV1/Conv2d_0_pointwise/convolution_bn_offset", 32));
            for (int i = 0; i < 13; i++) {
                String dw = "MobilenetV1/Conv2d_" + (i + 1) + "_depthwise/";
                Tensor filter = w.get(dw + "depthwise_weights");
                int c = (int) filter.shape()[2];
                float[] gamma = w.get(dw + "BatchNorm/gamma", c).data();
                float[] beta = w.get(dw + "BatchNorm/beta", c).data();
                float[] mean = w.get(dw + "BatchNorm/moving_mean", c).data();
                float[] var = w.get(dw + "BatchNorm/moving_variance", c).data();
                float[] scale = new float[c];
                float[] shift = new float[c];
                for (int k = 0; k < c; k++) {
                    scale[k] = (float) (gamma[k] / Math.sqrt(var[k] + BN_EPSILON));
                    shift[k] = beta[k] - mean[k] * scale[k];
                }
                dwFilter[i] = TfLayers.depthwiseFilter(weights, filter, scale);
                dwBias[i] = weights.create(shift);
                String pw = "MobilenetV1/Conv2d_" + (i + 1) + "_pointwise/";
                pwFilter[i] = TfLayers.convFilter(weights, w.get(pw + "weights"));
                pwBias[i] = TfLayers.vector(weights, w.get(pw + "convolution_bn_offset"));
            }
            for (int i = 0; i < 8; i++) {
                String p = "Prediction/Conv2d_" + i + "_pointwise/";
                extraFilter[i] = TfLayers.convFilter(weights, w.get(p + "weights"));
                extraBias[i] = TfLayers.vector(weights, w.get(p + "convolution_bn_offset"));
            }
            for (int i = 0; i < 6; i++) {
                String p = "Prediction/BoxPredictor_" + i + "/";
                boxFilter[i] = TfLayers.convFilter(weights, w.get(p + "BoxEncodingPredictor/weights"));
                boxBias[i] = TfLayers.vector(weights, w.get(p + "BoxEncodingPredictor/biases"));
                classFilter[i] = TfLayers.convFilter(weights, w.get(p + "ClassPredictor/weights"));
                classBias[i] = TfLayers.vector(weights, w.get(p + "ClassPredictor/biases"));
                if (boxFilter[i].getShape().get(0) != 4L * ANCHORS_PER_CELL[i]
                        || classFilter[i].getShape().get(0) != 3L * ANCHORS_PER_CELL[i]) {
                    throw new IllegalStateException("SSD predictor " + i + " has an unexpected number of anchors");
                }
            }
            readAnchorSizes(w.get("Output/extra_dim", 1, 5118, 4).data());
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** Loads the network shipped with the engine onto the given device. */
    public static SsdMobileNetV1 load(Device device) {
        return new SsdMobileNetV1(TfjsWeights.loadResource("ssd_mobilenetv1_model"), device);
    }

    /**
     * The anchors of the 512 input are {@code [ymin, xmin, ymax, xmax]} in fractions of the image, the same
     * sizes at every cell of a feature map and centred on the cells; only each predictor's sizes are kept.
     */
    private void readAnchorSizes(float[] anchors) {
        int offset = 0;
        for (int p = 0; p < 6; p++) {
            int grid = REFERENCE_SIZE / PREDICTOR_STRIDES[p];
            int n = ANCHORS_PER_CELL[p];
            anchorHeights[p] = new double[n];
            anchorWidths[p] = new double[n];
            for (int a = 0; a < n; a++) {
                int i = 4 * (offset + a);
                anchorHeights[p][a] = (anchors[i + 2] - anchors[i]) * (double) REFERENCE_SIZE;
                anchorWidths[p][a] = (anchors[i + 3] - anchors[i + 1]) * (double) REFERENCE_SIZE;
                double cy = (anchors[i] + anchors[i + 2]) / 2.0 * REFERENCE_SIZE;
                if (Math.abs(cy - PREDICTOR_STRIDES[p] / 2.0) > 0.01) {
                    throw new IllegalStateException("SSD anchors are not centred on their cells");
                }
            }
            offset += grid * grid * n;
        }
        if (offset != 5118) {
            throw new IllegalStateException("SSD anchors do not match the feature maps");
        }
    }

    /**
     * Raw boxes and scores of every anchor for an image given as planar RGB in [0, 255] ({@code [3, h, w]}).
     * Boxes are {@code [x0, y0, x1, y1]} in input pixels, in the network's anchor order.
     */
    public Raw forward(float[] chw, int height, int width) {
        return forward(List.of(chw), height, width).get(0);
    }

    /**
     * {@link #forward(float[], int, int)} for several images of one size in one batch: one pass through the
     * network costs much less than one per image where the images are small (a 160x160 image spends most of
     * its pass in the per-layer overhead).
     */
    public List<Raw> forward(List<float[]> chws, int height, int width) {
        int n = chws.size();
        int paddedH = roundUp(height, PAD_MULTIPLE);
        int paddedW = roundUp(width, PAD_MULTIPLE);
        int plane = 3 * height * width;
        float[] stacked = new float[n * plane];
        for (int i = 0; i < n; i++) {
            if (chws.get(i).length != plane) {
                throw new IllegalArgumentException("image " + i + " is not 3x" + height + "x" + width);
            }
            System.arraycopy(chws.get(i), 0, stacked, i * plane, plane);
        }
        try (NDManager m = weights.newSubManager()) {
            NDArray x = m.create(stacked, new Shape(n, 3, height, width)).div(127.5f).sub(1f);
            if (paddedH != height || paddedW != width) {
                // face-api pads with black (-1 after scaling), at the bottom and right
                x = x.pad(new Shape(0, paddedW - width, 0, paddedH - height), -1);
            }
            NDList heads = heads(x);
            float[] enc = heads.get(0).toFloatArray();
            float[] cls = heads.get(1).toFloatArray();
            int anchors = enc.length / 4 / n;
            List<Raw> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(decode(Arrays.copyOfRange(enc, 4 * anchors * i, 4 * anchors * (i + 1)),
                        Arrays.copyOfRange(cls, 3 * anchors * i, 3 * anchors * (i + 1)), paddedH, paddedW));
            }
            return out;
        }
    }

    private NDList heads(NDArray input) {
        NDArray x = relu6(TfLayers.conv(input, conv0, conv0Bias, 2, 1));
        NDArray conv11 = null;
        for (int i = 0; i < 13; i++) {
            long c = x.getShape().get(1);
            x = relu6(TfLayers.conv(x, dwFilter[i], dwBias[i], BACKBONE_STRIDES[i], (int) c));
            x = relu6(TfLayers.conv(x, pwFilter[i], pwBias[i], 1, 1));
            if (i == 10) {
                conv11 = x;
            }
        }
        NDArray[] extra = new NDArray[8];
        NDArray e = x;
        for (int i = 0; i < 8; i++) {
            e = relu6(TfLayers.conv(e, extraFilter[i], extraBias[i], i % 2 == 1 ? 2 : 1, 1));
            extra[i] = e;
        }
        NDArray[] features = {conv11, x, extra[1], extra[3], extra[5], extra[7]};
        NDList boxes = new NDList();
        NDList classes = new NDList();
        for (int p = 0; p < 6; p++) {
            boxes.add(flatten(TfLayers.conv(features[p], boxFilter[p], boxBias[p], 1, 1), 4));
            classes.add(flatten(TfLayers.conv(features[p], classFilter[p], classBias[p], 1, 1), 3));
        }
        return new NDList(NDArrays.concat(boxes, 1), NDArrays.concat(classes, 1));
    }

    /** {@code [n, anchors*k, h, w]} to {@code [n, rows, k]}, rows of k in TensorFlow's (y, x, anchor) order. */
    private static NDArray flatten(NDArray y, int k) {
        return y.transpose(0, 2, 3, 1).reshape(y.getShape().get(0), -1, k);
    }

    private static NDArray relu6(NDArray x) {
        return x.clip(0, 6);
    }

    /** Every anchor's box in pixels and its face score. */
    public record Raw(float[] boxes, float[] scores, int paddedHeight, int paddedWidth) {}

    private Raw decode(float[] enc, float[] cls, int paddedH, int paddedW) {
        int total = enc.length / 4;
        float[] boxes = new float[4 * total];
        float[] scores = new float[total];
        int k = 0;
        for (int p = 0; p < 6; p++) {
            int stride = PREDICTOR_STRIDES[p];
            int gh = ceilDiv(paddedH, stride);
            int gw = ceilDiv(paddedW, stride);
            for (int gy = 0; gy < gh; gy++) {
                for (int gx = 0; gx < gw; gx++) {
                    for (int a = 0; a < ANCHORS_PER_CELL[p]; a++, k++) {
                        double ha = anchorHeights[p][a];
                        double wa = anchorWidths[p][a];
                        double cy = (gy + 0.5) * stride + enc[4 * k] / 10.0 * ha;
                        double cx = (gx + 0.5) * stride + enc[4 * k + 1] / 10.0 * wa;
                        double h = Math.exp(enc[4 * k + 2] / 5.0) * ha;
                        double w = Math.exp(enc[4 * k + 3] / 5.0) * wa;
                        boxes[4 * k] = (float) (cx - w / 2);
                        boxes[4 * k + 1] = (float) (cy - h / 2);
                        boxes[4 * k + 2] = (float) (cx + w / 2);
                        boxes[4 * k + 3] = (float) (cy + h / 2);
                        scores[k] = (float) (1 / (1 + Math.exp(-cls[3 * k + 1])));
                    }
                }
            }
        }
        if (k != total) {
            throw new IllegalStateException("SSD produced " + total + " boxes for " + k + " anchors");
        }
        return new Raw(boxes, scores, paddedH, paddedW);
    }

    /**
     * The faces in an image: boxes scoring above {@code minScore}, greedy non-maximum suppression at
     * {@code iou} (face-api: 0.5 and 0.5), clipped to the image.
     */
    public List<Detection> detect(float[] chw, int height, int width, float minScore, double iou, int maxResults) {
        return detect(List.of(chw), height, width, minScore, iou, maxResults).get(0);
    }

    /** {@link #detect(float[], int, int, float, double, int)} for several images of one size, in one batch. */
    public List<List<Detection>> detect(List<float[]> chws, int height, int width, float minScore, double iou,
                                        int maxResults) {
        List<List<Detection>> out = new ArrayList<>(chws.size());
        for (Raw raw : forward(chws, height, width)) {
            out.add(faces(raw, height, width, minScore, iou, maxResults));
        }
        return out;
    }

    private static List<Detection> faces(Raw raw, int height, int width, float minScore, double iou, int maxResults) {
        List<Detection> candidates = new ArrayList<>();
        float[] b = raw.boxes();
        for (int i = 0; i < raw.scores().length; i++) {
            if (raw.scores()[i] > minScore) {
                candidates.add(new Detection(raw.scores()[i], b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]));
            }
        }
        List<Detection> kept = nonMaxSuppression(candidates, iou, maxResults);
        List<Detection> clipped = new ArrayList<>(kept.size());
        for (Detection d : kept) {
            clipped.add(new Detection(d.score(), Math.max(0, d.x0()), Math.max(0, d.y0()),
                    Math.min(width, d.x1()), Math.min(height, d.y1())));
        }
        return clipped;
    }

    /** Greedy NMS, highest score first: a box overlapping a kept one by more than {@code iou} is dropped. */
    public static List<Detection> nonMaxSuppression(List<Detection> candidates, double iou, int maxResults) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection c : sorted) {
            if (kept.size() >= maxResults) {
                break;
            }
            boolean suppressed = false;
            for (Detection k : kept) {
                if (c.iou(k) > iou) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(c);
            }
        }
        return kept;
    }

    private static int roundUp(int v, int multiple) {
        return ceilDiv(v, multiple) * multiple;
    }

    private static int ceilDiv(int v, int d) {
        return (v + d - 1) / d;
    }

    @Override
    public void close() {
        weights.close();
    }
}
