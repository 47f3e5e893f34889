package org.segue.lab;

import com.google.gson.JsonObject;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.segue.engine.sideinfo.LabelCode;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.generator.SegueGenerator;
import org.segue.engine.internal.DjlRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {"Benchmark: generator throughput (faces/s, FLOPs, share of the CPU's peak, peak memory) for every",
                "combination of input size and batch size, then the shipped model's cost per 224 px face and the cold",
                "start of the CLI (JVM start to first protected photo). Medians over repeated runs with min and max,",
                "as a Markdown table and JSON (see docs/performance.md). With more than one setting each runs in its",
                "own child JVM (--fork), so its speed does not depend on what ran before and its peak memory is its own."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--sizes", split = ",", defaultValue = "112,224",
            description = "generator input sizes (default ${DEFAULT-VALUE})")
    int[] sizes;

    @Option(names = "--batches", split = ",", defaultValue = "1,8,32", description = "batch sizes (default ${DEFAULT-VALUE})")
    int[] batches;

    @Option(names = "--repeats", defaultValue = "5", description = "timed runs per setting (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--peak-gflops", defaultValue = "166",
            description = "the CPU's fp32 peak (default ${DEFAULT-VALUE}: 2 cores x 2 FMA x 8 lanes x 2 x 2.6 GHz)")
    double peakGflops;

    @Option(names = "--cold-start-photo", description = "photo for the cold-start run (default: a celeba-wild photo)")
    Path coldPhoto;

    @Option(names = "--generator-only", description = "measure the generator table only (no shipped-model line, no cold start)")
    boolean generatorOnly;

    @Mixin
    BenchOutputOptions output;

    @Spec
    CommandSpec spec;

    record Setting(int size, int batch) {
    }

    /** One setting's timed runs (faces/s each) and the peak memory of the process that ran them. */
    record Measurement(Setting setting, double[] rates, double peakMb, String peakScope) {

        BenchSupport.Stats stats() {
            return BenchSupport.Stats.of(rates);
        }

        double gflopPerFace() {
            return SegueGenerator.flopsPerImage(setting.size(), setting.size()) / 1e9;
        }

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("inputSize", setting.size());
            o.addProperty("batchSize", setting.batch());
            o.add("facesPerSecond", BenchSupport.Stats.toJson(rates, "runs"));
            o.addProperty("gflopPerFace", gflopPerFace());
            o.addProperty("peakResidentMb", peakMb);
            o.addProperty("peakScope", peakScope);
            return o;
        }

        static Measurement fromJson(JsonObject o) {
            return new Measurement(new Setting(o.get("inputSize").getAsInt(), o.get("batchSize").getAsInt()),
                    BenchSupport.Stats.values(o.getAsJsonObject("facesPerSecond"), "runs"),
                    o.get("peakResidentMb").getAsDouble(), o.get("peakScope").getAsString());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be positive");
        }
        List<Setting> grid = new ArrayList<>();
        for (int size : sizes) {
            for (int batch : batches) {
                if (size < 16 || size % 4 != 0 || batch < 1) {
                    throw new IllegalArgumentException("sizes must be multiples of 4 from 16, batches positive");
                }
                grid.add(new Setting(size, batch));
            }
        }
        if (output.isChild(grid.size())) {
            try (SegueModel model = SegueModel.loadDefault(DjlRuntime.defaultDevice())) {
                BenchSupport.printJsonLine(measure(model, grid.get(0), "child JVM of this setting").toJson());
            }
            return 0;
        }
        boolean forked = output.forked(grid.size());
        long t0 = System.nanoTime();
        List<Measurement> results = new ArrayList<>();
        JsonObject extras = new JsonObject();
        try (SegueModel model = SegueModel.loadDefault(DjlRuntime.defaultDevice())) {
            for (Setting s : grid) {
                Measurement m = forked
                        ? Measurement.fromJson(BenchSupport.runChild(BenchOutputOptions.childArguments(List.of("bench",
                                "--sizes", Integer.toString(s.size()), "--batches", Integer.toString(s.batch()),
                                "--repeats", Integer.toString(repeats)))))
                        : measure(model, s, grid.size() == 1 ? "this process (one setting)"
                                : "whole process so far (not forked)");
                System.err.printf("input %d, batch %d: %.1f faces/s (median), peak %.0f MB%n", s.size(), s.batch(),
                        m.stats().median(), m.peakMb());
                results.add(m);
            }
            if (!generatorOnly) {
                extras.add("shippedModelFacesPerSecond", shippedModelRate(model).toJson());
            }
        }
        if (!generatorOnly) {
            BenchSupport.Stats cold = coldStart();
            if (cold != null) {
                extras.add("coldStartSeconds", cold.toJson());
            }
        }
        String table = table(results, forked, extras);
        System.out.println(table);
        System.out.printf("%d settings, %.0f s in all%n", results.size(), (System.nanoTime() - t0) / 1e9);
        JsonObject settings = new JsonObject();
        settings.addProperty("repeats", repeats);
        settings.addProperty("facesPerTimedRun", "max(64, 4 x batch)");
        settings.addProperty("input", "uniform random images, inference, clamped delta, one warm-up run per setting");
        settings.addProperty("peakGflops", peakGflops);
        settings.addProperty("forked", forked);
        settings.add("extras", extras);
        output.write("bench", spec.commandLine().getParseResult().originalArgs(), table, settings,
                results.stream().map(Measurement::toJson).toList());
        return 0;
    }

    /** Faces per second of G alone (inference, clamped delta), one value per timed run. */
    private Measurement measure(SegueModel model, Setting s, String peakScope) {
        int faces = Math.max(64, s.batch() * 4);
        double[] rates = new double[repeats];
        int[] labels = new int[s.batch()];
        for (int run = -1; run < repeats; run++) { // run -1 warms up
            long t0 = System.nanoTime();
            for (int done = 0; done < faces; done += s.batch()) {
                try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
                    NDArray x = m.randomUniform(0, 1, new Shape(s.batch(), 3, s.size(), s.size()));
                    NDArray codes = LabelCode.batch(m, labels, model.info().codeBits());
                    model.rawOutput(x, codes, false).toFloatArray(); // forces the computation
                }
            }
            if (run >= 0) {
                rates[run] = faces / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return new Measurement(s, rates, BenchSupport.peakResidentMb(), peakScope);
    }

    /**
     * What the shipped model costs per 224 px face: it works at its own input size (56 px for the
     * shipped band-limited model), so a face is area-resized to it, perturbed, and the perturbation upsampled
     * back. The table measures the generator architecture itself at the sizes asked for.
     */
    private BenchSupport.Stats shippedModelRate(SegueModel model) {
        int batch = 32;
        Random r = new Random(1);
        List<RgbImage> faces = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            float[] chw = new float[3 * 224 * 224];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = r.nextFloat();
            }
            faces.add(new RgbImage(chw, 224, 224));
        }
        int[] labels = new int[batch];
        double[] rates = new double[repeats];
        for (int run = -1; run < repeats; run++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < 4; k++) {
                model.perturbationsAtFullSize(faces, labels, model.info().epsilon());
            }
            if (run >= 0) {
                rates[run] = 4 * batch / ((System.nanoTime() - t0) / 1e9);
            }
        }
        return BenchSupport.Stats.of(rates);
    }

    /** JVM start to first protected photo: the CLI run as a new process, model and detector loaded; null if skipped. */
    private BenchSupport.Stats coldStart() throws Exception {
        Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path photo = coldPhoto != null ? coldPhoto : Path.of("../shared/photos/celeba-wild/id07460/004134.jpg");
        if (!jar.toString().endsWith(".jar") || !Files.exists(photo)) {
            System.err.println("cold start: skipped (run from segue.jar with a photo available)");
            return null;
        }
        double[] times = new double[repeats];
        Path out = Files.createTempDirectory("segue-cold");
        for (int run = 0; run < repeats; run++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toString(), "protect", photo.toString(), "--out", out.resolve("run" + run).toString(),
                    "--person", "bench").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                System.err.println("cold start: the protect run failed");
                return null;
            }
            times[run] = (System.nanoTime() - t0) / 1e9;
        }
        return BenchSupport.Stats.of(times);
    }

    private String table(List<Measurement> results, boolean forked, JsonObject extras) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("bench on %s, %s; %d timed runs per setting after a warm-up; peak: %s%n%n",
                BenchSupport.machineLine(), BenchSupport.now(), repeats,
                forked ? "VmHWM of the setting's own child JVM" : "VmHWM of the one process so far (grows only)"));
        b.append("| input | batch | faces/s median | min | max | GFLOP per face | GFLOP/s | share of peak | peak MB |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Measurement m : results) {
            BenchSupport.Stats s = m.stats();
            double flops = m.gflopPerFace();
            b.append(String.format("| %d | %d | %.1f | %.1f | %.1f | %.3f | %.1f | %.1f%% | %.0f |%n", m.setting().size(),
                    m.setting().batch(), s.median(), s.min(), s.max(), flops, s.median() * flops,
                    100 * s.median() * flops / peakGflops, m.peakMb()));
        }
        if (extras.has("shippedModelFacesPerSecond")) {
            JsonObject s = extras.getAsJsonObject("shippedModelFacesPerSecond");
            b.append(String.format("%nShipped model, 224 px faces in batches of 32, resize to its input size + G + "
                            + "upsample: median %.1f faces/s, min %.1f, max %.1f%n", s.get("median").getAsDouble(),
                    s.get("min").getAsDouble(), s.get("max").getAsDouble()));
        }
        if (extras.has("coldStartSeconds")) {
            JsonObject s = extras.getAsJsonObject("coldStartSeconds");
            b.append(String.format("%nCold start (new JVM, model + detector load, one photo protected and written): "
                            + "median %.2f s, min %.2f, max %.2f%n", s.get("median").getAsDouble(),
                    s.get("min").getAsDouble(), s.get("max").getAsDouble()));
        }
        return b.toString().stripTrailing();
    }
}
