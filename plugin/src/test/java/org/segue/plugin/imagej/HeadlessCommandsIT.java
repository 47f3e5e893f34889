package org.segue.plugin.imagej;

import net.imagej.patcher.LegacyEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                + "saveAs(\"PNG\", \"" + out + "\");\n" // with the outlines on: they must stay out of the file
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

    // ------------------------------------------------------------ Fiji that behaves like Fiji

    private static final String PROTECT = "run(\"Protect Faces\", \"apply=[Current image] model=default strength=8 ";
    /** Macro code: "|title|status|faces left outside the selection|slices left without a face" of the result. */
    private static final String STATE = "\"|\" + getTitle() + \"|\" + Property.get(\"segue.status\") + \"|\""
            + " + Property.get(\"segue.unprotected.faces\") + \"|\" + Property.get(\"segue.unprotected.slices\")";

    static Path astronaut() {
        Path photo = Path.of(System.getProperty("segue.shared", "../shared"), "photos/public-domain/astronaut.png");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(photo),
                "skipped: " + photo + " (the public-domain test photo in ../shared) is absent");
        return photo;
    }

    /** Runs a macro; returns what ImageJ printed (the log, errors) while it ran. */
    static String macro(String code, String argument) {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        java.io.PrintStream oldErr = System.err;
        java.io.PrintStream both = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                captured.write(b);
                old.write(b);
            }
        }, true);
        try {
            System.setOut(both);
            System.setErr(both);
            ij1.runMacro("setBatchMode(true);\n" + code + "\nclose(\"*\");\n", argument);
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        return captured.toString();
    }

    static String[] facts(Path file) throws Exception {
        assertTrue(Files.exists(file), "the macro ran to its end and wrote " + file);
        return Files.readString(file).split("\\|", -1);
    }

    static String q(Path p) {
        return p.toString().replace("\\", "/");
    }

    /** The same pixels everywhere (ARGB compared). */
    static void assertSamePixels(BufferedImage a, BufferedImage b, String what) {
        assertTrue(a.getWidth() == b.getWidth() && a.getHeight() == b.getHeight(), what + ": sizes differ");
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    throw new AssertionError(what + ": pixel " + x + "," + y + " differs");
                }
            }
        }
    }

    /** Pixels that differ between two images of one size, inside the rectangle [x0, x1) x [y0, y1). */
    static int changedIn(BufferedImage a, BufferedImage b, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void aPhotoWithoutAFaceIsNeverShownAsProtected(@TempDir Path dir) throws Exception {
        String facts = "File.saveString(getTitle() + \"|\" + nImages + \"|\" + Property.get(\"segue.status\"), \"";
        // copy (the default): an unchanged copy opens, titled as what it is
        String log = macro("newImage(\"landscape.png\", \"RGB ramp\", 320, 240, 1);\n"
                + PROTECT + "person=[]\");\n"
                + facts + q(dir.resolve("copy.txt")) + "\");", "");
        String[] f = facts(dir.resolve("copy.txt"));
        assertEquals("landscape-no-face.png", f[0], "the copy's title says no face was found");
        assertEquals("2", f[1]);
        assertEquals("no face", f[2]);
        assertTrue(log.contains("NO FACE FOUND"), log);
        assertFalse(log.contains("protected, largest change"), log);
        // skip: nothing opens
        macro("newImage(\"landscape.png\", \"RGB ramp\", 320, 240, 1);\n"
                + PROTECT + "person=[] no-face=skip\");\n"
                + facts + q(dir.resolve("skip.txt")) + "\");", "");
        f = facts(dir.resolve("skip.txt"));
        assertEquals("landscape.png", f[0], "no new window under skip");
        assertEquals("1", f[1]);
        // fail: an error, and the macro stops there
        log = macro("newImage(\"landscape.png\", \"RGB ramp\", 320, 240, 1);\n"
                + PROTECT + "person=[] no-face=fail\");\n"
                + "File.saveString(\"went on\", \"" + q(dir.resolve("fail.txt")) + "\");", "");
        assertFalse(Files.exists(dir.resolve("fail.txt")), "the macro stopped at the failure: " + log);
        assertTrue(log.contains("No face was found in landscape.png") && log.contains("no-face policy is fail"), log);
    }

    /**
     * A folder run under the fail policy stops a macro as the current-image run does; copy lets it go on. The
     * photo without a face is not written under fail.
     */
    @Test
    void aFolderRunUnderTheFailPolicyStopsTheMacro(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        BufferedImage ramp = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < ramp.getHeight(); y++) {
            for (int x = 0; x < ramp.getWidth(); x++) {
                ramp.setRGB(x, y, (x / 2) << 16 | (y / 2) << 8 | 128);
            }
        }
        ImageIO.write(ramp, "png", in.resolve("landscape.png").toFile());
        String folder = "run(\"Protect Faces\", \"apply=Folder input=[" + q(in) + "] output=[%s] model=default "
                + "person=[] strength=8 jpeg=95 no-face=%s\");\n";
        String log = macro(String.format(folder, q(dir.resolve("failed")), "fail")
                + "File.saveString(\"went on\", \"" + q(dir.resolve("fail.txt")) + "\");", "");
        assertFalse(Files.exists(dir.resolve("fail.txt")), "the macro stopped at the failure: " + log);
        assertTrue(log.contains("No face was found in 1 photo(s)") && log.contains("no-face policy is fail"), log);
        assertFalse(Files.exists(dir.resolve("failed/landscape.png")), "nothing written for it under fail");
        log = macro(String.format(folder, q(dir.resolve("copied")), "copy")
                + "File.saveString(\"went on\", \"" + q(dir.resolve("copy.txt")) + "\");", "");
        assertTrue(Files.exists(dir.resolve("copy.txt")), "under copy the macro goes on: " + log);
        assertTrue(Files.exists(dir.resolve("copied/landscape.png")), "copied unchanged under copy");
    }

    /**
     * A folder run with a group registry (the wiring; the engine's GroupRegistryBatchIT shows people found again
     * across batches on real photos): the registry is written, owner-only; a later run with its key goes through;
     * a wrong registry key stops the run before anything is written, and a registry without a key is refused.
     */
    @Test
    void aGroupRegistryKeepsAPersonsCodeAcrossFolderRuns(@TempDir Path dir) throws Exception {
        Path first = Files.createDirectories(dir.resolve("first"));
        Files.copy(astronaut(), first.resolve("a.png"));
        Files.copy(astronaut(), first.resolve("b.png"));
        Path second = Files.createDirectories(dir.resolve("second"));
        Files.copy(astronaut(), second.resolve("c.png"));
        Path key = dir.resolve("keys/registry.key");
        org.segue.engine.api.ErasureKey.generate().write(key);
        Path registry = dir.resolve("registry/groups.bin");
        String run = "run(\"Protect Faces\", \"apply=Folder input=[%s] output=[%s] model=default person=[] strength=8 "
                + "jpeg=95 no-face=copy group=[" + q(registry) + "] registry=[%s]\");\n";
        String log = macro(String.format(run, q(first), q(dir.resolve("out1")), q(key)), "");
        assertTrue(Files.exists(dir.resolve("out1/a.png")), log);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(registry)), "the registry holds face templates: owner only");
        assertFalse(log.contains(Files.readAllLines(key).get(1)), "the key never reaches the log");
        log = macro(String.format(run, q(second), q(dir.resolve("out2")), q(key)), "");
        assertSamePixels(ImageIO.read(dir.resolve("out1/a.png").toFile()), ImageIO.read(dir.resolve("out2/c.png").toFile()),
                "the same photo is protected alike in the later run: " + log);
        Path other = dir.resolve("keys/other.key");
        org.segue.engine.api.ErasureKey.generate().write(other);
        log = macro(String.format(run, q(second), q(dir.resolve("out3")), q(other)), "");
        assertFalse(Files.exists(dir.resolve("out3/c.png")), "nothing written under a wrong key: " + log);
        assertTrue(log.toLowerCase(java.util.Locale.ROOT).contains("key"), log);
        log = macro("run(\"Protect Faces\", \"apply=Folder input=[" + q(second) + "] output=[" + q(dir.resolve("out4"))
                + "] model=default person=[] strength=8 jpeg=95 no-face=copy group=[" + q(registry) + "]\");", "");
        assertTrue(log.contains("needs a registry key file"), log);
        assertFalse(Files.exists(dir.resolve("out4")), "nothing written without a key");
    }

    /**
     * A phone photo stored on its side with EXIF orientation 6: ImageJ shows it as stored; the faces are found in
     * its upright view, as the command line does, and the result keeps the grid ImageJ shows. The same pixels
     * without the tag: the face on its side is found by the detector's tilted passes and protected all the same.
     */
    @Test
    void aSidewaysPhonePhotoIsProtectedTaggedOrNot(@TempDir Path dir) throws Exception {
        BufferedImage upright = ImageIO.read(astronaut().toFile());
        int w = upright.getWidth();
        int h = upright.getHeight();
        // stored grid of orientation 6 (shown turned 90 degrees clockwise): stored(x, y) = upright(H-1-y, x)
        BufferedImage stored = new BufferedImage(h, w, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < h; x++) {
                stored.setRGB(x, y, upright.getRGB(w - 1 - y, x));
            }
        }
        Path phone = dir.resolve("phone.jpg");
        Files.write(phone, org.segue.engine.photo.TestPhotos.jpegWith(stored,
                java.util.List.of(org.segue.engine.photo.TestPhotos.orientationOnly(6))));
        Path untagged = dir.resolve("sideways.png");
        ImageIO.write(stored, "png", untagged.toFile());
        String facts = "File.saveString(getTitle() + \"|\" + Property.get(\"segue.faces\") + \"|\" + getWidth() + \"|\" + getHeight(), \"";
        String log = macro("open(getArgument());\n" + PROTECT + "person=[]\");\n" + facts + q(dir.resolve("phone.txt"))
                + "\");", phone.toString());
        String[] f = facts(dir.resolve("phone.txt"));
        assertEquals("phone-protected.jpg", f[0], log);
        assertTrue(Integer.parseInt(f[1]) >= 1, "the face was found in the upright view: " + log);
        assertEquals(stored.getWidth() + "|" + stored.getHeight(), f[2] + "|" + f[3], "the result keeps ImageJ's grid");
        assertTrue(log.contains("EXIF orientation 6"), log);

        log = macro("open(getArgument());\n" + PROTECT + "person=[]\");\n" + facts + q(dir.resolve("untagged.txt"))
                + "\");", untagged.toString());
        f = facts(dir.resolve("untagged.txt"));
        // without the tag the face lies on its side: the detector's tilted passes and the alignment still take it
        assertEquals("sideways-protected.png", f[0], "a face on its side without a tag is found too: " + log);
        assertTrue(Integer.parseInt(f[1]) >= 1, log);
        assertEquals(stored.getWidth() + "|" + stored.getHeight(), f[2] + "|" + f[3]);
    }

    /**
     * Detections are an overlay only when asked for, drawn on the screen only: File > Save As (PNG, JPEG) and
     * Flatten write the protected pixels without the outlines.
     */
    @Test
    void savingAProtectedImageNeverBurnsTheDetectionsIn(@TempDir Path dir) throws Exception {
        Path photo = astronaut();
        macro("open(getArgument());\n" + PROTECT + "person=[]\");\n"
                + "File.saveString(\"\" + Overlay.size, \"" + q(dir.resolve("default.txt")) + "\");", photo.toString());
        assertEquals("0", facts(dir.resolve("default.txt"))[0], "no outlines unless asked for");

        String log = macro("open(getArgument());\n" + PROTECT + "person=[] show\");\n"
                + "result = getImageID(); n = Overlay.size;\n"
                + "saveAs(\"PNG\", \"" + q(dir.resolve("with-overlay.png")) + "\");\n"
                + "saveAs(\"Jpeg\", \"" + q(dir.resolve("with-overlay.jpg")) + "\");\n"
                + "run(\"Flatten\"); saveAs(\"PNG\", \"" + q(dir.resolve("flattened.png")) + "\");\n"
                + "selectImage(result); still = Overlay.size; Overlay.remove;\n"
                + "saveAs(\"PNG\", \"" + q(dir.resolve("plain.png")) + "\");\n"
                + "saveAs(\"Jpeg\", \"" + q(dir.resolve("plain.jpg")) + "\");\n"
                + "File.saveString(n + \"|\" + still, \"" + q(dir.resolve("overlay.txt")) + "\");", photo.toString());
        String[] f = facts(dir.resolve("overlay.txt"));
        assertEquals("1", f[0], "one face outlined when asked: " + log);
        assertEquals("1", f[1], "saving keeps the overlay as an overlay");
        BufferedImage plain = ImageIO.read(dir.resolve("plain.png").toFile());
        assertSamePixels(plain, ImageIO.read(dir.resolve("with-overlay.png").toFile()), "PNG saved with the overlay on");
        assertSamePixels(plain, ImageIO.read(dir.resolve("flattened.png").toFile()), "Flatten");
        assertArrayEquals(Files.readAllBytes(dir.resolve("plain.jpg")), Files.readAllBytes(dir.resolve("with-overlay.jpg")),
                "JPEG saved with the overlay on");
        assertTrue(changedIn(ImageIO.read(photo.toFile()), plain, 0, 0, plain.getWidth(), plain.getHeight()) > 1000,
                "the saved file holds the protected pixels");
    }

    /** A selection limits protection to the faces inside it; the rest of the image is left as it was. */
    @Test
    void aSelectionLimitsProtectionToTheFacesInsideIt(@TempDir Path dir) throws Exception {
        BufferedImage one = ImageIO.read(astronaut().toFile());
        BufferedImage pair = new BufferedImage(2 * one.getWidth(), one.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        pair.getGraphics().drawImage(one, 0, 0, null);
        pair.getGraphics().drawImage(one, one.getWidth(), 0, null);
        Path photo = dir.resolve("pair.png");
        ImageIO.write(pair, "png", photo.toFile());
        int half = one.getWidth();
        String log = macro("open(getArgument());\n" + PROTECT + "person=[]\");\n"
                + "File.saveString(Property.get(\"segue.faces\") + " + STATE + ", \"" + q(dir.resolve("all.txt")) + "\");\n"
                + "close(\"pair-protected.png\"); selectImage(\"pair.png\");\n"
                + "makeRectangle(0, 0, " + half + ", " + pair.getHeight() + ");\n"
                + PROTECT + "person=[]\");\n"
                + "File.saveString(Property.get(\"segue.faces\") + " + STATE + ", \"" + q(dir.resolve("left.txt")) + "\");\n"
                + "saveAs(\"PNG\", \"" + q(dir.resolve("left.png")) + "\");\n"
                + "selectImage(\"pair.png\"); makeRectangle(0, 0, 40, 40);\n"
                + PROTECT + "person=[]\");\n"
                + "File.saveString(getTitle(), \"" + q(dir.resolve("corner.txt")) + "\");", photo.toString());
        assertEquals("2|pair-protected.png|protected|0|0", String.join("|", facts(dir.resolve("all.txt"))),
                "both faces without a selection, all protected: " + log);
        // the right face stays recognisable: the result is never called simply protected
        assertEquals("1|pair-partly-protected.png|partial|1|0", String.join("|", facts(dir.resolve("left.txt"))),
                "one face inside the selection, one left as it was: " + log);
        assertTrue(log.contains("PARTLY PROTECTED") && log.contains("1 face(s) outside the selection were left as they were"), log);
        BufferedImage left = ImageIO.read(dir.resolve("left.png").toFile());
        assertEquals(0, changedIn(pair, left, half, 0, pair.getWidth(), pair.getHeight()), "the right face is untouched");
        assertTrue(changedIn(pair, left, 0, 0, half, pair.getHeight()) > 1000, "the left face is protected");
        assertEquals("pair-no-face.png", facts(dir.resolve("corner.txt"))[0],
                "a selection with no face inside protects nothing and says so");
    }

    /** A stack: every slice protected (slices without a face left as they were), or the current slice only. */
    @Test
    void aStackIsProtectedSliceBySliceOrOnlyTheCurrentSlice(@TempDir Path dir) throws Exception {
        BufferedImage face = ImageIO.read(astronaut().toFile());
        Path slices = Files.createDirectories(dir.resolve("slices"));
        ImageIO.write(face, "png", slices.resolve("1.png").toFile());
        BufferedImage ramp = new BufferedImage(face.getWidth(), face.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < ramp.getHeight(); y++) {
            for (int x = 0; x < ramp.getWidth(); x++) {
                ramp.setRGB(x, y, (x / 2) << 16 | (y / 2) << 8 | 128);
            }
        }
        ImageIO.write(ramp, "png", slices.resolve("2.png").toFile());
        ImageIO.write(face, "png", slices.resolve("3.png").toFile());
        String log = macro("File.openSequence(getArgument()); rename(\"stack\"); source = getImageID();\n"
                + PROTECT + "person=[] show\");\n"
                + "result = getImageID(); facts = \"\" + nSlices + \"|\" + Property.get(\"segue.faces\") + \"|\" + Overlay.size"
                + " + " + STATE + ";\n"
                + "imageCalculator(\"Difference create stack\", source, result);\n"
                + "for (i = 1; i <= nSlices; i++) { setSlice(i); getStatistics(area, mean, min, max); facts = facts + \"|\" + max; }\n"
                + "File.saveString(facts, \"" + q(dir.resolve("all.txt")) + "\");\n"
                + "selectImage(source); setSlice(3);\n"
                + PROTECT + "person=[] slices=[Current slice]\");\n"
                + "File.saveString(\"\" + nSlices + \"|\" + Property.get(\"segue.faces\") + " + STATE + ", \"" + q(dir.resolve("current.txt"))
                + "\");", slices.toString());
        String[] f = facts(dir.resolve("all.txt"));
        assertEquals("3", f[0], "every slice is in the result: " + log);
        assertEquals("2", f[1], "a face in slices 1 and 3");
        assertEquals("2", f[2], "one outline per protected face, on its slice");
        // slice 2 shows no protected face: the stack is never called simply protected
        assertEquals("stack-partly-protected|partial|0|1", String.join("|", f[3], f[4], f[5], f[6]),
                "title, status, faces and slices left as they were: " + log);
        assertTrue(Double.parseDouble(f[7]) > 0 && Double.parseDouble(f[9]) > 0, "slices 1 and 3 protected: " + log);
        assertEquals(0.0, Double.parseDouble(f[8]), "slice 2, without a face, left as it was");
        assertTrue(log.contains("PARTLY PROTECTED") && log.contains("no face found in slice(s) [2]"), log);
        String[] c = facts(dir.resolve("current.txt"));
        assertEquals("1|1|stack-protected|protected|0|0", String.join("|", c), "the current slice only: " + log);
    }

    /** The Strength field takes a preset's name or levels; what it cannot read becomes 0, which the run refuses. */
    @Test
    void theStrengthFieldTakesPresetsAndLevels() {
        assertEquals(org.segue.engine.api.StrengthPreset.HIGH.levels(), ProtectFacesCommand.strengthLevels("high"));
        assertEquals(org.segue.engine.api.StrengthPreset.LOW.levels(), ProtectFacesCommand.strengthLevels(" LOW "));
        assertEquals(3, ProtectFacesCommand.strengthLevels("3"));
        assertEquals(12, ProtectFacesCommand.strengthLevels("12"), "kept for the clamp with its note");
        assertEquals(0, ProtectFacesCommand.strengthLevels("strong"));
        assertEquals(0, ProtectFacesCommand.strengthLevels("-2"));
    }

    /**
     * The macro recorder writes a person's alias, never the name, and the alias protects exactly as the name does
     * when the recorded line runs.
     */
    @Test
    void theRecordedAliasProtectsAsTheNameDoes(@TempDir Path dir) throws Exception {
        String recorded = ProtectFacesCommand.recordedPerson("Ada Lovelace");
        assertFalse(recorded.toLowerCase(java.util.Locale.ROOT).contains("ada")
                || recorded.toLowerCase(java.util.Locale.ROOT).contains("lovelace"), recorded);
        assertTrue(recorded.matches("code:[0-9a-f]{4}"), recorded);
        assertEquals(recorded, ProtectFacesCommand.recordedPerson(" ada lovelace "), "names are case-folded");
        assertEquals(recorded, ProtectFacesCommand.recordedPerson(recorded), "an alias stays itself");
        assertEquals("", ProtectFacesCommand.recordedPerson(""));
        // a macro's options reach the dialog (and a recorder that records inside macros) with the alias
        assertEquals("apply=[Current image] person=" + recorded + " strength=8",
                ProtectFacesCommand.withPersonAlias("apply=[Current image] person=[Ada Lovelace] strength=8"));
        assertEquals("person=" + recorded, ProtectFacesCommand.withPersonAlias("person=Ada"
                .replace("Ada", "[ada lovelace]")));
        assertEquals("apply=Folder person=[] jpeg=95", ProtectFacesCommand.withPersonAlias("apply=Folder person=[] jpeg=95"));
        assertEquals("apply=Folder jpeg=95", ProtectFacesCommand.withPersonAlias("apply=Folder jpeg=95"));
        // the line the recorder gets from the dialog: the alias; folders only in folder mode
        ProtectFacesCommand.Request image = new ProtectFacesCommand.Request(false, false, "/photos/Ada Lovelace", "/o",
                "default", "Ada Lovelace", 8, false, 95, false, org.segue.engine.api.NoFacePolicy.SKIP, "", true, "/r.bin", "/k");
        assertEquals("apply=[Current image] slices=[Current slice] model=default person=" + recorded
                + " strength=8 no-face=skip show", ProtectFacesCommand.recordedOptions(image, true));
        ProtectFacesCommand.Request folder = new ProtectFacesCommand.Request(true, true, "/in put", "/out", "/m/x.segue",
                "", 6, false, 90, true, org.segue.engine.api.NoFacePolicy.COPY, "", false, "", "");
        assertEquals("apply=Folder input=[/in put] output=/out model=/m/x.segue person=[] strength=6 no-face=copy jpeg=90 keep",
                ProtectFacesCommand.recordedOptions(folder, false));
        ProtectFacesCommand.Request grouped = new ProtectFacesCommand.Request(true, true, "/in", "/out", "default",
                "", 8, false, 95, false, org.segue.engine.api.NoFacePolicy.COPY, "", false, "/reg/groups.bin", "/keys/reg.key");
        assertEquals("apply=Folder input=/in output=/out model=default person=[] strength=8 no-face=copy jpeg=95 "
                        + "group=/reg/groups.bin registry=/keys/reg.key",
                ProtectFacesCommand.recordedOptions(grouped, false), "the registry's and its key's paths, never the key");
        ProtectFacesCommand.Request erasable = new ProtectFacesCommand.Request(false, true, "", "", "default", "", 8, true,
                95, false, org.segue.engine.api.NoFacePolicy.COPY, "/keys/my archive.key", false, "", "");
        assertEquals("apply=[Current image] model=default person=[] strength=8 conceal no-face=copy key=[/keys/my archive.key]",
                ProtectFacesCommand.recordedOptions(erasable, false), "the key file's path, never the key");
        Path photo = astronaut();
        macro("open(getArgument());\n" + PROTECT + "person=[Ada Lovelace]\");\n"
                + "saveAs(\"PNG\", \"" + q(dir.resolve("name.png")) + "\");\n"
                + "open(getArgument());\n" + PROTECT + "person=" + recorded + "\");\n"
                + "saveAs(\"PNG\", \"" + q(dir.resolve("alias.png")) + "\");\n"
                + "open(getArgument());\n" + PROTECT + "person=[Grace Hopper]\");\n"
                + "saveAs(\"PNG\", \"" + q(dir.resolve("other.png")) + "\");", photo.toString());
        BufferedImage byName = ImageIO.read(dir.resolve("name.png").toFile());
        assertSamePixels(byName, ImageIO.read(dir.resolve("alias.png").toFile()), "alias against name");
        BufferedImage other = ImageIO.read(dir.resolve("other.png").toFile());
        assertTrue(changedIn(byName, other, 0, 0, other.getWidth(), other.getHeight()) > 100,
                "another person's code protects differently (the alias is not ignored)");
    }

    /**
     * Erasable protection of the current image: the file it was opened from is protected into a new file beside
     * it, which opens; Restore Faces with the key file gives the original back bit for bit (PNG). The key never
     * reaches the log; an image without a file, another key and a missing key file are refused, writing nothing.
     */
    @Test
    void anErasablyProtectedPhotoIsRestoredBitForBit(@TempDir Path dir) throws Exception {
        Path photo = Files.copy(astronaut(), dir.resolve("astronaut.png"));
        byte[] originalBytes = Files.readAllBytes(photo);
        Path key = dir.resolve("keys/archive.key");
        org.segue.engine.api.ErasureKey.generate().write(key);
        String secret = Files.readAllLines(key).get(1);
        Path protectedFile = dir.resolve("astronaut-protected.png");
        Path restoredDir = dir.resolve("restored");
        String log = macro("open(getArgument());\n" + PROTECT + "person=[] key=[" + q(key) + "]\");\n"
                + "File.saveString(getTitle() + \"|\" + Property.get(\"segue.status\") + \"|\" + Property.get(\"segue.faces\"), \""
                + q(dir.resolve("protect.txt")) + "\");\n"
                + "run(\"Restore Faces\", \"input=[" + q(protectedFile) + "] key=[" + q(key) + "] output=["
                + q(restoredDir) + "]\");\n"
                + "File.saveString(getTitle() + \"|\" + Property.get(\"segue.status\") + \"|\" + Property.get(\"segue.regions\"), \""
                + q(dir.resolve("restore.txt")) + "\");", photo.toString());
        String[] p = facts(dir.resolve("protect.txt"));
        assertEquals("astronaut-protected.png", p[0], "the protected file opens");
        assertEquals("protected", p[1]);
        assertEquals("1", p[2]);
        assertTrue(org.segue.engine.api.Restorer.hasPayload(protectedFile), "the payload is in the protected file");
        assertTrue(java.util.Arrays.equals(originalBytes, Files.readAllBytes(photo)), "the source file is untouched");
        BufferedImage original = ImageIO.read(photo.toFile());
        BufferedImage protectedImage = ImageIO.read(protectedFile.toFile());
        assertTrue(changedIn(original, protectedImage, 0, 0, original.getWidth(), original.getHeight()) > 1000,
                "the face was protected");
        String[] r = facts(dir.resolve("restore.txt"));
        assertEquals("astronaut-protected.png", r[0], "the restored photo opens");
        assertEquals("restored", r[1]);
        assertEquals("1", r[2]);
        java.awt.image.Raster a = original.getRaster();
        java.awt.image.Raster b = ImageIO.read(restoredDir.resolve("astronaut-protected.png").toFile()).getRaster();
        assertArrayEquals(a.getPixels(0, 0, a.getWidth(), a.getHeight(), (int[]) null),
                b.getPixels(0, 0, b.getWidth(), b.getHeight(), (int[]) null), "restored bit for bit");
        assertTrue(log.contains("protected erasably") && log.contains("bit for bit"), log);
        assertFalse(log.contains(secret), "the key never reaches the log");

        // a second run never replaces the first protected file
        macro("open(getArgument());\n" + PROTECT + "person=[] key=[" + q(key) + "]\");", photo.toString());
        assertTrue(Files.exists(dir.resolve("astronaut-protected-2.png")));
        assertTrue(org.segue.engine.api.Restorer.hasPayload(protectedFile), "the first protected file is kept");

        // an image not opened from a file has no file to carry the payload
        log = macro("newImage(\"drawn.png\", \"RGB ramp\", 320, 240, 1);\n" + PROTECT + "person=[] key=[" + q(key)
                + "]\");\nFile.saveString(\"\" + nImages, \"" + q(dir.resolve("drawn.txt")) + "\");", "");
        assertTrue(log.contains("not opened from a file"), log);
        assertFalse(Files.exists(dir.resolve("drawn.txt")), "an ImageJ error: the macro stops there");

        // another key: refused, nothing written, the macro stops
        Path other = dir.resolve("keys/other.key");
        org.segue.engine.api.ErasureKey.generate().write(other);
        log = macro("run(\"Restore Faces\", \"input=[" + q(protectedFile) + "] key=[" + q(other) + "] output=["
                + q(dir.resolve("wrong")) + "]\");\nFile.saveString(\"went on\", \"" + q(dir.resolve("went.txt")) + "\");", "");
        assertTrue(log.contains("NOT RESTORED"), log);
        assertFalse(Files.exists(dir.resolve("wrong/astronaut-protected.png")), "nothing written");
        assertFalse(Files.exists(dir.resolve("went.txt")), "the macro stopped at the refusal");

        // a missing key file: refused before anything is written
        log = macro("open(getArgument());\n" + PROTECT + "person=[] key=[" + q(dir.resolve("keys/absent.key"))
                + "]\");", photo.toString());
        assertTrue(log.contains("Key file not found"), log);
        assertFalse(Files.exists(dir.resolve("astronaut-protected-3.png")), "nothing written");
    }

    /** Escape while a folder's faces are grouped wraps up (protects what was read); a second Escape stops. */
    @Test
    void escapeWhileGroupingWrapsUpAndASecondEscapeStops() {
        org.segue.engine.api.Cancellation cancellation = new org.segue.engine.api.Cancellation();
        ImageJProgress progress = new ImageJProgress("test", cancellation);
        progress.escape(ImageJProgress.GROUPING_PHASE);
        assertTrue(cancellation.isWrappingUp() && !cancellation.isCancelled(), "the first Escape wraps up");
        progress.escape(ImageJProgress.GROUPING_PHASE);
        assertTrue(cancellation.isCancelled(), "the second stops");
        org.segue.engine.api.Cancellation protecting = new org.segue.engine.api.Cancellation();
        new ImageJProgress("test", protecting).escape("protect");
        assertTrue(protecting.isCancelled(), "Escape while writing stops after the current photo");
    }

    /** The Help button and docs/fiji.md name every key the dialog records. */
    @Test
    void helpAndDocsNameEveryMacroKey() throws Exception {
        String help = ProtectFacesCommand.help();
        String docs = Files.readString(Path.of("../docs/fiji.md"));
        for (String key : new String[] {"apply", "slices", "input", "output", "model", "person", "strength", "no-face",
                "key", "jpeg", "keep", "show"}) {
            assertTrue(help.contains("<tt>" + key), "Help names " + key);
            assertTrue(docs.contains("`" + key), "docs/fiji.md names " + key);
        }
        String restoreHelp = RestoreFacesCommand.help();
        for (String key : new String[] {"input", "key", "output"}) {
            assertTrue(restoreHelp.contains("<tt>" + key), "Restore Faces' Help names " + key);
        }
        assertTrue(docs.contains("**Restore Faces**"), "docs/fiji.md describes Restore Faces");
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
