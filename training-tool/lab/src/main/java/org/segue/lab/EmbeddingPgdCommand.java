package org.segue.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.segue.engine.face.FaceFeatureNet;
import org.segue.engine.generator.FaceMask;
import org.segue.engine.generator.Perturbation;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.sideinfo.Embeddings;
import org.segue.engine.training.EmbeddingObjective;
import org.segue.engine.training.ImageFolder;
import org.segue.lab.dataset.DatasetProtector;
import org.segue.lab.recognisers.HeldOutRecognisers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

@Command(name = "embedding-pgd", mixinStandardHelpOptions = true,
        description = {"Per-image optimisation against the shipped recogniser (dlib's ResNet), for comparison with the",
                "generator: each face's perturbation is found by signed gradient steps on the embedding objective the",
                "trainer uses (cosine similarity to the clean face's embedding, with the same input diversity), within",
                "the budget and the face oval, at the training resolution, then resized to the file's size and added.",
                "What this reaches bounds what a generator trained on the same objective can; what it reaches against",
                "held-out recognisers (segue-lab recognisers) is the objective's transfer. Writes lossless PNGs in the",
                "protect-dataset layout."})
final class EmbeddingPgdCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, description = "faces, aligned as the training crops: <person>/<images>")
    Path input;

    @Option(names = "--output", required = true, description = "output folder (must not exist yet)")
    Path output;

    @Option(names = "--budget", defaultValue = "8", description = "largest change per 8-bit sample; default ${DEFAULT-VALUE}")
    float budget;

    @Option(names = "--steps", defaultValue = "20", description = "signed gradient steps; default ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--size", defaultValue = "112", description = "resolution the perturbation is found at; default ${DEFAULT-VALUE}")
    int size;

    @Option(names = "--grey", description = "one change for R, G and B alike (brightness only)")
    boolean grey;

    @Option(names = "--samples", defaultValue = "1", description = "input-diversity draws whose gradients each step "
            + "averages; default ${DEFAULT-VALUE}")
    int draws;

    @Option(names = "--momentum", defaultValue = "0", description = "momentum of the normalised gradient (MI-FGSM; 1.0 "
            + "is its authors' choice, 0 plain signed steps); default ${DEFAULT-VALUE}")
    float momentum;

    @Option(names = "--smooth", defaultValue = "0", description = "Gaussian blur of each step's gradient, sigma in pixels "
            + "at --size (translation-invariant attacks; 0 none); default ${DEFAULT-VALUE}")
    float smooth;

    @Option(names = "--feature-nets", split = ",", description = "more surrogates beside dlib, each a face-api "
            + "feature extractor whose pooled features the similarity also counts: landmark (shipped), expression "
            + "(face_expression_model from --face-api-models)")
    List<String> featureNets = List.of();

    @Option(names = "--feature-depth", defaultValue = "0", description = "with --feature-nets: compare each network's "
            + "feature map after this many of its 4 blocks (1-4, flattened) instead of its pooled features (0); "
            + "default ${DEFAULT-VALUE}")
    int featureDepth;

    @Option(names = "--face-api-models", description = "folder with face-api's model files (npm @vladmandic/face-api, MIT)")
    Path faceApiModels;

    @Option(names = "--surrogate-recognisers", split = ",", description = "held-out recognisers used as surrogates "
            + "instead, beside dlib (" + HeldOutRecognisers.NAMES + ", from --models): to learn whether recognisers "
            + "trained for identity transfer to the ones left out; their weights never ship")
    List<String> surrogateRecognisers = List.of();

    @Option(names = "--models", description = "the models folder of " + HeldOutRecognisers.PACKAGE)
    Path models;

    @Option(names = "--decoy", description = "also pull each face towards a decoy: the mean clean embedding (and "
            + "features) of the next person of the input folder, so that a person's faces move together to another's")
    boolean decoy;

    @Option(names = "--batch-size", defaultValue = "16", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "input diversity's seed; default ${DEFAULT-VALUE}")
    long seed;

    /** The objectives of --surrogate-recognisers, each counted like dlib's. */
    private final List<EmbeddingObjective> recognisers = new ArrayList<>();

    /** [network][person] unit mean of the clean faces' embeddings (dlib first, then each feature net). */
    private float[][][] decoys; // null without --decoy

    @Override
    public Integer call() throws Exception {
        if (Files.exists(output)) {
            throw new IllegalArgumentException(output + " exists; choose a new output folder");
        }
        if (!(budget > 0 && budget <= 255) || steps < 1 || batchSize < 1 || draws < 1 || momentum < 0 || smooth < 0) {
            throw new IllegalArgumentException("budget must be in (0, 255], steps, samples and batch size positive, "
                    + "momentum and smoothing 0 or more");
        }
        long t0 = System.nanoTime();
        float eps = budget / 255f;
        // a step of a quarter of the budget: the first steps reach the bound, the later ones move along it
        float step = Math.max(eps / 4, 0.5f / 255f);
        ImageFolder faces = ImageFolder.scan(input);
        Random rng = new Random(seed);
        double before = 0;
        double after = 0;
        int done = 0;
        DjlRuntime.noGradientsOnThisThread();
        if (featureDepth < 0 || featureDepth > 4 || (featureDepth > 0 && (featureNets.isEmpty() || decoy))) {
            throw new IllegalArgumentException("--feature-depth is 0 (pooled) or 1-4 with --feature-nets, without --decoy");
        }
        if (!surrogateRecognisers.isEmpty() && decoy) {
            throw new IllegalArgumentException("--surrogate-recognisers goes without --decoy");
        }
        if (!featureNets.isEmpty() && size != FaceFeatureNet.INPUT_SIZE) {
            throw new IllegalArgumentException("--feature-nets needs --size " + FaceFeatureNet.INPUT_SIZE);
        }
        List<FaceFeatureNet> extra = new ArrayList<>();
        for (String net : featureNets) {
            switch (net) {
                case "landmark" -> extra.add(FaceFeatureNet.loadResource("face_landmark_68_model", DjlRuntime.defaultDevice()));
                case "expression" -> {
                    if (faceApiModels == null) {
                        throw new IllegalArgumentException("--feature-nets expression needs --face-api-models");
                    }
                    extra.add(FaceFeatureNet.load(faceApiModels, "face_expression_model", DjlRuntime.defaultDevice()));
                }
                default -> throw new IllegalArgumentException("unknown feature net " + net + ": landmark or expression");
            }
        }
        for (String name : surrogateRecognisers) {
            try {
                recognisers.add(new EmbeddingObjective(HeldOutRecognisers.open(name, models), size));
            } catch (RuntimeException | java.io.IOException e) {
                recognisers.forEach(EmbeddingObjective::close);
                extra.forEach(FaceFeatureNet::close);
                throw e;
            }
        }
        try (EmbeddingObjective objective = new EmbeddingObjective(size, DjlRuntime.defaultDevice());
             NDManager manager = DjlRuntime.engine().newBaseManager(DjlRuntime.defaultDevice())) {
            List<ImageFolder.Sample> samples = faces.samples();
            decoys = decoy ? centroids(faces, objective, extra, manager) : null;
            for (int i = 0; i < samples.size(); i += batchSize) {
                List<ImageFolder.Sample> chunk = samples.subList(i, Math.min(samples.size(), i + batchSize));
                List<RgbImage> originals = new ArrayList<>();
                for (ImageFolder.Sample s : chunk) {
                    originals.add(ImageCodec.read(s.file()));
                }
                List<RgbImage> small = originals.stream().map(o -> ImageOps.resize(o, size, size)).toList();
                List<RgbImage> deltas;
                int[] labels = chunk.stream().mapToInt(ImageFolder.Sample::label).toArray();
                try (NDManager batch = manager.newSubManager()) {
                    NDArray clean = Batches.stack(batch, small);
                    NDArray raw = clean.zerosLike();
                    NDArray velocity = clean.zerosLike();
                    NDArray blur = smooth > 0 ? gaussian(batch, smooth) : null;
                    before += chunk.size() * objective.similarity(clean, clean).getFloat();
                    for (int k = 0; k < steps; k++) {
                        try (NDManager stepScope = batch.newSubManager()) {
                            // every array of the step's passes follows its first operand's manager: a copy of the
                            // clean faces in the step's manager keeps them there, freed with it
                            NDArray cleanStep = clean.duplicate();
                            cleanStep.attach(stepScope);
                            NDArray gradient = null;
                            for (int draw = 0; draw < draws; draw++) {
                                NDArray leaf = raw.duplicate();
                                leaf.attach(stepScope);
                                leaf.setRequiresGradient(true);
                                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                                    NDArray protectedFaces = Perturbation.apply(cleanStep, Perturbation.delta(leaf, eps, grey, FaceMask.FACE));
                                    gc.backward(similarity(objective, extra, cleanStep, protectedFaces, labels, rng));
                                }
                                NDArray g = leaf.getGradient().duplicate();
                                gradient = gradient == null ? g : gradient.add(g);
                            }
                            if (blur != null) {
                                gradient = blurred(gradient, blur);
                            }
                            NDArray direction = gradient;
                            if (momentum > 0) {
                                // each image's gradient normalised by its mean magnitude, as MI-FGSM does
                                long n = gradient.getShape().get(0);
                                NDArray scale = gradient.abs().reshape(n, -1).mean(new int[] {1}, true)
                                        .reshape(n, 1, 1, 1).add(1e-12f);
                                NDArray v = velocity.mul(momentum).add(gradient.div(scale));
                                v.attach(batch);
                                velocity = v;
                                direction = v;
                            }
                            NDArray next = raw.sub(direction.sign().mul(step)).clip(-eps, eps);
                            next.attach(batch);
                            raw = next;
                        }
                    }
                    NDArray delta = Perturbation.delta(raw, eps, grey, FaceMask.FACE);
                    after += chunk.size() * objective.similarity(clean, Perturbation.apply(clean, delta)).getFloat();
                    deltas = Batches.unstack(delta);
                }
                for (int j = 0; j < chunk.size(); j++) {
                    RgbImage o = originals.get(j);
                    float[] d = ImageOps.resizePlanes(deltas.get(j).chw(), 3, size, size, o.height(), o.width());
                    ImageFolder.Sample s = chunk.get(j);
                    ImageCodec.writePng(o.plusClamped(d), output
                            .resolve(faces.classes().get(s.label())).resolve(DatasetProtector.pngName(s.file())));
                }
                done += chunk.size();
                System.err.printf(Locale.ROOT, "%d/%d faces, similarity %.3f -> %.3f (%.0f s)%n", done, samples.size(),
                        before / done, after / done, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            extra.forEach(FaceFeatureNet::close);
            recognisers.forEach(EmbeddingObjective::close);
        }
        System.out.printf(Locale.ROOT, "%d faces, %d steps at %d px (%d draws, momentum %.1f, gradient blur %.1f px), "
                + "budget %.1f levels%s: the recogniser's similarity to the clean face %.3f -> %.3f; %.1f s per face%n",
                done, steps, size, draws, momentum, smooth, budget, grey ? " (grey)" : "", before / done, after / done,
                (System.nanoTime() - t0) / 1e9 / done);
        return 0;
    }

    /**
     * The objective: dlib's similarity with its input diversity, averaged with each extra network's cosine similarity
     * between the protected and the clean faces' pooled features (the faces as they are: both work at 112 px) and
     * with each surrogate recogniser's similarity (input diversity as dlib's).
     */
    private NDArray similarity(EmbeddingObjective objective, List<FaceFeatureNet> extra, NDArray clean,
                               NDArray protectedFaces, int[] labels, Random rng) {
        NDArray total = objective.similarity(clean, protectedFaces, rng);
        if (decoys != null) {
            total = total.sub(objective.similarityTo(decoyRows(decoys[0], labels, clean.getManager()), protectedFaces, rng));
        }
        for (int n = 0; n < extra.size(); n++) {
            NDArray features = unit(view(extra.get(n), protectedFaces));
            total = total.add(features.mul(unit(view(extra.get(n), clean)).stopGradient()).sum(new int[] {1}).mean());
            if (decoys != null) {
                total = total.sub(features.mul(decoyRows(decoys[n + 1], labels, clean.getManager())).sum(new int[] {1}).mean());
            }
        }
        for (EmbeddingObjective recogniser : recognisers) {
            total = total.add(recogniser.similarity(clean, protectedFaces, rng));
        }
        return total.div(1 + extra.size() + recognisers.size());
    }

    /** Each person's decoy: the next person's centroid, one row per face. */
    private static NDArray decoyRows(float[][] centroids, int[] labels, NDManager manager) {
        int d = centroids[0].length;
        float[] rows = new float[labels.length * d];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(centroids[(labels[i] + 1) % centroids.length], 0, rows, i * d, d);
        }
        return DjlRuntime.constant(manager, rows, new ai.djl.ndarray.types.Shape(labels.length, d));
    }

    /** The unit mean, per person, of each network's unit embeddings of the clean faces. */
    private float[][][] centroids(ImageFolder faces, EmbeddingObjective objective, List<FaceFeatureNet> extra,
                                  NDManager manager) throws java.io.IOException {
        List<ImageFolder.Sample> samples = faces.samples();
        float[][][] rows = new float[1 + extra.size()][samples.size()][];
        for (int i = 0; i < samples.size(); i += batchSize) {
            List<ImageFolder.Sample> chunk = samples.subList(i, Math.min(samples.size(), i + batchSize));
            List<RgbImage> small = new ArrayList<>();
            for (ImageFolder.Sample s : chunk) {
                small.add(ImageOps.resize(ImageCodec.read(s.file()), size, size));
            }
            try (NDManager batch = manager.newSubManager()) {
                NDArray clean = Batches.stack(batch, small);
                List<NDArray> views = new ArrayList<>();
                views.add(objective.embeddings(clean));
                for (FaceFeatureNet net : extra) {
                    views.add(net.features(clean));
                }
                for (int n = 0; n < views.size(); n++) {
                    float[] v = views.get(n).toFloatArray();
                    int d = v.length / chunk.size();
                    for (int j = 0; j < chunk.size(); j++) {
                        rows[n][i + j] = Embeddings.unitLength(java.util.Arrays.copyOfRange(v, j * d, (j + 1) * d));
                    }
                }
            }
        }
        int[] labels = faces.labels();
        float[][][] centroids = new float[rows.length][faces.classes().size()][];
        for (int person = 0; person < faces.classes().size(); person++) {
            int p = person;
            int[] members = java.util.stream.IntStream.range(0, labels.length).filter(k -> labels[k] == p).toArray();
            for (int n = 0; n < rows.length; n++) {
                centroids[n][person] = Embeddings.meanDirection(rows[n], members);
            }
        }
        return centroids;
    }

    /** What the objective compares of a feature network: pooled features, or a flattened block's feature map. */
    private NDArray view(FaceFeatureNet net, NDArray faces) {
        if (featureDepth == 0) {
            return net.features(faces);
        }
        NDArray map = net.featureMap(faces, featureDepth);
        return map.reshape(map.getShape().get(0), -1);
    }

    private static NDArray unit(NDArray v) {
        return v.div(v.square().sum(new int[] {1}, true).add(1e-12f).sqrt());
    }

    /** A normalised 1-D Gaussian of {@code sigma} pixels, 3 sigma each side, as a (3, 1, 1, taps) depthwise kernel. */
    private static NDArray gaussian(NDManager manager, float sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        float[] taps = new float[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            taps[i + radius] = (float) Math.exp(-0.5 * i * i / (sigma * sigma));
            total += taps[i + radius];
        }
        float[] kernel = new float[3 * taps.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < taps.length; i++) {
                kernel[c * taps.length + i] = (float) (taps[i] / total);
            }
        }
        return DjlRuntime.constant(manager, kernel, new ai.djl.ndarray.types.Shape(3, 1, 1, taps.length));
    }

    /** {@code x} (N,3,H,W) blurred by the separable {@code kernel}, zero beyond the edges. */
    private static NDArray blurred(NDArray x, NDArray kernel) {
        long radius = (kernel.getShape().get(3) - 1) / 2;
        ai.djl.ndarray.types.Shape none = new ai.djl.ndarray.types.Shape(1, 1);
        NDArray across = ai.djl.nn.convolutional.Conv2d.conv2d(x, kernel, null, none,
                new ai.djl.ndarray.types.Shape(0, radius), none, 3).singletonOrThrow();
        NDArray down = kernel.reshape(3, 1, kernel.getShape().get(3), 1);
        return ai.djl.nn.convolutional.Conv2d.conv2d(across, down, null, none,
                new ai.djl.ndarray.types.Shape(radius, 0), none, 3).singletonOrThrow();
    }
}
