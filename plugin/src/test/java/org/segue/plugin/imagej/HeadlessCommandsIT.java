package org.segue.plugin.imagej;

import net.imagej.patcher.LegacyEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Face Protection commands run headless through ImageJ 1.x patched by ij1-patcher, as in Fiji --headless. */
class HeadlessCommandsIT {

    static {
        // ij1-patcher must patch ImageJ's classes before anything loads them
        net.imagej.patcher.LegacyInjector.preinit();
    }

    private static LegacyEnvironment ij1;

    @TempDir
    static Path fiji;

    /**
     * A Fiji-like folder whose plugins/ holds the plugin jar made from this build's classes (the
     * packaged jar does not exist yet when tests run), so ImageJ reads its plugins.config and the
     * commands appear under their menu names.
     */
    @BeforeAll
    static void imagej() throws Exception {
        Path jar = Files.createDirectories(fiji.resolve("plugins")).resolve("Segue_Face_Protection.jar");
        Path classes = Path.of("target/classes");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             java.util.stream.Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.zip.ZipEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        System.setProperty("plugins.dir", fiji.toString());
        ij1 = new LegacyEnvironment(HeadlessCommandsIT.class.getClassLoader(), true);
    }

    @Test
    void protectsTheCurrentImage(@TempDir Path dir) throws Exception {
        Path photo = Path.of(System.getProperty("segue.shared", "../shared"), "photos/celeba-wild/id07460/004134.jpg");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(photo), "skipped: " + photo + " is absent");
        Path out = dir.resolve("protected.png");
        Path facts = dir.resolve("facts.txt");
        ij1.runMacro("setBatchMode(true);\n"
                + "open(getArgument());\n"
                + "source = getTitle();\n"
                + "run(\"Protect Faces\", \"apply=[Current image] model=default person=[Jane Roe] strength=8 jpeg=95 show\");\n"
                + "facts = getTitle() + \"|\" + Overlay.size + \"|\" + nImages + \"|\" + source;\n"
                + "File.saveString(facts, \"" + facts + "\");\n"
                + "Overlay.remove;\n" // saveAs would burn the outlines into the pixels
                + "saveAs(\"PNG\", \"" + out + "\");\n"
                + "selectImage(source); saveAs(\"PNG\", \"" + dir.resolve("source.png") + "\");\n", photo.toString());
        BufferedImage sourceAfter = ImageIO.read(dir.resolve("source.png").toFile());
        BufferedImage decoded = ImageIO.read(photo.toFile());
        for (int y = 0; y < decoded.getHeight(); y += 7) {
            for (int x = 0; x < decoded.getWidth(); x += 7) {
                assertTrue(decoded.getRGB(x, y) == sourceAfter.getRGB(x, y), "the source image changed at " + x + "," + y);
            }
        }
        assertTrue(Files.exists(out), "the protected image was saved");
        String[] f = Files.readString(facts).split("\\|");
        assertTrue(f[0].equals("004134-protected.jpg"), "result title " + f[0]);
        assertTrue(f[1].equals("1"), "one face outlined in the overlay, got " + f[1]);
        assertTrue(f[2].equals("2"), "the source stays open beside the result, images: " + f[2]);
        int[] c = org.segue.engine.photo.TestPhotos.compare(ImageIO.read(photo.toFile()), ImageIO.read(out.toFile()),
                (x, y) -> true);
        int worst = c[0];
        int changed = c[2];
        assertTrue(worst <= 8 && changed > 1000, "changed " + changed + " pixels, worst " + worst);
    }

    /** Three identities of small synthetic faces (colour blobs with noise) as <person>/<images>. */
    static Path syntheticFaces(Path root) throws Exception {
        java.util.Random r = new java.util.Random(5);
        for (int c = 0; c < 3; c++) {
            Path d = Files.createDirectories(root.resolve("person" + c));
            for (int i = 0; i < 6; i++) {
                BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_3BYTE_BGR);
                for (int y = 0; y < 40; y++) {
                    for (int x = 0; x < 40; x++) {
                        int base = 60 + 60 * c;
                        img.setRGB(x, y, ((base + r.nextInt(40)) << 16) | ((200 - base + r.nextInt(40)) << 8) | (x * 5));
                    }
                }
                ImageIO.write(img, "png", d.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void trainsAModelThenProtectsAFolderWithIt(@TempDir Path dir) throws Exception {
        Path data = syntheticFaces(dir.resolve("faces"));
        Path model = dir.resolve("models/tiny.segue");
        ij1.runMacro("run(\"Train Face Protector\", \"dataset=[" + data + "] recipe=cpu epochs=1 input=32 "
                + "identities=3 device=cpu output=[" + model + "]\");\n", "");
        assertTrue(Files.isRegularFile(model), "the trained model was written");
        assertTrue(org.segue.engine.generator.ModelFile.read(model).info().recipe().get("epochs.completed").equals("1"));

        Path out = dir.resolve("protected");
        ij1.runMacro("run(\"Protect Faces\", \"apply=Folder input=[" + data + "] output=[" + out + "] model=["
                + model + "] person=[] strength=12 jpeg=95\");\n", "");
        // synthetic blobs hold no face: every file is still written, unchanged, with a report
        for (int c = 0; c < 3; c++) {
            assertTrue(Files.isRegularFile(out.resolve("person" + c + "/0.png")));
        }
        assertTrue(Files.readString(out.resolve("protection-report.json")).contains("\"written\": 18"));
    }

    @Test
    void checksProtectionOnALabelledFolder(@TempDir Path dir) throws Exception {
        Path data = syntheticFaces(dir.resolve("faces"));
        ij1.runMacro("run(\"Check Protection\", \"labelled=[" + data + "] model=default epochs=1 input=32 test=0.34\");\n"
                + "File.saveString(getResultString(\"protected-trained accuracy %\", 0) + \"|\" + nResults, \""
                + dir.resolve("check.txt") + "\");\n", "");
        String[] f = Files.readString(dir.resolve("check.txt")).split("\\|");
        double accuracy = Double.parseDouble(f[0]);
        assertTrue(accuracy >= 0 && accuracy <= 100, "an accuracy in percent: " + f[0]);
        assertTrue(f[1].equals("1"), "one results row");
    }

    @Test
    void badInputIsAnImageJErrorNotAStackTrace(@TempDir Path dir) throws Exception {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        java.io.PrintStream oldErr = System.err;
        try {
            System.setOut(new java.io.PrintStream(captured, true));
            System.setErr(new java.io.PrintStream(captured, true));
            ij1.runMacro("setBatchMode(true); newImage(\"float\", \"32-bit black\", 64, 64, 1);\n"
                    + "run(\"Protect Faces\", \"apply=[Current image] model=default person=[] strength=8 jpeg=95\");\n", "");
            ij1.runMacro("run(\"Protect Faces\", \"apply=Folder input=[" + dir + "] output=[" + dir.resolve("o")
                    + "] model=[" + dir.resolve("missing.segue") + "] person=[] strength=8 jpeg=95\");\n", "");
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        String log = captured.toString();
        assertTrue(log.contains("32-bit images are not photos"), log);
        assertTrue(log.contains("model file not found"), log);
        assertTrue(!log.contains("\tat org.segue"), "no stack trace: " + log);
    }
}
