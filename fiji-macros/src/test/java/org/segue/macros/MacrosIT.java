package org.segue.macros;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifThumbnailDirectory;
import com.drew.metadata.exif.GpsDirectory;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import net.imagej.patcher.LegacyEnvironment;
import net.imagej.patcher.LegacyInjector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segue.engine.photo.TestPhotos;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every macro in fiji-macros/macros runs headless through ImageJ 1.x (patched by ij1-patcher, as Fiji
 * --headless does) with the plugin jar this build packaged, on real photos; the files it writes are
 * then checked: faces changed within 8 levels, every other pixel identical, metadata rules held.
 */
class MacrosIT {

    static {
        LegacyInjector.preinit(); // ImageJ's classes must be patched before anything loads them
    }

    @TempDir
    static Path fiji;
    private static LegacyEnvironment ij1;

    @BeforeAll
    static void imagej() throws Exception {
        Path packaged = Path.of(System.getProperty("segue.fiji.plugins"));
        Path plugins = Files.createDirectories(fiji.resolve("plugins"));
        try (Stream<Path> jars = Files.list(packaged)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        System.setProperty("plugins.dir", fiji.toString());
        ij1 = new LegacyEnvironment(MacrosIT.class.getClassLoader(), true);
    }

    private static String macro(String name) throws Exception {
        return Files.readString(Path.of(System.getProperty("segue.macros"), name), StandardCharsets.UTF_8);
    }

    private static List<Path> photos(int n) throws Exception {
        Path dir = Path.of(System.getProperty("segue.shared", "../shared"), "photos/celeba-wild");
        Assumptions.assumeTrue(Files.isDirectory(dir), "skipped: " + dir + " is absent");
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).sorted().limit(n).toList();
        }
    }

    /** {largest change anywhere, largest change outside the boxes (null: no boxes given), changed pixels}. */
    private static int[] compare(BufferedImage a, BufferedImage b, List<int[]> boxes) {
        int[] c = TestPhotos.compare(a, b, (x, y) -> boxes == null
                || boxes.stream().anyMatch(r -> x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3]));
        return new int[] {Math.max(c[0], c[1]), c[1], c[2]};
    }

    @Test
    void protectFolderTree(@TempDir Path dir) throws Exception {
        List<Path> sources = photos(3);
        Path in = dir.resolve("in");
        Files.createDirectories(in.resolve("album/2024"));
        for (int i = 0; i < 2; i++) { // lossless copies, so untouched pixels can be checked bit for bit
            ImageIO.write(ImageIO.read(sources.get(i).toFile()), "png", in.resolve("album/2024/face" + i + ".png").toFile());
        }
        BufferedImage camera = ImageIO.read(sources.get(2).toFile());
        byte[] thumbnail = TestPhotos.encode(camera.getSubimage(0, 0, 64, 64), "jpeg");
        Files.write(in.resolve("album/camera.jpg"), TestPhotos.jpegWith(camera,
                List.of(TestPhotos.cameraExif(thumbnail), TestPhotos.xmpSegment())));
        byte[] originalCamera = Files.readAllBytes(in.resolve("album/camera.jpg"));
        Path out = dir.resolve("out");

        ij1.runMacro(macro("Protect_Folder_Tree.ijm"), "input=[" + in + "] output=[" + out + "] person=[Jane Roe] "
                + "strength=high");

        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("protection-report.json"))).getAsJsonObject();
        assertEquals(3, report.get("written").getAsInt(), report.toString());
        assertFalse(report.toString().contains("Jane"), "no person names in the report");
        for (JsonElement e : report.getAsJsonArray("reports")) {
            JsonObject photo = e.getAsJsonObject();
            String name = photo.get("photo").getAsString();
            List<int[]> boxes = new ArrayList<>();
            for (JsonElement f : photo.getAsJsonArray("faces")) {
                JsonObject b = f.getAsJsonObject();
                boxes.add(new int[] {b.get("x").getAsInt(), b.get("y").getAsInt(), b.get("width").getAsInt(), b.get("height").getAsInt()});
            }
            assertFalse(boxes.isEmpty(), name + ": a face was found");
            if (name.endsWith(".png")) {
                int[] c = compare(ImageIO.read(in.resolve(name).toFile()), ImageIO.read(out.resolve(name).toFile()), boxes);
                assertEquals(8, c[0], name + ": strength high changes a face by up to 8 levels, changed by " + c[0]);
                assertEquals(0, c[1], name + ": pixels outside the faces changed");
                assertTrue(c[2] > 1000, name + ": the face was hardly changed");
            }
        }
        byte[] protectedCamera = Files.readAllBytes(out.resolve("album/camera.jpg"));
        Metadata metadata = ImageMetadataReader.readMetadata(new java.io.ByteArrayInputStream(protectedCamera));
        assertNull(metadata.getFirstDirectoryOfType(GpsDirectory.class), "GPS removed");
        assertNull(metadata.getFirstDirectoryOfType(ExifThumbnailDirectory.class), "thumbnail removed");
        assertFalse(TestPhotos.contains(protectedCamera, thumbnail));
        assertFalse(new String(protectedCamera, StandardCharsets.ISO_8859_1).contains("Alice Example"), "face names removed");
        assertArrayEquals(originalCamera, Files.readAllBytes(in.resolve("album/camera.jpg")), "the original is untouched");
    }

    /**
     * Erasable protection with the two folder macros on the astronaut portrait: Protect_Folder_Tree.ijm with a key
     * file, then Restore_Folder_Tree.ijm with the same key file gives the original back bit for bit (PNG); the key
     * never appears in the report; a photo protected without a key is named as not restored, the rest restored.
     */
    @Test
    void protectThenRestoreWithAKeyFile(@TempDir Path dir) throws Exception {
        Path astronaut = Path.of(System.getProperty("segue.shared", "../shared"), "photos/public-domain/astronaut.png");
        Assumptions.assumeTrue(Files.isRegularFile(astronaut), "skipped: " + astronaut + " is absent (../shared)");
        Path in = Files.createDirectories(dir.resolve("in/shoot"));
        Files.copy(astronaut, in.resolve("astronaut.png"));
        Path key = dir.resolve("keys/archive.key");
        org.segue.engine.api.ErasureKey.generate().write(key);
        String secret = Files.readAllLines(key, StandardCharsets.US_ASCII).get(1);
        Path out = dir.resolve("protected");

        ij1.runMacro(macro("Protect_Folder_Tree.ijm"), "input=[" + dir.resolve("in") + "] output=[" + out + "] key=["
                + key + "]");

        Path protectedPhoto = out.resolve("shoot/astronaut.png");
        assertTrue(org.segue.engine.api.Restorer.hasPayload(protectedPhoto), "protected erasably");
        BufferedImage original = ImageIO.read(astronaut.toFile());
        assertTrue(compare(original, ImageIO.read(protectedPhoto.toFile()), null)[2] > 1000, "the face was protected");
        assertFalse(Files.readString(out.resolve("protection-report.json")).contains(secret), "no key in the report");
        // beside it, a photo protected without a key: the restore names it and goes on
        ImageIO.write(noise(64, 48), "png", out.resolve("shoot/plain.png").toFile());

        Path restored = dir.resolve("restored");
        ij1.runMacro(macro("Restore_Folder_Tree.ijm"), "input=[" + out + "] key=[" + key + "] output=[" + restored + "]");

        java.awt.image.Raster a = original.getRaster();
        java.awt.image.Raster b = ImageIO.read(restored.resolve("shoot/astronaut.png").toFile()).getRaster();
        assertArrayEquals(a.getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null),
                b.getPixels(0, 0, b.getWidth(), b.getHeight(), (int[]) null), "restored bit for bit");
        assertFalse(Files.exists(restored.resolve("shoot/plain.png")), "nothing written for a photo without a payload");
        assertTrue(org.segue.engine.api.Restorer.hasPayload(protectedPhoto), "the protected photo is unchanged");
    }

    /** A small image of noise: no face, no payload. */
    private static BufferedImage noise(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        java.util.Random r = new java.util.Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    @Test
    void protectOpenImages(@TempDir Path dir) throws Exception {
        List<Path> sources = photos(2);
        StringBuilder open = new StringBuilder("setBatchMode(true);\n");
        for (Path p : sources) {
            open.append("open(\"").append(p).append("\");\n");
        }
        String save = "\nsetBatchMode(true); n = 0;\n"
                + "for (i = 1; i <= nImages; i++) { selectImage(i); t = getTitle();\n"
                + "  if (indexOf(t, \"-protected\") > 0) { Overlay.remove; saveAs(\"PNG\", \"" + dir + "/\" + t + \".png\"); n++; } }\n";
        ij1.runMacro(open + macro("Protect_Open_Images.ijm") + save, "person=[Jane Roe]");
        for (Path p : sources) {
            String name = p.getFileName().toString();
            Path saved = dir.resolve(name.replace(".jpg", "-protected.jpg") + ".png");
            assertTrue(Files.exists(saved), saved + " was not written");
            int[] c = compare(ImageIO.read(p.toFile()), ImageIO.read(saved.toFile()), null);
            assertTrue(c[0] <= 8 && c[2] > 1000, name + ": worst change " + c[0] + ", changed pixels " + c[2]);
        }
    }

    /**
     * An image that cannot be protected (32-bit) is counted as not protected, apart from an image without a face,
     * and the macro goes on; a stack with a slice without a face is counted as partly protected, not as protected
     * nor as without a face; under skip the macro opens nothing for the image without a face.
     */
    @Test
    void protectOpenImagesCountsFailuresApartFromImagesWithoutAFace(@TempDir Path dir) throws Exception {
        Path face = photos(1).get(0);
        // a stack whose second slice holds no face: partly protected
        BufferedImage one = ImageIO.read(face.toFile());
        BufferedImage ramp = new BufferedImage(one.getWidth(), one.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < ramp.getHeight(); y++) {
            for (int x = 0; x < ramp.getWidth(); x++) {
                ramp.setRGB(x, y, (x % 256) << 16 | (y % 256) << 8 | 128);
            }
        }
        Path slices = Files.createDirectories(dir.resolve("slices"));
        ImageIO.write(one, "png", slices.resolve("1.png").toFile());
        ImageIO.write(ramp, "png", slices.resolve("2.png").toFile());
        String open = "setBatchMode(true); close(\"*\");\nopen(\"" + face + "\");\n"
                + "File.openSequence(\"" + slices + "/\"); rename(\"stack\");\n"
                + "newImage(\"landscape.png\", \"RGB ramp\", 320, 240, 1);\n"
                + "newImage(\"float.tif\", \"32-bit ramp\", 64, 64, 1);\n";
        String after = "\ntitles = \"\"; for (i = 1; i <= nImages; i++) { selectImage(i); titles = titles + getTitle() + \"|\"; }\n"
                + "File.saveString(titles, \"" + dir.resolve("titles.txt") + "\"); close(\"*\");\n";
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        java.io.PrintStream oldErr = System.err;
        try {
            java.io.PrintStream both = new java.io.PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    captured.write(b);
                    old.write(b);
                }
            }, true);
            System.setOut(both);
            System.setErr(both);
            ij1.runMacro(open + macro("Protect_Open_Images.ijm") + after, "no-face=skip");
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        String log = captured.toString();
        assertTrue(log.contains("4 open image(s): 1 protected, 1 partly protected (some faces or slices left as they "
                + "were), 1 without a face found (nothing protected in those), 1 not protected"), log);
        assertTrue(log.contains("Not protected: float.tif (32-bit"), log);
        String titles = Files.readString(dir.resolve("titles.txt"));
        String name = face.getFileName().toString();
        assertEquals(new java.util.TreeSet<>(List.of(name, name.replace(".jpg", "-protected.jpg"), "landscape.png",
                "float.tif", "stack", "stack-partly-protected")), new java.util.TreeSet<>(List.of(titles.split("\\|"))),
                "the protected copy opened, nothing for the image without a face (skip)");
    }

    @Test
    void retrainFromFolder(@TempDir Path dir) throws Exception {
        java.util.Random r = new java.util.Random(9);
        for (int c = 0; c < 2; c++) {
            Path person = Files.createDirectories(dir.resolve("faces/person" + c));
            for (int i = 0; i < 4; i++) {
                BufferedImage img = new BufferedImage(36, 36, BufferedImage.TYPE_3BYTE_BGR);
                for (int y = 0; y < 36; y++) {
                    for (int x = 0; x < 36; x++) {
                        img.setRGB(x, y, r.nextInt(1 << 24) & (c == 0 ? 0xFF8080 : 0x8080FF));
                    }
                }
                ImageIO.write(img, "png", person.resolve(i + ".png").toFile());
            }
        }
        Path model = dir.resolve("models/mine.segue");
        ij1.runMacro(macro("Retrain_From_Folder.ijm"), "dataset=[" + dir.resolve("faces") + "] output=[" + model
                + "] epochs=1 size=48 device=cpu");
        assertTrue(Files.isRegularFile(model), "the macro trained and wrote a model");
        org.segue.engine.generator.ModelInfo info = org.segue.engine.generator.ModelFile.read(model).info();
        assertEquals("shipped", info.recipe().get("recipe"), "the shipped model's recipe by default");
        assertEquals(24, info.inputHeight(), "its generator works at half the training size");
        assertTrue(info.recipe().get("codes").startsWith("folder-name codes"), info.recipe().get("codes"));
    }
}
