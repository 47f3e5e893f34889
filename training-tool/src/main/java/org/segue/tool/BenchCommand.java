package org.segue.tool;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.segue.engine.LabelCode;
import org.segue.engine.SegueModel;
import org.segue.engine.nn.SegueGenerator;
import org.segue.engine.runtime.DjlRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark: generator throughput (faces/s, FLOPs, share of the CPU's peak) at 112 and 224 px",
                "for batch 1, 8 and 32, and the cold start of the CLI (JVM start to first protected photo).",
                "Medians over repeated runs with min and max, as a Markdown table (see docs/performance.md)."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--repeats", defaultValue = "5", description = "timed runs per setting (default ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--peak-gflops", defaultValue = "166",
            description = "the CPU's fp32 peak (default ${DEFAULT-VALUE}: 2 cores x 2 FMA x 8 lanes x 2 x 2.6 GHz)")
    double peakGflops;

    @Option(names = "--cold-start-photo", description = "photo for the cold-start run (default: a celeba-wild photo)")
    Path coldPhoto;

    @Override
    public Integer call() throws Exception {
        System.out.println("| input | batch | faces/s median | min | max | GFLOP per face | GFLOP/s | share of peak |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        try (SegueModel model = SegueModel.loadDefault(DjlRuntime.defaultDevice())) {
            for (int size : new int[] {112, 224}) {
                for (int batch : new int[] {1, 8, 32}) {
                    double[] rates = generatorRates(model, size, batch);
                    double flops = SegueGenerator.flopsPerImage(size, size) / 1e9;
                    double median = rates[rates.length / 2];
                    System.out.printf("| %d | %d | %.1f | %.1f | %.1f | %.3f | %.1f | %.1f%% |%n", size, batch, median,
                            rates[0], rates[rates.length - 1], flops, median * flops, 100 * median * flops / peakGflops);
                }
            }
            shippedModelRate(model);
        }
        coldStart();
        return 0;
    }

    /** Faces per second of G alone (inference, clamped delta), one value per timed run, sorted. */
    private double[] generatorRates(SegueModel model, int size, int batch) {
        int faces = Math.max(64, batch * 4);
        double[] rates = new double[repeats];
        int[] labels = new int[batch];
        for (int run = -1; run < repeats; run++) { // run -1 warms up
            long t0 = System.nanoTime();
            for (int done = 0; done < faces; done += batch) {
                try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
                    NDArray x = m.randomUniform(0, 1, new Shape(batch, 3, size, size));
                    NDArray codes = LabelCode.batch(m, labels, model.info().codeBits());
                    model.rawOutput(x, codes, false).toFloatArray(); // forces the computation
                }
            }
            if (run >= 0) {
                rates[run] = faces / ((System.nanoTime() - t0) / 1e9);
            }
        }
        java.util.Arrays.sort(rates);
        return rates;
    }

    /**
     * What the shipped model costs per 224 px face: it works at its own input size (56 px for the
     * band-limited run-7 model), so a face is area-resized to it, perturbed, and the perturbation upsampled
     * back. The table above measures the generator architecture itself at 112 and 224 px.
     */
    private void shippedModelRate(SegueModel model) {
        int batch = 32;
        java.util.Random r = new java.util.Random(1);
        List<org.segue.engine.data.RgbImage> faces = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            float[] chw = new float[3 * 224 * 224];
            for (int j = 0; j < chw.length; j++) {
                chw[j] = r.nextFloat();
            }
            faces.add(new org.segue.engine.data.RgbImage(chw, 224, 224));
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
        BenchSupport.Stats stats = BenchSupport.Stats.of(rates);
        System.out.printf("%nShipped model (works at %dx%d), 224 px faces in batches of %d, resize + G + upsample: "
                        + "median %.1f faces/s, min %.1f, max %.1f%n", model.info().inputWidth(), model.info().inputHeight(),
                batch, stats.median(), stats.min(), stats.max());
    }

    /** JVM start to first protected photo: the CLI run as a new process, model and detector loaded. */
    private void coldStart() throws Exception {
        Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path photo = coldPhoto != null ? coldPhoto : Path.of("../shared/photos/celeba-wild/id07460/004134.jpg");
        if (!jar.toString().endsWith(".jar") || !Files.exists(photo)) {
            System.out.println("cold start: skipped (run from segue.jar with a photo available)");
            return;
        }
        List<Double> times = new ArrayList<>();
        Path out = Files.createTempDirectory("segue-cold");
        for (int run = 0; run < repeats; run++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    jar.toString(), "protect", photo.toString(), "--out", out.resolve("run" + run).toString(),
                    "--person", "bench").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                System.out.println("cold start: the protect run failed");
                return;
            }
            times.add((System.nanoTime() - t0) / 1e9);
        }
        times.sort(Double::compare);
        System.out.printf("%nCold start (new JVM, model + detector load, one %s protected and written): median %.2f s, "
                + "min %.2f, max %.2f%n", photo.getFileName(), times.get(times.size() / 2), times.get(0),
                times.get(times.size() - 1));
    }
}
