package org.segue.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.segue.engine.distortion.DifferentiableJpeg;
import org.segue.engine.face.CropFraming;
import org.segue.engine.face.DifferentiableEmbedder;
import org.segue.engine.face.FaceRecognitionNet;
import org.segue.engine.face.Similarity;
import org.segue.engine.internal.DjlRuntime;

import java.util.Random;

/**
 * Protection against pretrained recognition, as a loss for the generator: the mean cosine similarity between the
 * embedding a pretrained recogniser (the shipped dlib ResNet by default; any {@link DifferentiableEmbedder}) gives
 * each protected training face and the one it gives the clean face. Minimising it moves every protected face away
 * from where its person's clean photos lie, so a gallery enrolled from protected photos does not match the
 * person's new photos (untargeted; no decoy).
 *
 * <p>The training faces are aligned crops on the canonical template ({@link CropFraming#trainingCrops}); the
 * recogniser's crop is another framing of the same template, so one resampling (separable: the two framings differ
 * in zoom and offset only) cuts it from them, differentiably. For transfer to recognisers it never saw, each step
 * draws input diversity for the protected faces: the recogniser's crop zoomed by up to +-{@value #MAX_ZOOM} and moved
 * by up to +-{@value #MAX_SHIFT} of its width, and with probability {@value #JPEG_P} a JPEG round trip at quality
 * {@value #JPEG_MIN_QUALITY}-{@value #JPEG_MAX_QUALITY}. The clean faces' embeddings are targets: no gradient.
 */
public final class EmbeddingObjective implements AutoCloseable {

    static final double MAX_ZOOM = 0.1;
    static final double MAX_SHIFT = 0.05;
    static final double JPEG_P = 0.5;
    static final int JPEG_MIN_QUALITY = 50;
    static final int JPEG_MAX_QUALITY = 90;

    private final DifferentiableEmbedder recogniser;
    private final int inputSize;
    private final Similarity cropToInput;

    /** The objective for training faces of {@code inputSize} pixels, with the shipped recogniser on the device. */
    public EmbeddingObjective(int inputSize, ai.djl.Device device) {
        this(FaceRecognitionNet.load(device), inputSize);
    }

    /**
     * The objective for training faces of {@code inputSize} pixels against {@code recogniser}, whose crop must
     * be a framing of the training crops' template (zoom and offset only); closing the objective closes it.
     */
    public EmbeddingObjective(DifferentiableEmbedder recogniser, int inputSize) {
        this.recogniser = recogniser;
        this.inputSize = inputSize;
        this.cropToInput = Similarity.fit(recogniser.framing().templatePoints(),
                CropFraming.trainingCrops(inputSize).templatePoints());
        if (Math.abs(cropToInput.b()) > 1e-9) {
            throw new IllegalStateException("the recogniser's framing is turned against the training crops'");
        }
    }

    /**
     * The mean cosine similarity (a scalar) of the recogniser's embeddings of {@code protectedImages}, seen with
     * this step's input diversity (drawn from {@code rng}), to those of {@code clean} (both N,3,H,W at the input
     * size, in [0, 1]); differentiable in {@code protectedImages}.
     */
    public NDArray similarity(NDArray clean, NDArray protectedImages, Random rng) {
        return similarityTo(embeddings(clean).stopGradient(), protectedImages, rng);
    }

    /**
     * The mean cosine similarity of the recogniser's embeddings of {@code protectedImages}, seen with this step's input
     * diversity, to {@code targets} (unit embeddings, one row per image): towards a decoy as well as away from the
     * face itself.
     */
    public NDArray similarityTo(NDArray targets, NDArray protectedImages, Random rng) {
        double zoom = 1 + MAX_ZOOM * (2 * rng.nextDouble() - 1);
        double dx = MAX_SHIFT * (2 * rng.nextDouble() - 1);
        double dy = MAX_SHIFT * (2 * rng.nextDouble() - 1);
        NDArray seen = cut(protectedImages, zoom, dx, dy);
        if (rng.nextDouble() < JPEG_P) {
            seen = DifferentiableJpeg.apply(seen, JPEG_MIN_QUALITY + rng.nextInt(JPEG_MAX_QUALITY - JPEG_MIN_QUALITY + 1));
        }
        return unit(recogniser.forward(seen)).mul(targets).sum(new int[] {1}).mean();
    }

    /**
     * The mean cosine similarity of the recogniser's embeddings of {@code protectedImages} to those of {@code clean},
     * each seen as it is (no input diversity): how much protection moved the faces, for a measurement.
     */
    public NDArray similarity(NDArray clean, NDArray protectedImages) {
        return embeddings(protectedImages).mul(embeddings(clean)).sum(new int[] {1}).mean();
    }

    /** The recogniser's unit embeddings of training faces (N,3,H,W at the input size, in [0, 1]), seen as they are. */
    public NDArray embeddings(NDArray faces) {
        return unit(recogniser.forward(cut(faces, 1, 0, 0)));
    }

    /**
     * The recogniser's crop of training faces, zoomed by {@code zoom} about its centre and moved by {@code dx, dy}
     * of its width: {@code rows x images x columns^T}, each a resampling matrix.
     */
    NDArray cut(NDArray images, double zoom, double dx, double dy) {
        NDManager nd = images.getManager();
        int size = recogniser.framing().size();
        double centre = (size - 1) / 2.0;
        double[] x = new double[size];
        double[] y = new double[size];
        for (int k = 0; k < size; k++) {
            double c = centre + (k - centre) * zoom;
            x[k] = cropToInput.mapX(c + dx * size, 0);
            y[k] = cropToInput.mapY(0, c + dy * size);
        }
        double step = cropToInput.scale() * zoom;
        NDArray rows = DjlRuntime.constant(nd, resampling(y, step, inputSize), new Shape(size, inputSize));
        NDArray columns = DjlRuntime.constant(nd, resampling(x, step, inputSize), new Shape(size, inputSize));
        return rows.matMul(images).matMul(columns.transpose());
    }

    /**
     * A matrix (positions x {@code length}) whose row k interpolates samples {@code 0..length-1} at
     * {@code positions[k]}: linear interpolation, widened to a triangle of {@code step} samples where the crop
     * shrinks (so that it averages instead of skipping), the edge sample repeated beyond the ends.
     */
    static float[] resampling(double[] positions, double step, int length) {
        double radius = Math.max(1, step);
        float[] m = new float[positions.length * length];
        for (int k = 0; k < positions.length; k++) {
            double p = positions[k];
            double total = 0;
            int from = (int) Math.floor(p - radius);
            int to = (int) Math.ceil(p + radius);
            double[] w = new double[length];
            for (int s = from; s <= to; s++) {
                double weight = Math.max(0, 1 - Math.abs(s - p) / radius);
                w[Math.min(length - 1, Math.max(0, s))] += weight;
                total += weight;
            }
            for (int s = 0; s < length; s++) {
                m[k * length + s] = (float) (w[s] / total);
            }
        }
        return m;
    }

    private static NDArray unit(NDArray embeddings) {
        return embeddings.div(embeddings.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    @Override
    public void close() {
        recogniser.close();
    }
}
