package org.segue.plugin.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.Macro;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.DialogListener;
import ij.gui.GenericDialog;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;
import ij.process.ImageProcessor;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchRequest.GroupRegistryFile;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.HostImage;
import org.segue.engine.api.Identities;
import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectedImage;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.api.Protector;
import org.segue.engine.spi.FaceBox;

import java.awt.AWTEvent;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.Point;
import java.awt.TextField;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plugins > Face Protection > Protect Faces: protects the faces of the current image (all slices of a stack,
 * or the current one; only faces inside the selection when there is one) into a new image, or of a folder
 * tree into a mirrored output folder with a report. A photo in which no face was protected is never shown as
 * protected: the no-face policy decides whether an unchanged copy opens (titled "-no-face"), nothing opens,
 * or the run fails. One in which some faces or slices were left as they were opens titled "-partly-protected",
 * with a message on a screen. Every option is a dialog field, so the macro recorder writes a
 * {@code run("Protect Faces", "...")} line that also runs headless; it records a person's alias, never the name.
 *
 * <p>With a key file (made by {@code segue keygen}) protection is erasable: the photo's original face samples
 * travel inside the protected file, encrypted under the key, and Restore Faces gives the original back. The
 * payload lives in a file, so in current-image mode an erasable run protects the file the image was opened from
 * into a new file beside it and opens that; an image without a file, with unsaved changes, a stack or a selection
 * is refused with the reason. The recorder writes the key file's path, never the key.
 */
public class ProtectFacesCommand implements PlugIn {

    static final String TITLE = "Protect Faces";
    static final String CURRENT_IMAGE = "Current image";
    static final String FOLDER = "Folder";
    static final String ALL_SLICES = "All slices";
    static final String CURRENT_SLICE = "Current slice";
    static final String[] NO_FACE_CHOICES = {"copy", "skip", "fail"};
    /** Largest strength, in 8-bit levels: the budget the generator was trained for (8/255). */
    static final int MAX_LEVELS = ProtectionOptions.MAX_LEVELS;
    static final Color PROTECTED = Color.GREEN;
    /** Faces the preview found outside the selection: they stay as they are. */
    static final Color LEFT_AS_IS = Color.ORANGE;

    /** segue.status of a result in which some faces or slices were left as they were. */
    static final String PARTIAL = "partial";
    /** Result property: faces found outside the selection, left as they were. */
    static final String UNPROTECTED_FACES = "segue.unprotected.faces";
    /** Result property: slices in which no face was found, left as they were. */
    static final String UNPROTECTED_SLICES = "segue.unprotected.slices";

    /** The Model field's index in GenericDialog.getStringFields() (after the two folder fields). */
    private static final int MODEL_FIELD = 2;

    /** What the dialog asked for. */
    record Request(boolean folder, boolean allSlices, String input, String output, String model, String person,
                   int strength, boolean concealHeads, int quality, boolean keepLocation, NoFacePolicy noFace, String keyFile, boolean show,
                   String groupRegistry, String registryKey) {

        boolean erasable() {
            return !keyFile.isBlank();
        }

        /** A folder run that keeps its groups' codes in a registry file (automatic grouping only). */
        boolean keepsGroups() {
            return folder && !groupRegistry.isBlank();
        }
    }

    @Override
    public void run(String arg) {
        String macroOptions = Macro.getOptions();
        if (macroOptions != null) {
            // a macro's name never reaches the dialog, so a recorder that records inside macros sees the alias
            Macro.setOptions(withPersonAlias(macroOptions));
        }
        ImagePlus image = WindowManager.getCurrentImage();
        Request r = ask(image);
        if (r == null) {
            return;
        }
        if (macroOptions == null && Recorder.record) {
            record(r, image != null && image.getStackSize() > 1);
        }
        int strength = r.strength();
        if (strength > MAX_LEVELS) {
            IJ.log(TITLE + ": strength " + strength + " is above the largest strength, " + MAX_LEVELS
                    + " levels; using " + MAX_LEVELS + ".");
            strength = MAX_LEVELS;
        }
        if (strength < 1 || r.quality() < 1 || r.quality() > 100) {
            IJ.error(TITLE, "Strength must be low, medium, high or 1..8 levels, and JPEG quality 1..100.");
            return;
        }
        boolean failed;
        try {
            // the key files first: a bad one stops the run before any model is opened or anything written
            ErasureKey key = r.erasable() ? readKey(r.keyFile()) : null;
            GroupRegistryFile registry = null;
            if (r.keepsGroups()) {
                if (!r.person().isEmpty()) {
                    IJ.error(TITLE, "A group registry keeps the codes of automatic grouping: leave the person name "
                            + "empty, or the group registry.");
                    return;
                }
                if (r.registryKey().isEmpty()) {
                    IJ.error(TITLE, "A group registry needs a registry key file (make one with 'segue keygen FILE'): "
                            + "the registry holds face templates and is stored encrypted.");
                    return;
                }
                if (java.nio.file.Files.isDirectory(Path.of(r.groupRegistry()))) {
                    IJ.error(TITLE, "Group registry names a file; " + r.groupRegistry() + " is a folder.");
                    return;
                }
                registry = new GroupRegistryFile(Path.of(r.groupRegistry()), readKey(r.registryKey()));
            }
            if (key != null && !r.folder()) {
                Path file = erasableSource(image);
                if (file == null) {
                    return;
                }
                ProtectionOptions options = ProtectionOptions.builder().strengthLevels(strength).jpegQuality(r.quality())
                        .keepLocation(r.keepLocation()).whenNoFace(r.noFace()).erasable(key)
                        .concealHeads(r.concealHeads()).identities(Identities.eachFaceApart()).person(r.person()).build();
                failed = !protectFileErasably(SegueSession.protector(r.model()), file, options);
                if (failed && IJ.isMacro()) {
                    throw new RuntimeException(Macro.MACRO_CANCELED);
                }
                return;
            }
            Protector protector = SegueSession.protector(r.model());
            ProtectionOptions.Builder options = ProtectionOptions.builder().strengthLevels(strength)
                    .jpegQuality(r.quality()).keepLocation(r.keepLocation()).whenNoFace(r.noFace()).erasable(key)
                    .concealHeads(r.concealHeads());
            if (r.folder()) {
                Prefs.set("segue.input", r.input());
                Prefs.set("segue.output", r.output());
                // a folder holds several people: an unnamed batch is grouped by look-alike faces
                failed = !protectFolder(protector, options.identities(Identities.grouped(0)).person(r.person()).build(),
                        r.input(), r.output(), registry);
            } else if (image == null) {
                IJ.error(TITLE, "There is no image open. Open a photo, or choose 'Apply to: Folder'.");
                return;
            } else {
                // one image, several unnamed faces: most likely several people, one code each
                failed = !protectImage(image, protector,
                        options.identities(Identities.eachFaceApart()).person(r.person()).build(), r);
            }
        } catch (RuntimeException e) {
            if (Macro.MACRO_CANCELED.equals(e.getMessage())) {
                throw e;
            }
            IJ.error(TITLE, e.getMessage() != null ? e.getMessage() : e.toString());
            return;
        } catch (Exception e) {
            IJ.error(TITLE, e.getMessage() != null ? e.getMessage() : e.toString());
            return;
        }
        if (failed && IJ.isMacro()) {
            // the fail policy: a macro must not go on as if the photos were protected (ImageJ's quiet abort)
            throw new RuntimeException(Macro.MACRO_CANCELED);
        }
    }

    /** The dialog; null when cancelled. */
    private static Request ask(ImagePlus image) {
        boolean haveImage = image != null;
        boolean stack = haveImage && image.getStackSize() > 1;
        GenericDialog gd = new GenericDialog(TITLE);
        ModeFields fields = new ModeFields(gd);
        gd.addChoice("Apply to", new String[] {CURRENT_IMAGE, FOLDER}, haveImage ? CURRENT_IMAGE : FOLDER);
        fields.group(CURRENT_IMAGE);
        if (stack) {
            gd.addChoice("Slices", new String[] {ALL_SLICES, CURRENT_SLICE}, ALL_SLICES);
        }
        fields.group(FOLDER);
        Dialogs.addFolderField(gd, "Input folder", Prefs.get("segue.input", ""));
        Dialogs.addFolderField(gd, "Output folder", Prefs.get("segue.output", ""));
        fields.group(ModeFields.BOTH);
        Dialogs.addFileField(gd, "Model", SegueSession.lastModel());
        gd.addStringField("Person name", "", 24);
        gd.addStringField("Strength", StrengthPreset.DEFAULT.label(), 6);
        gd.addToSameRow();
        gd.addMessage("low, medium, high, or 1..8 levels of 255");
        gd.addCheckbox("Conceal heads (blur: against pretrained recognisers)", false);
        gd.addChoice("No-face photos", NO_FACE_CHOICES, NO_FACE_CHOICES[0]);
        Dialogs.addFileField(gd, "Key file (erasable)", "");
        fields.group(FOLDER);
        gd.addNumericField("JPEG quality", 95, 0, 3, "for JPEG output");
        gd.addCheckbox("Keep location", false);
        Dialogs.addFileField(gd, "Group registry", "");
        Dialogs.addFileField(gd, "Registry key file", "");
        fields.group(CURRENT_IMAGE);
        gd.addCheckbox("Show detections", false);
        fields.group(ModeFields.BOTH);
        gd.addMessage("Person name: every face is this person (a stable code from the name; the name is never\n"
                + "written: a recorded macro holds the code, e.g. person=code:3f9a). Empty: a code per face\n"
                + "(image) or look-alike groups (folder). No-face photos: copy unchanged / skip / fail.\n"
                + "Conceal heads: also blur each face, its hair and ears, so that face recognition with pretrained\n"
                + "models cannot match it (no strength does that); plainly seen.\n"
                + "A selection limits protection to the faces inside it. Key file (made by 'segue keygen'):\n"
                + "erasable protection, undone by Restore Faces with the same key; for the current image it\n"
                + "protects the file the image was opened from into a new file beside it. Empty: not erasable.\n"
                + "Group registry (folder, no person name): a file that keeps each look-alike group's code across\n"
                + "runs; it holds face templates (biometric data), encrypted with the registry key file.\n"
                + "Model: 'default' is the model\n"
                + "shipped with Segue; trained models are in " + SegueSession.modelsFolder());
        gd.addHelp(help());
        Preview preview = null;
        if (haveImage && fields.onScreen()) {
            gd.addPreviewCheckbox(null, "Preview faces");
            preview = new Preview(image, gd);
            gd.addDialogListener(preview);
        }
        fields.show(haveImage ? CURRENT_IMAGE : FOLDER);
        if (fields.onScreen()) {
            Choice apply = (Choice) gd.getChoices().get(0);
            apply.addItemListener(e -> fields.show(apply.getSelectedItem()));
        }
        try {
            gd.showDialog();
        } finally {
            if (preview != null) {
                preview.close();
            }
        }
        if (gd.wasCanceled()) {
            return null;
        }
        return read(gd, stack);
    }

    /** Reads the dialog's fields in the order they were added (what the recorder records, when it records). */
    private static Request read(GenericDialog gd, boolean stack) {
        String target = gd.getNextChoice();
        boolean folder = target.equals(FOLDER);
        boolean allSlices = !stack || gd.getNextChoice().equals(ALL_SLICES);
        String input = gd.getNextString();
        String output = gd.getNextString();
        String model = gd.getNextString();
        String person = gd.getNextString().strip();
        int strength = strengthLevels(gd.getNextString());
        boolean concealHeads = gd.getNextBoolean();
        String noFace = gd.getNextChoice();
        String keyFile = gd.getNextString().strip();
        int quality = (int) gd.getNextNumber();
        boolean keepLocation = gd.getNextBoolean();
        String groupRegistry = gd.getNextString().strip();
        String registryKey = gd.getNextString().strip();
        boolean show = gd.getNextBoolean();
        return new Request(folder, allSlices, input, output, model, person, strength, concealHeads, quality, keepLocation,
                NoFacePolicy.parse(noFace), keyFile, show, groupRegistry, registryKey);
    }

    /**
     * The Strength field: a preset's name or a number of levels. A number above 8 is kept for the run, which caps
     * it with a note (older macros asked for more than 8); anything else unreadable is 0, which the run refuses
     * with the reason. A model trained for a smaller budget refuses what exceeds it (Protector).
     */
    static int strengthLevels(String typed) {
        String t = typed.strip();
        try {
            return StrengthPreset.parse(t);
        } catch (IllegalArgumentException e) {
            try {
                return Math.max(0, Integer.parseInt(t));
            } catch (NumberFormatException notANumber) {
                return 0;
            }
        }
    }

    /**
     * Writes the command's line into ImageJ's macro recorder in place of the line ImageJ would write from the
     * fields as typed: the person's alias instead of the name, and no folders in current-image mode (a folder's
     * path can name a person too).
     */
    private static void record(Request r, boolean stack) {
        Recorder.disableCommandRecording();
        Recorder.resetCommandOptions();
        String options = recordedOptions(r, stack);
        Recorder.recordString(Recorder.scriptMode()
                ? "IJ.run(\"" + TITLE + "\", \"" + options + "\");\n"
                : "run(\"" + TITLE + "\", \"" + options + "\");\n");
    }

    /** The options of a recorded line for a request. */
    static String recordedOptions(Request r, boolean stack) {
        StringBuilder o = new StringBuilder();
        option(o, "apply", r.folder() ? FOLDER : CURRENT_IMAGE);
        if (r.folder()) {
            option(o, "input", r.input());
            option(o, "output", r.output());
        } else if (stack) {
            option(o, "slices", r.allSlices() ? ALL_SLICES : CURRENT_SLICE);
        }
        option(o, "model", r.model());
        option(o, "person", recordedPerson(r.person()));
        option(o, "strength", String.valueOf(r.strength()));
        if (r.concealHeads()) {
            o.append(" conceal");
        }
        option(o, "no-face", r.noFace().name().toLowerCase(java.util.Locale.ROOT));
        if (r.erasable()) {
            option(o, "key", r.keyFile()); // the key file's path: the key itself stays in the file
        }
        if (r.folder()) {
            option(o, "jpeg", String.valueOf(r.quality()));
            if (r.keepLocation()) {
                o.append(" keep");
            }
            if (r.keepsGroups()) {
                option(o, "group", r.groupRegistry()); // paths only: the key stays in its file
                option(o, "registry", r.registryKey());
            }
        } else if (r.show()) {
            o.append(" show");
        }
        return o.toString().strip().replace("\\", "/");
    }

    private static void option(StringBuilder o, String key, String value) {
        String v = value == null ? "" : value;
        o.append(' ').append(key).append('=').append(v.isEmpty() || v.contains(" ") ? "[" + v + "]" : v);
    }

    /** Macro options with the person's name, if any, replaced by its alias. */
    static String withPersonAlias(String options) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(^|\\s)person=(\\[[^\\]]*\\]|\\S*)").matcher(options);
        if (!m.find()) {
            return options;
        }
        String value = m.group(2);
        String name = value.startsWith("[") ? value.substring(1, value.length() - 1) : value;
        if (name.startsWith("&")) { // a macro variable, as GenericDialog reads it
            ij.macro.Interpreter interpreter = ij.macro.Interpreter.getInstance();
            String resolved = interpreter == null ? null : interpreter.getVariableAsString(name.substring(1));
            if (resolved == null) {
                return options;
            }
            name = resolved;
        }
        String alias = recordedPerson(name);
        return options.substring(0, m.start(2)) + (alias.isEmpty() ? "[]" : alias) + options.substring(m.end(2));
    }

    /** The person field as it may be written down: empty, or an alias (a name becomes its alias). */
    static String recordedPerson(String typed) {
        String t = typed == null ? "" : typed.strip();
        return t.isEmpty() || Identities.isAlias(t) ? t : Identities.alias(t);
    }

    /** The Help button's text: the commands' page in short (the full page is docs/fiji.md). */
    static String help() {
        try (InputStream in = ProtectFacesCommand.class.getResourceAsStream("protect-faces-help.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            return "<html>Protect Faces: see docs/fiji.md of Segue.</html>";
        }
    }

    /**
     * The key in a key file made by {@code segue keygen}.
     *
     * @throws IOException naming the file (never its content) when it is missing or holds no key
     */
    static ErasureKey readKey(String keyFile) throws IOException {
        Path file = Path.of(keyFile);
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IOException("Key file not found: " + file + " (make one with 'segue keygen FILE', and keep it "
                    + "safe: without it the originals cannot be restored)");
        }
        return ErasureKey.read(file);
    }

    // ---------------------------------------------------------------- the current image, erasably

    /**
     * The file an erasable run protects for the current image; null (after saying why) when the image cannot be
     * protected erasably: the restoration payload travels in the photo's file, so the image must be the file's
     * pixels as they are on disk.
     */
    static Path erasableSource(ImagePlus image) {
        if (image == null) {
            IJ.error(TITLE, "There is no image open. Open a photo from a file, or choose 'Apply to: Folder'.");
            return null;
        }
        String reason = erasableRefusal(image);
        if (reason != null) {
            IJ.error(TITLE, "Erasable protection works on a photo's file, where the restoration payload is kept: "
                    + reason);
            return null;
        }
        ij.io.FileInfo info = image.getOriginalFileInfo();
        return Path.of(info.directory, info.fileName);
    }

    /** Why an image cannot be protected erasably; null when it can. */
    static String erasableRefusal(ImagePlus image) {
        ij.io.FileInfo info = image.getOriginalFileInfo();
        if (info == null || info.directory == null || info.directory.isEmpty() || info.fileName == null
                || !java.nio.file.Files.isRegularFile(Path.of(info.directory, info.fileName))) {
            return image.getTitle() + " was not opened from a file. Open the photo with File > Open, or choose "
                    + "'Apply to: Folder'.";
        }
        if (image.getStackSize() > 1) {
            return image.getTitle() + " is a stack; protect its file with 'Apply to: Folder'.";
        }
        if (image.changes) {
            return image.getTitle() + " has unsaved changes, and the file on disk is what gets protected. Save it "
                    + "first, or revert it.";
        }
        if (selectionOf(image) != null) {
            return "every face found in the file is protected, so a selection cannot limit it. Remove the "
                    + "selection (Edit > Selection > Select None).";
        }
        return null;
    }

    /** A new file beside {@code source}: name-protected.ext, then name-protected-2.ext... never an existing one. */
    static Path protectedFileBeside(Path source) {
        String name = source.getFileName().toString();
        for (int n = 1; ; n++) {
            String title = protectedTitle(name);
            if (n > 1) {
                int dot = title.lastIndexOf('.');
                title = dot > 0 ? title.substring(0, dot) + "-" + n + title.substring(dot) : title + "-" + n;
            }
            Path candidate = source.resolveSibling(title);
            if (!java.nio.file.Files.exists(candidate)) {
                return candidate;
            }
        }
    }

    /** Protects the image's file erasably into a new file beside it and opens that; false when the fail policy stops the run. */
    private static boolean protectFileErasably(Protector protector, Path source, ProtectionOptions options)
            throws IOException {
        Path target = protectedFileBeside(source);
        String name = source.getFileName().toString();
        PhotoResult result;
        try {
            result = protector.protect(source, target, options);
        } catch (IOException e) {
            if (options.noFace() == NoFacePolicy.FAIL && !java.nio.file.Files.exists(target)) {
                IJ.log(TITLE + ": " + name + " - " + e.getMessage());
                IJ.error(TITLE, e.getMessage());
                return false;
            }
            throw e;
        }
        if (result.status() != PhotoResult.Status.PROTECTED) {
            String message = "No face was found in " + name + ". Nothing was protected: a face the detector missed "
                    + "is as recognisable as before; look at the photo.";
            IJ.log(TITLE + ": " + name + " - NO FACE FOUND, nothing protected");
            if (!java.nio.file.Files.exists(target)) {
                warn(message + " Nothing was written (the no-face policy is skip).");
                return true;
            }
            ImagePlus copy = IJ.openImage(target.toString());
            if (copy != null) {
                copy.setTitle(noFaceTitle(name));
                copy.setProp("segue.status", "no face");
                copy.setProp("segue.faces", 0);
                warn(message + " " + target.getFileName() + " is a copy with cleaned metadata (the no-face policy is copy).");
                copy.show();
            }
            return true;
        }
        ImagePlus opened = IJ.openImage(target.toString());
        if (opened == null) {
            throw new IOException(target + " was written but ImageJ cannot open it");
        }
        opened.setProp("segue.status", "protected");
        opened.setProp("segue.faces", result.faces().size());
        opened.setProp("segue.file", target.toString());
        opened.show();
        IJ.log(String.format("%s: %s - %d face(s) protected erasably, largest change %d of %d; written to %s "
                        + "(Restore Faces with the same key file gives the original back)", TITLE, name,
                result.faces().size(), result.maxChange(), result.maxValue(), target));
        IJ.showStatus(TITLE + ": " + result.faces().size() + " face(s) protected erasably into " + target.getFileName());
        return true;
    }

    // ---------------------------------------------------------------- the current image

    /** What happened to the slices of an image. */
    private static final class Outcome {
        final ImageStack stack;
        final Overlay overlay = new Overlay();
        final List<Integer> slicesWithoutFaces = new ArrayList<>();
        int faces;
        int outside;
        int largestChange;
        int maxValue = 255;
        int done;
        boolean cancelled;

        Outcome(ImagePlus source) {
            stack = new ImageStack(source.getWidth(), source.getHeight());
        }
    }

    /** Protects the image; false when the fail policy stops the run. */
    private static boolean protectImage(ImagePlus source, Protector protector, ProtectionOptions options, Request r)
            throws IOException {
        Roi selection = selectionOf(source);
        int n = source.getStackSize();
        int[] slices = r.allSlices() || n == 1 ? java.util.stream.IntStream.rangeClosed(1, n).toArray()
                : new int[] {source.getCurrentSlice()};
        int orientation = ShownOrientation.of(source);
        if (orientation != 1) {
            IJ.log(TITLE + ": " + source.getTitle() + " is shown as stored, on its side or mirrored (EXIF orientation "
                    + orientation + "); faces are found in its upright view");
        }
        Outcome o = new Outcome(source);
        ImageStack stack = source.getStack();
        IJ.resetEscape();
        for (int i = 0; i < slices.length; i++) {
            if (IJ.escapePressed()) {
                o.cancelled = true;
                break;
            }
            if (slices.length > 1) {
                IJ.showProgress(i, slices.length);
                IJ.showStatus(TITLE + ": slice " + (i + 1) + "/" + slices.length + " (Esc stops)");
            }
            ImageProcessor ip = stack.getProcessor(slices[i]);
            HostImage host = new HostImage(ImagePlusPixels.toBufferedImage(ip), orientation);
            List<HostImage.Face> all = protector.findFaces(host, source.getTitle(), options);
            List<HostImage.Face> chosen = all.stream().filter(f -> inside(selection, f)).toList();
            o.outside += all.size() - chosen.size();
            ImageProcessor out;
            if (chosen.isEmpty()) {
                out = ip.duplicate();
                o.slicesWithoutFaces.add(slices[i]);
            } else {
                ProtectedImage done = protector.protectFaces(host, chosen, source.getTitle(), options);
                out = ImagePlusPixels.toProcessor(done.image(), ip);
                o.faces += chosen.size();
                o.largestChange = Math.max(o.largestChange, done.result().maxChange());
                o.maxValue = done.result().maxValue();
                for (FaceBox region : done.result().faces()) {
                    DetectionRoi roi = new DetectionRoi(region, "face " + o.overlay.size(), PROTECTED);
                    roi.setPosition(o.stack.getSize() + 1);
                    o.overlay.add(roi);
                }
            }
            o.stack.addSlice(stack.getSliceLabel(slices[i]), out);
            o.done++;
        }
        IJ.showProgress(1.0);
        return report(source, o, slices, selection != null, r);
    }

    /** Opens the result as the outcome and the no-face policy say; false when the fail policy stops the run. */
    private static boolean report(ImagePlus source, Outcome o, int[] slices, boolean selected, Request r) {
        String title = source.getTitle();
        String where = selected ? " inside the selection" : "";
        String outside = o.outside > 0 ? "; " + o.outside + " face(s) outside the selection were left as they were" : "";
        if (o.done == 0) {
            IJ.showStatus(TITLE + ": cancelled, nothing was protected");
            IJ.log(TITLE + ": " + title + " - cancelled before the first slice; nothing was protected");
            return true;
        }
        String partly = o.cancelled ? " (cancelled after " + o.done + " of " + slices.length + " slices; the result "
                + "holds those " + o.done + ")" : "";
        if (o.faces == 0) {
            String message = "No face was found" + where + " in " + title + outside + ". Nothing was protected: a face "
                    + "the detector missed (tilted, small, in profile, on its side) is as recognisable as before; "
                    + "look at the photo.";
            IJ.log(TITLE + ": " + title + " - NO FACE FOUND" + where + ", nothing protected" + outside + partly);
            switch (r.noFace()) {
                case FAIL -> {
                    IJ.error(TITLE, message + " (The no-face policy is fail.)");
                    return false;
                }
                case SKIP -> {
                    warn(message + " Nothing opens (the no-face policy is skip).");
                    IJ.showStatus(TITLE + ": no face found, nothing opened");
                }
                case COPY -> {
                    ImagePlus copy = result(source, o, noFaceTitle(title), "no face", false);
                    warn(message + " '" + copy.getTitle() + "' is an unchanged copy (the no-face policy is copy).");
                    copy.show();
                    IJ.showStatus(TITLE + ": no face found; " + copy.getTitle() + " is unchanged");
                }
            }
            return true;
        }
        // faces found but left (outside the selection) or slices without a face: the result still shows
        // recognisable faces, so it is never called simply protected
        boolean partial = o.outside > 0 || !o.slicesWithoutFaces.isEmpty();
        ImagePlus result = result(source, o, partial ? partlyProtectedTitle(title) : protectedTitle(title),
                partial ? PARTIAL : "protected", r.show());
        result.show();
        String without = o.slicesWithoutFaces.isEmpty() ? ""
                : "; no face found in slice(s) " + o.slicesWithoutFaces + " (left as they were)";
        IJ.log(String.format("%s: %s - %s%d face(s) protected%s, largest change %d of %d%s%s%s", TITLE, title,
                partial ? "PARTLY PROTECTED: " : "", o.faces, where, o.largestChange, o.maxValue, without, outside,
                partly));
        if (partial) {
            List<String> left = new ArrayList<>();
            if (o.outside > 0) {
                left.add(o.outside + " face(s) outside the selection were left as they were");
            }
            if (!o.slicesWithoutFaces.isEmpty()) {
                left.add("no face was found in slice(s) " + o.slicesWithoutFaces + ", which were left as they were");
            }
            warn("'" + result.getTitle() + "' is only partly protected: " + o.faces + " face(s) protected, but "
                    + String.join(", and ", left) + ". A face left as it was, or one the detector missed, is as "
                    + "recognisable as before; look at the image.");
        }
        IJ.showStatus(TITLE + ": " + o.faces + " face(s) protected" + (partial ? ", some left as they were" : "")
                + (o.cancelled ? " (cancelled)" : ""));
        return true;
    }

    private static ImagePlus result(ImagePlus source, Outcome o, String title, String status, boolean show) {
        ImagePlus result = new ImagePlus(title, o.stack);
        result.setCalibration(source.getCalibration());
        if (o.stack.getSize() == source.getStackSize() && source.isHyperStack()) {
            result.setDimensions(source.getNChannels(), source.getNSlices(), source.getNFrames());
            result.setOpenAsHyperStack(true);
            for (Roi roi : o.overlay.toArray()) {
                int[] czt = result.convertIndexToPosition(roi.getPosition());
                roi.setPosition(czt[0], czt[1], czt[2]);
            }
        }
        if (show && o.overlay.size() > 0) {
            result.setOverlay(o.overlay);
        }
        result.setProp("segue.status", status);
        result.setProp("segue.faces", o.faces);
        result.setProp(UNPROTECTED_FACES, o.outside);
        result.setProp(UNPROTECTED_SLICES, o.slicesWithoutFaces.size());
        return result;
    }

    private static void warn(String message) {
        if (Macro.getOptions() == null && !GraphicsEnvironment.isHeadless()) {
            IJ.showMessage(TITLE, message);
        }
    }

    /** The selection that limits protection: an area or points; none for lines or no selection. */
    static Roi selectionOf(ImagePlus image) {
        Roi roi = image.getRoi();
        return roi != null && (roi.isArea() || roi.getType() == Roi.POINT) ? roi : null;
    }

    /**
     * Whether a face is to be protected under the selection: an area holds the centre of the face's detected
     * box; a point lies on the detected box. No selection: every face.
     */
    static boolean inside(Roi selection, HostImage.Face face) {
        if (selection == null) {
            return true;
        }
        FaceBox d = face.detected();
        if (selection.getType() == Roi.POINT) {
            for (Point p : selection.getContainedPoints()) {
                if (d.contains(p.x, p.y)) {
                    return true;
                }
            }
            return false;
        }
        // the pixel test: Roi.containsPoint misjudges a rectangle made by a macro in ImageJ 1.54p
        return selection.contains(d.x() + d.width() / 2, d.y() + d.height() / 2);
    }

    static String protectedTitle(String title) {
        return suffixed(title, "-protected");
    }

    static String partlyProtectedTitle(String title) {
        return suffixed(title, "-partly-protected");
    }

    static String noFaceTitle(String title) {
        return suffixed(title, "-no-face");
    }

    private static String suffixed(String title, String suffix) {
        int dot = title.lastIndexOf('.');
        return dot > 0 ? title.substring(0, dot) + suffix + title.substring(dot) : title + suffix;
    }

    // ---------------------------------------------------------------- preview

    /**
     * The preview: the faces that would be protected (green) and those outside the selection (orange), drawn
     * on the source image while the dialog is open, found off the event thread; the source's own overlay is
     * put back when the dialog closes.
     */
    private static final class Preview implements DialogListener {
        private final ImagePlus image;
        private final GenericDialog gd;
        private final Overlay original;
        private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "Segue preview");
            t.setDaemon(true);
            return t;
        });
        private final AtomicInteger generation = new AtomicInteger();
        /** What the outlines on show were found for (model, selection, slice); null when none are shown. */
        private String shownFor;
        /** The image's orientation, read from its file once (off the event thread). */
        private volatile Integer orientation;

        Preview(ImagePlus image, GenericDialog gd) {
            this.image = image;
            this.gd = gd;
            this.original = image.getOverlay();
        }

        @Override
        public boolean dialogItemChanged(GenericDialog dialog, AWTEvent e) {
            if (e == null) { // the dialog is closing with OK; close() restores the overlay
                return true;
            }
            Choice apply = (Choice) gd.getChoices().get(0);
            Checkbox previewBox = gd.getPreviewCheckbox();
            if (previewBox == null || !previewBox.getState() || !CURRENT_IMAGE.equals(apply.getSelectedItem())) {
                generation.incrementAndGet();
                shownFor = null;
                image.setOverlay(original);
                return true;
            }
            @SuppressWarnings("unchecked")
            String model = ((List<TextField>) gd.getStringFields()).get(MODEL_FIELD).getText();
            Roi selection = selectionOf(image);
            String key = model + "|" + selection + "|" + image.getCurrentSlice();
            if (key.equals(shownFor)) {
                return true; // typing in another field changes nothing the preview shows
            }
            shownFor = key;
            int ticket = generation.incrementAndGet();
            ImageProcessor ip = image.getProcessor();
            IJ.showStatus(TITLE + ": finding faces...");
            worker.submit(() -> {
                try {
                    if (orientation == null) {
                        orientation = ShownOrientation.of(image);
                    }
                    Protector protector = SegueSession.protector(model);
                    List<HostImage.Face> faces = protector.findFaces(
                            new HostImage(ImagePlusPixels.toBufferedImage(ip), orientation), image.getTitle(),
                            ProtectionOptions.defaults());
                    if (ticket != generation.get()) {
                        return;
                    }
                    Overlay shown = original == null ? new Overlay() : original.duplicate();
                    int in = 0;
                    for (HostImage.Face f : faces) {
                        boolean chosen = inside(selection, f);
                        in += chosen ? 1 : 0;
                        shown.add(new DetectionRoi(f.region(), chosen ? "will be protected" : "left as it is",
                                chosen ? PROTECTED : LEFT_AS_IS));
                    }
                    image.setOverlay(shown);
                    IJ.showStatus(TITLE + ": " + (in == 0 ? "no face found" + (selection != null ? " inside the selection" : "")
                            + " - nothing would be protected" : in + " face(s) will be protected")
                            + (faces.size() > in ? ", " + (faces.size() - in) + " outside the selection" : ""));
                } catch (Exception ex) {
                    IJ.showStatus(TITLE + ": preview failed: " + ex.getMessage());
                }
            });
            return true;
        }

        void close() {
            generation.incrementAndGet();
            worker.shutdownNow();
            image.setOverlay(original);
        }
    }

    // ---------------------------------------------------------------- a folder

    /** Protects a folder tree; false when the fail policy stops the run (a photo without a face found). */
    private static boolean protectFolder(Protector protector, ProtectionOptions options, String input, String output,
                                         GroupRegistryFile registry) throws Exception {
        if (input.isBlank() || output.isBlank()) {
            IJ.error(TITLE, "Choose an input folder and an output folder.");
            return true;
        }
        Path out = Path.of(output);
        BatchRequest request = BatchRequest.into(out, Path.of(input));
        if (registry != null) {
            request = request.withGroupRegistry(registry.file(), registry.key());
        }
        Cancellation cancellation = new Cancellation();
        ImageJProgress progress = new ImageJProgress(TITLE, cancellation);
        BatchSummary s = protector.protect(request, options, progress, cancellation);
        progress.done();
        List<PhotoResult> withoutFaces = s.withoutFaces();
        long protectedPhotos = s.results().stream().filter(p -> p.status() == PhotoResult.Status.PROTECTED).count();
        IJ.log(String.format("%s: %d photo(s): %d protected (%d face(s)), %d without a face found, %d failed; "
                        + "%d file(s) written%s (%.1f s); report: %s", TITLE, s.photos(), protectedPhotos, s.faces(),
                withoutFaces.size(), s.failed().size(), s.written(),
                s.cancelled() ? ", stopped early: the photos not reached were not taken" : "", s.seconds(),
                request.reportFile()));
        for (PhotoResult p : withoutFaces) {
            IJ.log("  no face found (nothing protected; look at it): " + p.photo() + switch (options.noFace()) {
                case COPY -> " - copied unchanged";
                case SKIP -> " - not written";
                case FAIL -> "";
            });
        }
        for (PhotoResult f : s.failed()) {
            IJ.log("  failed: " + f.photo() + ": " + f.reason());
        }
        IJ.showStatus(TITLE + ": " + protectedPhotos + " photo(s) protected, " + withoutFaces.size()
                + " without a face found" + (s.cancelled() ? " (stopped early)" : ""));
        // under fail the engine reports a photo without a face as failed (not written) and goes on with the rest
        long noFace = s.failed().stream().filter(p -> NoFacePolicy.FAIL_REASON.equals(p.reason())).count();
        if (options.noFace() == NoFacePolicy.FAIL && noFace > 0) {
            IJ.error(TITLE, "No face was found in " + noFace + " photo(s) of the folder; they were not written "
                    + "(the no-face policy is fail). The log names them; the report is " + request.reportFile() + ".");
            return false;
        }
        return true;
    }
}
