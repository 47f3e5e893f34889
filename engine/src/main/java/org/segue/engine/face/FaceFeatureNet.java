package org.segue.engine.face;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.segue.engine.internal.DjlRuntime;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * face-api's FaceFeatureExtractor: four densely connected blocks of depthwise-separable convolutions (32, 64, 128
 * and 256 channels, each halving the resolution) on a 112x112 face, then global average pooling to 256 features. It
 * is the backbone of face-api's landmark network ({@link FaceLandmarkNet} adds its fully connected layer) and of its
 * expression network, each trained with its own head, so the same code runs either set of weights.
 *
 * <p>Pixels are RGB in [0, 255] minus face-api's mean colour, divided by 255. {@link #features} is differentiable,
 * for objectives that move a face's features.
 *
 * <p>Thread-safe: the weights are read-only arrays.
 */
public final class FaceFeatureNet implements AutoCloseable {

    /** The network's input side. */
    public static final int INPUT_SIZE = 112;
    /** Features after pooling. */
    public static final int FEATURES = 256;

    static final float[] MEAN_RGB = {122.782f, 117.001f, 104.298f};

    private final NDManager weights;
    private final NDArray conv0;
    private final NDArray conv0Bias;
    /** [block][conv] for the separable convolutions (block 0's conv 0 is the plain conv0 above). */
    private final NDArray[][] depthwise = new NDArray[4][4];
    private final NDArray[][] pointwise = new NDArray[4][4];
    private final NDArray[][] bias = new NDArray[4][4];
    /** face-api's mean colour in [0, 1] units, taken off every pixel. */
    private final NDArray mean;

    /** The backbone of a face-api model whose weights are named {@code dense0/...} to {@code dense3/...}. */
    FaceFeatureNet(TfjsWeights w, Device device) {
        DjlRuntime.engine();
        weights = NDManager.newBaseManager(device);
        try {
            conv0 = TfLayers.convFilter(weights, w.get("dense0/conv0/filters", 3, 3, 3, 32));
            conv0Bias = TfLayers.vector(weights, w.get("dense0/conv0/bias", 32));
            for (int b = 0; b < 4; b++) {
                for (int c = b == 0 ? 1 : 0; c < 4; c++) {
                    String p = "dense" + b + "/conv" + c + "/";
                    depthwise[b][c] = TfLayers.depthwiseFilter(weights, w.get(p + "depthwise_filter"));
                    pointwise[b][c] = TfLayers.convFilter(weights, w.get(p + "pointwise_filter"));
                    bias[b][c] = TfLayers.vector(weights, w.get(p + "bias"));
                }
            }
            float[] meanUnit = new float[3];
            for (int c = 0; c < 3; c++) {
                meanUnit[c] = MEAN_RGB[c] / 255f;
            }
            mean = DjlRuntime.constant(weights, meanUnit, new Shape(1, 3, 1, 1));
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /**
     * The backbone of a face-api model whose files ({@code <name>-weights_manifest.json} and its shards) lie in
     * {@code folder}, e.g. face-api's expression network ({@code face_expression_model} of the npm package
     * {@code @vladmandic/face-api}, MIT): a face network trained for another task than recognition, for objectives
     * that need a second view of a face.
     */
    public static FaceFeatureNet load(Path folder, String name, Device device) throws IOException {
        JsonArray manifest;
        try (Reader r = Files.newBufferedReader(folder.resolve(name + "-weights_manifest.json"), StandardCharsets.UTF_8)) {
            manifest = JsonParser.parseReader(r).getAsJsonArray();
        }
        return new FaceFeatureNet(TfjsWeights.load(name, manifest, folder), device);
    }

    /** The backbone of a face-api model shipped with the engine (e.g. {@code face_landmark_68_model}). */
    public static FaceFeatureNet loadResource(String model, Device device) {
        return new FaceFeatureNet(TfjsWeights.loadResource(model), device);
    }

    /** The manager the weights live in, for a head's own weights. */
    NDManager weights() {
        return weights;
    }

    /**
     * The pooled features ({@code N x 256}) of faces given as {@code N x 3 x 112 x 112} RGB in [0, 1]; differentiable
     * in the faces.
     */
    public NDArray features(NDArray faces) {
        return pooled(faces.sub(mean));
    }

    /**
     * The feature map after the first {@code blocks} dense blocks (1 to 4: 32, 64, 128 and 256 channels at a half,
     * quarter, eighth and sixteenth of the input's side) of faces given as for {@link #features}; differentiable in
     * the faces. Earlier maps hold the low-level face features a perturbation aimed at one network shares with others.
     */
    public NDArray featureMap(NDArray faces, int blocks) {
        if (blocks < 1 || blocks > 4) {
            throw new IllegalArgumentException("the backbone has 4 dense blocks; asked for " + blocks);
        }
        return blocks(faces.sub(mean), blocks);
    }

    /** The pooled features of faces already normalised as face-api feeds them. */
    NDArray pooled(NDArray normalised) {
        NDArray x = blocks(normalised, 4);
        return x.reshape(x.getShape().get(0), x.getShape().get(1), -1).mean(new int[] {2});
    }

    private NDArray blocks(NDArray normalised, int count) {
        NDArray x = normalised;
        for (int b = 0; b < count; b++) {
            x = denseBlock(x, b);
        }
        return x;
    }

    private NDArray denseBlock(NDArray x, int b) {
        NDArray out1 = b == 0
                ? TfLayers.conv(x, conv0, conv0Bias, 2, 1).clip(0, Float.MAX_VALUE)
                : separable(x, b, 0, 2).clip(0, Float.MAX_VALUE);
        NDArray out2 = separable(out1, b, 1, 1);
        NDArray in3 = out1.add(out2).clip(0, Float.MAX_VALUE);
        NDArray out3 = separable(in3, b, 2, 1);
        NDArray in4 = out1.add(out2).add(out3).clip(0, Float.MAX_VALUE);
        NDArray out4 = separable(in4, b, 3, 1);
        return out1.add(out2).add(out3).add(out4).clip(0, Float.MAX_VALUE);
    }

    private NDArray separable(NDArray x, int b, int c, int stride) {
        long channels = x.getShape().get(1);
        NDArray dw = TfLayers.conv(x, depthwise[b][c], null, stride, (int) channels);
        return TfLayers.conv(dw, pointwise[b][c], bias[b][c], 1, 1);
    }

    @Override
    public void close() {
        weights.close();
    }
}
