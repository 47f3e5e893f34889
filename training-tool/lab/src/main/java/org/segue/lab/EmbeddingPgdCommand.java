package org.segue.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.segue.engine.generator.Perturbation;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.ImageOps;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.training.EmbeddingObjective;
import org.segue.engine.training.ImageFolder;
import org.segue.lab.dataset.DatasetProtector;
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

    @Option(names = "--batch-size", defaultValue = "16", description = "default ${DEFAULT-VALUE}")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", description = "input diversity's seed; default ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(output)) {
            throw new IllegalArgumentException(output + " exists; choose a new output folder");
        }
        if (!(budget > 0 && budget <= 255) || steps < 1 || batchSize < 1) {
            throw new IllegalArgumentException("budget must be in (0, 255], steps and batch size positive");
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
        try (EmbeddingObjective objective = new EmbeddingObjective(size, DjlRuntime.defaultDevice());
             NDManager manager = DjlRuntime.engine().newBaseManager(DjlRuntime.defaultDevice())) {
            List<ImageFolder.Sample> samples = faces.samples();
            for (int i = 0; i < samples.size(); i += batchSize) {
                List<ImageFolder.Sample> chunk = samples.subList(i, Math.min(samples.size(), i + batchSize));
                List<RgbImage> originals = new ArrayList<>();
                for (ImageFolder.Sample s : chunk) {
                    originals.add(ImageCodec.read(s.file()));
                }
                List<RgbImage> small = originals.stream().map(o -> ImageOps.resize(o, size, size)).toList();
                List<RgbImage> deltas;
                try (NDManager batch = manager.newSubManager()) {
                    NDArray clean = Batches.stack(batch, small);
                    NDArray raw = clean.zerosLike();
                    before += chunk.size() * objective.similarity(clean, clean).getFloat();
                    for (int k = 0; k < steps; k++) {
                        try (NDManager stepScope = batch.newSubManager()) {
                            raw.setRequiresGradient(true);
                            NDArray next;
                            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                                NDArray protectedFaces = Perturbation.apply(clean, Perturbation.delta(raw, eps, grey));
                                NDArray sim = objective.similarity(clean, protectedFaces, rng);
                                gc.backward(sim);
                            }
                            next = raw.stopGradient().sub(raw.getGradient().sign().mul(step)).clip(-eps, eps);
                            next.attach(batch);
                            raw = next;
                        }
                    }
                    NDArray delta = Perturbation.delta(raw, eps, grey);
                    after += chunk.size() * objective.similarity(clean, Perturbation.apply(clean, delta)).getFloat();
                    deltas = Batches.unstack(delta);
                }
                for (int j = 0; j < chunk.size(); j++) {
                    RgbImage o = originals.get(j);
                    float[] d = ImageOps.resizePlanes(deltas.get(j).chw(), 3, size, size, o.height(), o.width());
                    float[] x = o.chw();
                    float[] y = new float[x.length];
                    for (int p = 0; p < x.length; p++) {
                        y[p] = Math.min(1f, Math.max(0f, x[p] + d[p]));
                    }
                    ImageFolder.Sample s = chunk.get(j);
                    ImageCodec.writePng(new RgbImage(y, o.height(), o.width()), output
                            .resolve(faces.classes().get(s.label())).resolve(DatasetProtector.pngName(s.file())));
                }
                done += chunk.size();
                System.err.printf(Locale.ROOT, "%d/%d faces, similarity %.3f -> %.3f (%.0f s)%n", done, samples.size(),
                        before / done, after / done, (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "%d faces, %d steps at %d px, budget %.1f levels%s: the recogniser's similarity to "
                + "the clean face %.3f -> %.3f; %.1f s per face%n", done, steps, size, budget, grey ? " (grey)" : "",
                before / done, after / done, (System.nanoTime() - t0) / 1e9 / done);
        return 0;
    }
}
