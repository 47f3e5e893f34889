package org.segue.tool;

import org.segue.engine.SegueModel;
import org.segue.engine.io.AtomicFiles;
import org.segue.engine.photo.OpenCvFaceDetector;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.runtime.DjlRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "bench-photo", mixinStandardHelpOptions = true,
        description = {"Benchmark: protects one large composed photo end to end (read file, decode, detect, protect,",
                "encode, write file) several times and reports the median and range of every stage and the peak",
                "resident memory. The photo is composed of real face photos pasted on a textured gradient."})
final class BenchPhotoCommand implements Callable<Integer> {

    @Option(names = "--faces-from", defaultValue = "../shared/photos/celeba-wild",
            description = "folder of face photos to paste (default ${DEFAULT-VALUE})")
    Path facesFrom;

    @Option(names = "--megapixels", defaultValue = "24", description = "photo size (3:2), default ${DEFAULT-VALUE}")
    double megapixels;

    @Option(names = "--faces", defaultValue = "4", description = "faces pasted, default ${DEFAULT-VALUE}")
    int faces;

    @Option(names = "--repeats", defaultValue = "5", description = "timed runs after one warm-up, default ${DEFAULT-VALUE}")
    int repeats;

    @Option(names = "--work", defaultValue = "runs/bench-photo", description = "scratch folder, default ${DEFAULT-VALUE}")
    Path work;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Path input = work.resolve(String.format("composed-%.0fmp-%dfaces.jpg", megapixels, faces));
        byte[] jpeg = compose();
        AtomicFiles.write(input, jpeg);
        Path output = work.resolve("protected.jpg");
        List<double[]> runs = new ArrayList<>();
        int found = 0;
        try (SegueModel model = SegueModel.loadDefault(DjlRuntime.defaultDevice());
             OpenCvFaceDetector detector = new OpenCvFaceDetector()) {
            PhotoProtector protector = new PhotoProtector(model, detector, PhotoProtector.Options.defaults());
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
        }
        String[] names = {"end to end (file in, file out)", "decode + orientation", "detect", "protect (crop, G, paste)",
                "encode + metadata"};
        System.out.printf("Photo: %.1f MP JPEG (%d bytes), %d faces pasted, %d found; %d runs after a warm-up%n",
                megapixels, jpeg.length, faces, found, runs.size());
        System.out.println("| stage | median s | min s | max s |");
        System.out.println("| --- | --- | --- | --- |");
        for (int k = 0; k < names.length; k++) {
            final int col = k;
            double[] v = runs.stream().mapToDouble(r -> r[col]).sorted().toArray();
            System.out.printf("| %s | %.3f | %.3f | %.3f |%n", names[k], v[v.length / 2], v[0], v[v.length - 1]);
        }
        System.out.printf("Peak resident memory: %.0f MB (VmHWM, whole process incl. JVM and libtorch); cores: %d; %.0f s in all%n",
                peakResidentMb(), Runtime.getRuntime().availableProcessors(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    static double peakResidentMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** A 3:2 photo of the requested size: a gradient with face photos pasted at 1.5-3x their size. */
    private byte[] compose() throws IOException {
        int w = (int) Math.round(Math.sqrt(megapixels * 1e6 * 1.5));
        int h = (int) Math.round(w / 1.5);
        List<Path> sources;
        try (Stream<Path> s = Files.walk(facesFrom)) {
            sources = s.filter(Files::isRegularFile).sorted().limit(Math.max(faces, 1) * 7L).toList();
        }
        if (sources.size() < faces) {
            throw new IllegalArgumentException(facesFrom + " holds only " + sources.size() + " photos");
        }
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
        int columns = (int) Math.ceil(Math.sqrt(faces * 1.5));
        int rows = (int) Math.ceil((double) faces / columns);
        for (int i = 0; i < faces; i++) {
            BufferedImage face = ImageIO.read(sources.get(i * 7).toFile());
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
