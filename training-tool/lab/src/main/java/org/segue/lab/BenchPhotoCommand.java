package org.segue.lab;

import org.segue.engine.api.ProtectionOptions;
import com.google.gson.JsonObject;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.face.NeuralFaceDetector;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.internal.DjlRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "bench-photo", mixinStandardHelpOptions = true, usageHelpWidth = 120,
        description = {"Benchmark: protects one large composed photo end to end (read file, decode, detect, protect,",
                "encode, write file) several times and reports the median and range of every stage and the peak",
                "resident memory. The photo is composed of real face photos pasted on a textured gradient.",
                "",
                "Grid: --megapixels and --faces take comma-separated lists (e.g. --megapixels 1,6,24,48 --faces 1,4,16);",
                "every combination is measured (1 warm-up + --repeats timed runs) and summarised in one Markdown table",
                "(--markdown FILE) and a JSON file with every figure, the command line, the machine and the date (--json FILE).",
                "With more than one combination each runs in its own child JVM (--fork, default then), so that its peak",
                "memory (VmHWM) is its own; the photos are composed by the parent, outside the measured process.",
                "",
                "Layout of the composed photo (3:2, W x H = sqrt(1.5 MP) x sqrt(MP / 1.5)): a grid of",
                "C = ceil(sqrt(1.5 F)) columns by R = ceil(F / C) rows for F faces; each cell holds one whole face photo",
                "from --faces-from (every 7th file in name order, fewer apart when the folder is short), scaled up or down",
                "to 90%% of the cell keeping its aspect ratio, and centred. So 16 faces on 1 MP are 5 x 4 cells of",
                "245 x 204 px; faces in them are small (tens of px) and the detector may miss some: see 'faces found'."})
final class BenchPhotoCommand implements Callable<Integer> {

    private static final String[] STAGES = {"end to end (file in, file out)", "decode + orientation", "detect",
            "protect (crop, G, paste)", "encode + metadata"};
    private static final String[] STAGE_KEYS = {"endToEnd", "decode", "detect", "protect", "encode"};

    @Option(names = "--faces-from", defaultValue = "../shared/photos/celeba-wild",
            description = "folder of face photos to paste (default ${DEFAULT-VALUE})")
    Path facesFrom;

    @Option(names = "--megapixels", defaultValue = "24", split = ",",
            description = "photo size(s) (3:2), comma-separated for a grid; default ${DEFAULT-VALUE}")
    double[] megapixels;

    @Option(names = "--faces", defaultValue = "4", split = ",",
            description = "faces pasted, comma-separated for a grid; default ${DEFAULT-VALUE}")
    int[] faces;

    @Option(names = "--conceal-heads", description = "protect as protect --conceal-heads does (heads blurred too)")
    boolean concealHeads;

    @Option(names = "--repeats", defaultValue = "5", description = "timed runs after one warm-up, default ${DEFAULT-VALUE}")
    int repeats;

    @Option(names = "--work", defaultValue = "runs/bench-photo", description = "scratch folder, default ${DEFAULT-VALUE}")
    Path work;

    @Mixin
    BenchOutputOptions output;

    @Option(names = "--composed", hidden = true, description = "child mode: the already composed photo")
    Path composed;

    @Spec
    CommandSpec spec;

    /** One photo to measure. */
    record Combination(double megapixels, int faces) {
        int width() {
            return (int) Math.round(Math.sqrt(megapixels * 1e6 * 1.5));
        }

        int height() {
            return (int) Math.round(width() / 1.5);
        }

        String fileName() {
            return "composed-" + BenchSupport.plain(megapixels) + "mp-" + faces + "faces.jpg";
        }
    }

    /** The figures of one combination: per timed run {end to end, decode, detect, protect, encode} seconds. */
    record Measurement(Combination combination, long jpegBytes, int found, List<double[]> runs, double peakMb,
                       String peakScope) {

        BenchSupport.Stats stage(int k) {
            return BenchSupport.Stats.of(stageRuns(k));
        }

        /** Stage {@code k}'s seconds in each timed run. */
        double[] stageRuns(int k) {
            return runs.stream().mapToDouble(r -> r[k]).toArray();
        }

        JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("megapixels", combination.megapixels());
            o.addProperty("width", combination.width());
            o.addProperty("height", combination.height());
            o.addProperty("jpegBytes", jpegBytes);
            o.addProperty("facesPasted", combination.faces());
            o.addProperty("facesFound", found);
            o.addProperty("timedRuns", runs.size());
            JsonObject stages = new JsonObject();
            for (int k = 0; k < STAGE_KEYS.length; k++) {
                stages.add(STAGE_KEYS[k], BenchSupport.Stats.toJson(stageRuns(k), "runs"));
            }
            o.add("seconds", stages);
            o.addProperty("peakResidentMb", peakMb);
            o.addProperty("peakScope", peakScope);
            return o;
        }

        static Measurement fromJson(JsonObject o) {
            Combination c = new Combination(o.get("megapixels").getAsDouble(), o.get("facesPasted").getAsInt());
            JsonObject stages = o.getAsJsonObject("seconds");
            int n = o.get("timedRuns").getAsInt();
            List<double[]> runs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double[] r = new double[STAGE_KEYS.length];
                for (int k = 0; k < r.length; k++) {
                    r[k] = stages.getAsJsonObject(STAGE_KEYS[k]).getAsJsonArray("runs").get(i).getAsDouble();
                }
                runs.add(r);
            }
            return new Measurement(c, o.get("jpegBytes").getAsLong(), o.get("facesFound").getAsInt(), runs,
                    o.get("peakResidentMb").getAsDouble(), o.get("peakScope").getAsString());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be at least 1");
        }
        List<Combination> grid = new ArrayList<>();
        for (double mp : megapixels) {
            for (int f : faces) {
                if (mp <= 0 || f < 0) {
                    throw new IllegalArgumentException("megapixels must be positive and faces not negative");
                }
                grid.add(new Combination(mp, f));
            }
        }
        if (output.isChild(grid.size())) {
            BenchSupport.printJsonLine(measureAlone(grid.get(0), false).toJson());
            return 0;
        }
        boolean forked = output.forked(grid.size());
        List<Measurement> results = new ArrayList<>();
        long t0 = System.nanoTime();
        if (grid.size() == 1 && !forked) {
            results.add(measureAlone(grid.get(0), true));
        } else if (forked) {
            for (Combination c : grid) {
                Path input = work.resolve(c.fileName());
                AtomicFiles.write(input, compose(c));
                List<String> args = BenchOutputOptions.childArguments(List.of("bench-photo", "--megapixels",
                        BenchSupport.plain(c.megapixels()), "--faces", Integer.toString(c.faces()),
                        "--repeats", Integer.toString(repeats), "--work", work.toString(),
                        "--faces-from", facesFrom.toString(), "--composed", input.toString(),
                        "--conceal-heads=" + concealHeads));
                Measurement m = Measurement.fromJson(BenchSupport.runChild(args));
                progress(m);
                results.add(m);
            }
        } else {
            try (SegueModel model = SegueModel.loadDefault(DjlRuntime.defaultDevice());
                 NeuralFaceDetector detector = new NeuralFaceDetector()) {
                PhotoProtector protector = new PhotoProtector(model, detector, options());
                for (Combination c : grid) {
                    Path input = work.resolve(c.fileName());
                    byte[] jpeg = compose(c);
                    AtomicFiles.write(input, jpeg);
                    Measurement m = measure(protector, c, input, jpeg.length, "whole process so far (not forked)");
                    progress(m);
                    results.add(m);
                }
            }
        }
        if (grid.size() > 1 || forked) {
            System.out.println(table(results, forked));
            System.out.printf("%d combinations, %.0f s in all%n", results.size(), (System.nanoTime() - t0) / 1e9);
        }
        JsonObject settings = new JsonObject();
        settings.addProperty("repeats", repeats);
        settings.addProperty("warmUpRuns", 1);
        settings.addProperty("forked", forked);
        settings.addProperty("concealHeads", concealHeads);
        settings.addProperty("facesFrom", facesFrom.toString());
        settings.addProperty("stages", String.join("; ", STAGES));
        output.write("bench-photo", spec.commandLine().getParseResult().originalArgs(), table(results, forked), settings,
                results.stream().map(Measurement::toJson).toList());
        return 0;
    }

    /** The product's default protection, with heads concealed where asked. */
    private ProtectionOptions options() {
        return ProtectionOptions.builder().concealHeads(concealHeads).build();
    }

    private static void progress(Measurement m) {
        BenchSupport.Stats e2e = m.stage(0);
        System.err.printf("%s MP, %d face(s) (%d found): %.3f s median end to end, peak %.0f MB%n",
                BenchSupport.plain(m.combination().megapixels()), m.combination().faces(), m.found(), e2e.median(),
                m.peakMb());
    }

    /**
     * One combination in this process with its own model and detector; {@code print}: the
     * single-photo report (stage table, peak memory, total time).
     */
    private Measurement measureAlone(Combination c, boolean print) throws Exception {
        long t0 = System.nanoTime();
        Path input;
        long length;
        if (composed != null) {
            input = composed;
            length = Files.size(composed);
        } else {
            input = work.resolve(c.fileName());
            byte[] jpeg = compose(c);
            AtomicFiles.write(input, jpeg);
            length = jpeg.length;
        }
        Measurement m;
        try (SegueModel model = SegueModel.loadDefault(DjlRuntime.defaultDevice());
             NeuralFaceDetector detector = new NeuralFaceDetector()) {
            PhotoProtector protector = new PhotoProtector(model, detector, options());
            m = measure(protector, c, input, length, composed != null ? "child JVM of this combination"
                    : "whole process, including composing the photo");
        }
        if (print) {
            System.out.printf("Photo: %.1f MP JPEG (%d bytes), %d faces pasted, %d found; %d runs after a warm-up%n",
                    c.megapixels(), length, c.faces(), m.found(), m.runs().size());
            System.out.println("| stage | median s | min s | max s |");
            System.out.println("| --- | --- | --- | --- |");
            for (int k = 0; k < STAGES.length; k++) {
                BenchSupport.Stats s = m.stage(k);
                System.out.printf("| %s | %.3f | %.3f | %.3f |%n", STAGES[k], s.median(), s.min(), s.max());
            }
            System.out.printf("Peak resident memory: %.0f MB (VmHWM, whole process incl. JVM and libtorch); cores: %d; %.0f s in all%n",
                    m.peakMb(), Runtime.getRuntime().availableProcessors(), (System.nanoTime() - t0) / 1e9);
        }
        return m;
    }

    /** 1 warm-up and {@link #repeats} timed runs of the whole pipeline on {@code input}. */
    private Measurement measure(PhotoProtector protector, Combination c, Path input, long length, String peakScope)
            throws IOException {
        Path output = work.resolve("protected.jpg");
        List<double[]> runs = new ArrayList<>();
        int found = 0;
        for (int i = 0; i <= repeats; i++) {
            long a = System.nanoTime();
            byte[] bytes = Files.readAllBytes(input);
            PhotoProtector.Analysed photo = protector.analyse(bytes, input.toString());
            PhotoProtector.Result r = protector.protect(photo, new int[photo.faces().size()]);
            AtomicFiles.write(output, r.output());
            double total = (System.nanoTime() - a) / 1e9;
            found = photo.faces().size();
            if (i > 0) {
                PhotoProtector.Timings t = r.timings();
                runs.add(new double[] {total, t.decode(), t.detect(), t.protect(), t.encode()});
            }
        }
        return new Measurement(c, length, found, runs, BenchSupport.peakResidentMb(), peakScope);
    }

    private String table(List<Measurement> results, boolean forked) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("bench-photo on %s, %s; %d timed runs after 1 warm-up per combination; peak: %s%n%n",
                BenchSupport.machineLine(), BenchSupport.now(), repeats,
                forked ? "VmHWM of the combination's own child JVM" : "VmHWM of the one process so far (grows only)"));
        b.append("| megapixels | px | faces | found | end to end median s | min s | max s | decode s | detect s "
                + "| protect s | encode s | peak MB |\n");
        b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Measurement m : results) {
            Combination c = m.combination();
            BenchSupport.Stats e2e = m.stage(0);
            b.append(String.format("| %s | %dx%d | %d | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f |%n",
                    BenchSupport.plain(c.megapixels()), c.width(), c.height(), c.faces(), m.found(), e2e.median(),
                    e2e.min(), e2e.max(), m.stage(1).median(), m.stage(2).median(), m.stage(3).median(),
                    m.stage(4).median(), m.peakMb()));
        }
        return b.toString().stripTrailing();
    }

    /**
     * A 3:2 photo of the combination's size: a textured gradient with whole face photos in a grid
     * of C = ceil(sqrt(1.5 F)) columns and R = ceil(F / C) rows, each scaled to 90% of its cell.
     */
    private byte[] compose(Combination c) throws IOException {
        int w = c.width();
        int h = c.height();
        int faces = c.faces();
        List<Path> sources;
        try (Stream<Path> s = Files.walk(facesFrom)) {
            sources = s.filter(Files::isRegularFile).sorted().toList();
        }
        if (faces > 0 && sources.isEmpty()) {
            throw new IllegalArgumentException(facesFrom + " holds no photos");
        }
        // every 7th photo (as the first version of this benchmark), closer together when the folder is short
        int stride = faces == 0 ? 7 : Math.max(1, Math.min(7, sources.size() / faces));
        BufferedImage canvas = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = canvas.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(70, 90, 120), w, h, new Color(200, 180, 150)));
        g.fillRect(0, 0, w, h);
        // texture, so the file holds as much detail as a real photo's (a smooth gradient decodes unrealistically fast)
        java.util.Random noise = new java.util.Random(1);
        byte[] pixels = ((java.awt.image.DataBufferByte) canvas.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) Math.max(0, Math.min(255, (pixels[i] & 0xFF) + noise.nextInt(25) - 12));
        }
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        int columns = Math.max(1, (int) Math.ceil(Math.sqrt(faces * 1.5)));
        int rows = Math.max(1, (int) Math.ceil((double) faces / columns));
        for (int i = 0; i < faces; i++) {
            Path source = sources.get((i * stride) % sources.size());
            BufferedImage face = ImageIO.read(source.toFile());
            if (face == null) {
                throw new IOException(source + " is not an image ImageIO reads");
            }
            int cellW = w / columns;
            int cellH = h / rows;
            double scale = Math.min(cellW * 0.9 / face.getWidth(), cellH * 0.9 / face.getHeight());
            int fw = (int) (face.getWidth() * scale);
            int fh = (int) (face.getHeight() * scale);
            g.drawImage(face, (i % columns) * cellW + (cellW - fw) / 2, (i / columns) * cellH + (cellH - fh) / 2, fw, fh, null);
        }
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(0.92f);
            writer.write(null, new IIOImage(canvas, null, null), p);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
