package org.segue.engine.generator;

import org.segue.engine.sideinfo.LabelCode;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.segue.engine.generator.ModelFile;
import org.segue.engine.generator.ModelFormatException;
import org.segue.engine.generator.ModelInfo;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.generator.StateDicts;
import org.segue.engine.generator.Tensor;
import org.segue.engine.internal.DjlRuntime;

import ai.djl.ndarray.NDScope;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Segue generator with its metadata, ready to protect face images: the engine's entry point for
 * everything that runs G. Load one from a model file, create a fresh one to train, or import a
 * PyTorch checkpoint of the authors' network.
 */
public final class SegueModel implements AutoCloseable {

    private final NDManager manager;
    private final SegueGenerator generator;
    private final ParameterStore parameters;
    private volatile ModelInfo info;

    private SegueModel(ModelInfo info, Device device) {
        if (!SegueGenerator.ARCHITECTURE.equals(info.architecture())) {
            throw new IllegalArgumentException("unsupported generator architecture '" + info.architecture()
                    + "'; this Segue runs " + SegueGenerator.ARCHITECTURE);
        }
        SegueGenerator.checkInputSize(info.inputHeight(), info.inputWidth());
        Perturbation.checkEpsilon(info.epsilon());
        FaceMask.fromRecipe(info.recipe().get(FaceMask.RECIPE_KEY)); // an area this version knows, or refused here
        this.info = info;
        DjlRuntime.noGradientsOnThisThread();
        this.manager = DjlRuntime.engine().newBaseManager(device);
        this.generator = new SegueGenerator(info.codeBits());
        generator.initialize(manager, info.inputHeight(), info.inputWidth());
        this.parameters = new ParameterStore(manager, false);
    }

    /** A freshly initialised generator (weights N(0, 0.02)) for training. */
    public static SegueModel create(ModelInfo info, Device device) {
        return new SegueModel(info, device);
    }

    /** Loads and verifies a model file on the default device. */
    public static SegueModel load(Path file) throws IOException {
        return load(file, DjlRuntime.defaultDevice());
    }

    public static SegueModel load(Path file, Device device) throws IOException {
        return load(ModelFile.read(file), file.toString(), device);
    }

    /** Class-path location of the default model shipped inside the engine jar (see docs/model-card.md). */
    public static final String DEFAULT_MODEL_RESOURCE = "/org/segue/engine/models/default.segue";

    /** Loads the default model shipped inside the engine jar. */
    public static SegueModel loadDefault(Device device) throws IOException {
        try (java.io.InputStream in = SegueModel.class.getResourceAsStream(DEFAULT_MODEL_RESOURCE)) {
            if (in == null) {
                throw new ModelFormatException("the default model " + DEFAULT_MODEL_RESOURCE + " is missing from the engine jar");
            }
            return load(in.readAllBytes(), "default model", device);
        }
    }

    /** Loads a model held in memory, e.g. a resource shipped inside a jar. */
    public static SegueModel load(byte[] bytes, String source, Device device) throws IOException {
        return load(ModelFile.parse(bytes, source), source, device);
    }

    /**
     * Builds a model from a file already read and verified, e.g. one whose header a caller checked before
     * committing to it; {@code source} names it in errors.
     */
    public static SegueModel load(ModelFile.Contents contents, String source, Device device)
            throws ModelFormatException {
        SegueModel model;
        try {
            model = new SegueModel(contents.info(), device);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(source + ": " + e.getMessage(), e);
        }
        try {
            StateDicts.load(model.generator.stateDict(), contents.weights());
        } catch (IllegalArgumentException e) {
            model.close();
            throw new ModelFormatException(source + " does not fit the generator: " + e.getMessage(), e);
        }
        return model;
    }

    /**
     * A model from a generator state_dict in PyTorch's parameter names (the authors' checkpoints, read by
     * the lab); the num_batches_tracked counters are ignored.
     *
     * @param source names the weights in the error message when they do not fit
     */
    public static SegueModel fromStateDict(Map<String, Tensor> weights, ModelInfo info, Device device, String source)
            throws ModelFormatException {
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(weights);
        tensors.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        SegueModel model = new SegueModel(info, device);
        try {
            StateDicts.load(model.generator.stateDict(), tensors);
        } catch (IllegalArgumentException e) {
            model.close();
            throw new ModelFormatException(source + " is not a Segue generator checkpoint: " + e.getMessage(), e);
        }
        return model;
    }

    /** Writes the model file atomically, with the given recipe entries added to its metadata. */
    public void save(Path file, Map<String, String> recipe) throws IOException {
        info = info.withRecipe(recipe);
        ModelFile.write(file, info, StateDicts.export(generator.stateDict()));
    }

    public ModelInfo info() {
        return info;
    }

    /**
     * The face size the model was trained at: the recipe's input size, which is larger than the
     * generator's own size for a band-limited model (perturbation scale above 1); the generator's size
     * for a model without a recipe, such as the authors' imported one.
     */
    public int trainingInputSize() {
        String size = info.recipe().get("input.size");
        return size == null ? info.inputHeight() : Integer.parseInt(size.trim());
    }

    /** Whether this model was trained to change brightness only (one change for R, G and B alike). */
    public boolean greyPerturbation() {
        return Perturbation.GREY.equals(info.recipe().get(Perturbation.COLOUR_KEY));
    }

    /**
     * The area of the face this model's perturbation is confined to, as it was trained ({@link FaceMask#FACE} for a
     * model whose file names none).
     */
    public FaceMask area() {
        return FaceMask.fromRecipe(info.recipe().get(FaceMask.RECIPE_KEY));
    }

    /** The recipe's "codes" entry of a model trained on pseudo labels with the codes of automatic grouping. */
    public static final String GROUP_CODES = "group codes (as automatic grouping)";

    /** Whether this model was trained with the codes of identity names (train --codes name). */
    public boolean usesNameCodes() {
        return info.recipe().getOrDefault("codes", "").startsWith("folder-name");
    }

    /** Whether this model was trained on pseudo labels with the codes automatic grouping gives its groups. */
    public boolean usesGroupCodes() {
        return GROUP_CODES.equals(info.recipe().get("codes"));
    }

    /**
     * The code of each identity as this model was trained to take it: the code of its name for a
     * model trained with name codes, the code of the group at its position for one trained on pseudo
     * labels with group codes, its position in the list otherwise.
     */
    public int[] codesFor(List<String> identities) {
        int[] codes = new int[identities.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = usesNameCodes() ? LabelCode.labelForName(identities.get(i), info.codeBits()) : codeForCluster(i);
        }
        return codes;
    }

    /** The code this model was trained to take for pseudo label (cluster) {@code cluster}. */
    public int codeForCluster(int cluster) {
        return usesGroupCodes() ? LabelCode.labelForGroup(cluster) : cluster;
    }

    public SegueGenerator generator() {
        return generator;
    }

    public NDManager manager() {
        return manager;
    }

    /** G(x, code) before clamping, in (-1, 1); {@code training} selects BatchNorm batch statistics. */
    public NDArray rawOutput(NDArray images, NDArray codes, boolean training) {
        return generator.forward(parameters, new NDList(images, codes), training).singletonOrThrow();
    }

    /** The clamped perturbation for a batch of images (N,3,H,W in [0,1]) and their identity labels. */
    public NDArray perturbation(NDArray images, int[] labels) {
        NDArray codes = LabelCode.batch(images.getManager(), labels, info.codeBits());
        return Perturbation.delta(rawOutput(images, codes, false), info.epsilon(), greyPerturbation(), area());
    }

    /** Protected images: clamp(x + clamp(G(x, code), -eps, eps), 0, 1), inference mode. */
    public NDArray protect(NDArray images, int[] labels) {
        return Perturbation.apply(images, perturbation(images, labels));
    }

    /**
     * Protects whole images of any size: each is resized (area averaging) to the model's input
     * size, its perturbation is generated there, resized back (bilinear, which stays within the
     * budget) and added at full resolution. Pixels change by at most eps.
     */
    public List<RgbImage> protectImages(List<RgbImage> images, int[] labels) {
        return protectImages(images, labels, info.epsilon());
    }

    /** {@link #protectImages(List, int[])} with the budget tightened to {@code epsilon} (at most the model's). */
    public List<RgbImage> protectImages(List<RgbImage> images, int[] labels, float epsilon) {
        List<float[]> deltas = perturbationsAtFullSize(images, labels, epsilon);
        List<RgbImage> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(images.get(i).plusClamped(deltas.get(i)));
        }
        return out;
    }

    /**
     * {@link #protectImages(List, int[], float)} for any number of images, in generator calls of at most
     * {@code batch} images each, so that memory stays bounded however many there are.
     */
    public List<RgbImage> protectImages(List<RgbImage> images, int[] labels, float epsilon, int batch) {
        if (images.size() != labels.length) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        }
        List<RgbImage> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += batch) {
            int to = Math.min(images.size(), from + batch);
            out.addAll(protectImages(images.subList(from, to), java.util.Arrays.copyOfRange(labels, from, to), epsilon));
        }
        return out;
    }

    /**
     * The perturbation of each image at that image's own size (CHW planes, values in [-eps, eps]):
     * generated at the model's input size and resized back bilinearly, which never leaves the
     * budget. {@code epsilon} may tighten the model's budget, never widen it.
     */
    public List<float[]> perturbationsAtFullSize(List<RgbImage> images, int[] labels, float epsilon) {
        if (images.size() != labels.length) {
            throw new IllegalArgumentException(images.size() + " images but " + labels.length + " labels");
        }
        if (epsilon <= 0 || epsilon > info.epsilon()) {
            throw new IllegalArgumentException("epsilon " + epsilon + " must be in (0, " + info.epsilon()
                    + "], the budget the model was trained for");
        }
        DjlRuntime.noGradientsOnThisThread();
        int h = info.inputHeight();
        int w = info.inputWidth();
        // Resampling a large face region on the host costs more than the generator itself, and each
        // image is independent: spread it over the cores.
        List<RgbImage> small = images.parallelStream()
                .map(img -> img.height() == h && img.width() == w ? img : ImageOps.resize(img, h, w)).toList();
        List<RgbImage> deltas;
        try (NDScope scope = new NDScope(); NDManager batch = manager.newSubManager()) {
            NDArray stacked = Batches.stack(batch, small);
            NDArray codes = LabelCode.batch(batch, labels, info.codeBits());
            deltas = Batches.unstack(Perturbation.delta(rawOutput(stacked, codes, false), epsilon, greyPerturbation(), area()));
        }
        return java.util.stream.IntStream.range(0, images.size()).parallel().mapToObj(i -> {
            RgbImage img = images.get(i);
            return img.height() == h && img.width() == w ? deltas.get(i).chw()
                    : ImageOps.resizePlanes(deltas.get(i).chw(), 3, h, w, img.height(), img.width());
        }).toList();
    }

    @Override
    public void close() {
        manager.close();
    }
}
