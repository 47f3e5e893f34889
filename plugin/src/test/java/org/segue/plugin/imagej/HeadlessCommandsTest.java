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
class HeadlessCommandsTest {

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
        ij1 = new LegacyEnvironment(HeadlessCommandsTest.class.getClassLoader(), true);
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
                + "saveAs(\"PNG\", \"" + out + "\");\n", photo.toString());
        assertTrue(Files.exists(out), "the protected image was saved");
        String[] f = Files.readString(facts).split("\\|");
        assertTrue(f[0].equals("004134-protected.jpg"), "result title " + f[0]);
        assertTrue(f[1].equals("1"), "one face outlined in the overlay, got " + f[1]);
        assertTrue(f[2].equals("2"), "the source stays open beside the result, images: " + f[2]);
        BufferedImage a = ImageIO.read(photo.toFile());
        BufferedImage b = ImageIO.read(out.toFile());
        int changed = 0;
        int worst = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                int d = 0;
                for (int s = 0; s <= 16; s += 8) {
                    d = Math.max(d, Math.abs(((p >> s) & 0xFF) - ((q >> s) & 0xFF)));
                }
                changed += d > 0 ? 1 : 0;
                worst = Math.max(worst, d);
            }
        }
        assertTrue(worst <= 8 && changed > 1000, "changed " + changed + " pixels, worst " + worst);
    }
}
