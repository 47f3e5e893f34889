package org.segue.lab;

import com.google.gson.JsonObject;
import org.segue.engine.internal.DjlRuntime;
import org.segue.lab.bench.TrainerBenchmark;
import org.segue.engine.training.TrainingConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "bench-train", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {"Benchmark: the trainer's cost per step and per epoch for every combination of input size,",
                "batch size and PGD steps, on the cpu recipe with those overrides. For each setting: a fresh generator",
                "and surrogate, --data-batches batches of random images of --classes labels, then (as in epoch 1)",
                "--warm-up untimed and --steps timed surrogate steps, then the same for generator steps. The steps are",
                "SegueTrainer's own (Run.surrogateStep / Run.generatorStep).",
                "",
                "Per epoch of --epoch-images images (default: WebFace10's 1300), with S = ceil(images / batch) steps:",
                "  generator epoch = S x generator step (every epoch)",
                "  surrogate epoch = S x surrogate step (epochs 1, 6, 11, 16: every 5th)",
                "  mean epoch      = S x (generator step + surrogate step / 5)",
                "  whole run       = S x (E x generator step + ceil(E / 5) x surrogate step), E = --epochs",
                "Medians of the timed steps. With more than one setting each runs in its own child JVM (--fork), so the",
                "peak memory (VmHWM) of a setting is its own."})
final class BenchTrainCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", defaultValue = "112,224",
            description = "training input sizes (default ${DEFAULT-VALUE})")
    int[] sizes;

    @Option(names = "--batches", split = ",", defaultValue = "16,32",
            description = "batch sizes (default ${DEFAULT-VALUE})")
    int[] batches;

    @Option(names = "--pgd", split = ",", defaultValue = "0,1",
            description = "PGD steps of the adversarial distortion: 0 = none, 1 = the cpu recipe's (default ${DEFAULT-VALUE})")
    int[] pgd;

    @Option(names = "--steps", defaultValue = "6", description = "timed steps of each kind per setting (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warm-up", defaultValue = "1", description = "untimed steps of each kind first (default ${DEFAULT-VALUE})")
    int warmUp;

    @Option(names = "--data-batches", defaultValue = "4",
            description = "batches of synthetic images the steps cycle through (default ${DEFAULT-VALUE})")
    int dataBatches;

    @Option(names = "--classes", defaultValue = "10", description = "labels of the synthetic images (default ${DEFAULT-VALUE})")
    int classes;

    @Option(names = "--epoch-images", defaultValue = "1300",
            description = "images per epoch for the derived figures (default ${DEFAULT-VALUE}: WebFace10's training set)")
    int epochImages;

    @Option(names = "--epochs", description = "epochs of the derived whole-run figure (default: the cpu recipe's, 20)")
    Integer epochs;

    @Mixin
    BenchOutputOptions output;

    @Option(names = "--device", defaultValue = "auto", description = "auto | cpu | gpu (default ${DEFAULT-VALUE})")
    String device;


    @Spec
    CommandSpec spec;

    record Setting(int size, int batch, int pgdSteps) {
    }

    /** One setting's figures, as measured (in this JVM or a child). */
    record Measurement(Setting setting, String recipe, double[] generatorSeconds, double[] surrogateSeconds,
                       int stepsPerEpoch, double generatorEpoch, double surrogateEpoch, double meanEpoch,
                       int runEpochs, int surrogateEpochs, double run, double peakMb, String peakScope) {

        static Measurement of(Setting s, TrainerBenchmark.Result r, int images, double peakMb, String peakScope) {
            return new Measurement(s, r.config().describe().toString(), r.generatorSeconds(), r.surrogateSeconds(),
                    r.stepsPerEpoch(images), r.generatorEpochSeconds(images), r.surrogateEpochSeconds(images),
                    r.meanEpochSeconds(images), r.config().epochs(), r.surrogateEpochs(), r.runSeconds(images),
                    peakMb, peakScope);
        }

        BenchSupport.Stats generator() {
            return BenchSupport.Stats.of(generatorSeconds);
        }

        BenchSupport.Stats surrogate() {
            return BenchSupport.Stats.of(surrogateSeconds);
        }

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("inputSize", setting.size());
            o.addProperty("batchSize", setting.batch());
            o.addProperty("pgdSteps", setting.pgdSteps());
            o.addProperty("recipe", recipe);
            o.add("generatorStepSeconds", BenchSupport.Stats.toJson(generatorSeconds, "steps"));
            o.add("surrogateStepSeconds", BenchSupport.Stats.toJson(surrogateSeconds, "steps"));
            o.addProperty("stepsPerEpoch", stepsPerEpoch);
            o.addProperty("generatorEpochSeconds", generatorEpoch);
            o.addProperty("surrogateEpochSeconds", surrogateEpoch);
            o.addProperty("meanEpochSeconds", meanEpoch);
            o.addProperty("runEpochs", runEpochs);
            o.addProperty("runSurrogateEpochs", surrogateEpochs);
            o.addProperty("runSeconds", run);
            o.addProperty("peakResidentMb", peakMb);
            o.addProperty("peakScope", peakScope);
            return o;
        }

        static Measurement fromJson(JsonObject o) {
            return new Measurement(new Setting(o.get("inputSize").getAsInt(), o.get("batchSize").getAsInt(),
                    o.get("pgdSteps").getAsInt()), o.get("recipe").getAsString(),
                    BenchSupport.Stats.values(o.getAsJsonObject("generatorStepSeconds"), "steps"),
                    BenchSupport.Stats.values(o.getAsJsonObject("surrogateStepSeconds"), "steps"),
                    o.get("stepsPerEpoch").getAsInt(), o.get("generatorEpochSeconds").getAsDouble(),
                    o.get("surrogateEpochSeconds").getAsDouble(), o.get("meanEpochSeconds").getAsDouble(),
                    o.get("runEpochs").getAsInt(), o.get("runSurrogateEpochs").getAsInt(),
                    o.get("runSeconds").getAsDouble(), o.get("peakResidentMb").getAsDouble(),
                    o.get("peakScope").getAsString());
        }
    }

    /** The cpu recipe with this setting's input size, batch size and PGD steps. */
    TrainingConfig config(Setting s) {
        TrainingConfig c = TrainingConfig.cpu().withInputSize(s.size()).withBatchSize(s.batch());
        c = c.withDistortion(c.distortion().withAdversarial(
                s.pgdSteps() == 0 ? 0f : Math.max(c.distortion().adversarialRadius(), 1f / 255f), s.pgdSteps()));
        return epochs != null ? c.withEpochs(epochs) : c;
    }

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || warmUp < 0 || dataBatches < 1 || classes < 1 || epochImages < 1) {
            throw new IllegalArgumentException("--steps, --data-batches, --classes and --epoch-images must be positive");
        }
        List<Setting> grid = new ArrayList<>();
        for (int size : sizes) {
            for (int batch : batches) {
                for (int p : pgd) {
                    if (size < 16 || size % 4 != 0 || batch < 1 || p < 0) {
                        throw new IllegalArgumentException("sizes must be multiples of 4 from 16, batches positive, "
                                + "PGD steps not negative");
                    }
                    grid.add(new Setting(size, batch, p));
                }
            }
        }
        if (output.isChild(grid.size())) {
            BenchSupport.printJsonLine(measure(grid.get(0), "child JVM of this setting").toJson());
            return 0;
        }
        boolean forked = output.forked(grid.size());
        long t0 = System.nanoTime();
        List<Measurement> results = new ArrayList<>();
        for (Setting s : grid) {
            Measurement m;
            if (forked) {
                List<String> args = new ArrayList<>(List.of("bench-train", "--sizes", Integer.toString(s.size()),
                        "--batches", Integer.toString(s.batch()), "--pgd", Integer.toString(s.pgdSteps()),
                        "--steps", Integer.toString(steps), "--warm-up", Integer.toString(warmUp),
                        "--data-batches", Integer.toString(dataBatches), "--classes", Integer.toString(classes),
                        "--epoch-images", Integer.toString(epochImages), "--device", device));
                if (epochs != null) {
                    args.addAll(List.of("--epochs", Integer.toString(epochs)));
                }
                m = Measurement.fromJson(BenchSupport.runChild(BenchOutputOptions.childArguments(args)));
            } else {
                m = measure(s, grid.size() == 1 ? "this process (one setting)" : "whole process so far (not forked)");
            }
            System.err.printf("input %d, batch %d, PGD %d: generator step %.3f s, surrogate step %.3f s, "
                            + "mean epoch %.1f s, peak %.0f MB%n", s.size(), s.batch(), s.pgdSteps(),
                    m.generator().median(), m.surrogate().median(), m.meanEpoch(), m.peakMb());
            results.add(m);
        }
        String table = table(results, forked);
        System.out.println(table);
        System.out.printf("%d settings, %.0f s in all%n", results.size(), (System.nanoTime() - t0) / 1e9);
        JsonObject settings = new JsonObject();
        settings.addProperty("recipe", "cpu, with the input size, batch size and PGD steps of each setting");
        settings.addProperty("timedSteps", steps);
        settings.addProperty("warmUpSteps", warmUp);
        settings.addProperty("syntheticImages", dataBatches + " batches of uniform random images");
        settings.addProperty("classes", classes);
        settings.addProperty("epochImages", epochImages);
        settings.addProperty("forked", forked);
        settings.addProperty("formula", "S = ceil(epochImages / batch); generator epoch = S x median generator step "
                + "(every epoch); surrogate epoch = S x median surrogate step (every 5th epoch: 1, 6, 11...); "
                + "mean epoch = S x (generator + surrogate / 5); run = S x (E x generator + ceil(E / 5) x surrogate)");
        output.write("bench-train", spec.commandLine().getParseResult().originalArgs(), table, settings,
                results.stream().map(Measurement::toJson).toList());
        return 0;
    }

    private Measurement measure(Setting s, String peakScope) {
        TrainerBenchmark.Result r = TrainerBenchmark.measure(config(s), dataBatches, classes, warmUp, steps,
                DjlRuntime.resolveDevice(device));
        return Measurement.of(s, r, epochImages, BenchSupport.peakResidentMb(), peakScope);
    }

    private String table(List<Measurement> results, boolean forked) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("bench-train on %s, %s; cpu recipe; %d timed steps of each kind after %d warm-up; "
                        + "per epoch of %d images (S = ceil(%d / batch) steps; surrogate every 5th epoch); peak: %s%n%n",
                BenchSupport.machineLine(), BenchSupport.now(), steps, warmUp, epochImages, epochImages,
                forked ? "VmHWM of the setting's own child JVM" : "VmHWM of the one process so far (grows only)"));
        b.append("| input | batch | PGD | generator s/step median | min | max | surrogate s/step median | min | max "
                + "| S | generator s/epoch | surrogate s/epoch | mean s/epoch | whole run, min | peak MB |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Measurement m : results) {
            BenchSupport.Stats g = m.generator();
            BenchSupport.Stats s = m.surrogate();
            b.append(String.format("| %d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %d | %.1f | %.1f | %.1f "
                            + "| %.1f (E = %d) | %.0f |%n", m.setting().size(), m.setting().batch(), m.setting().pgdSteps(),
                    g.median(), g.min(), g.max(), s.median(), s.min(), s.max(), m.stepsPerEpoch(), m.generatorEpoch(),
                    m.surrogateEpoch(), m.meanEpoch(), m.run() / 60, m.runEpochs(), m.peakMb()));
        }
        return b.toString().stripTrailing();
    }
}
