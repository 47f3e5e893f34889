package org.segue.plugin.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.plugin.PlugIn;
import org.segue.engine.api.BatchRequest;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.Identities;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectedImage;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.Protector;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.api.Cancellation;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;

/**
 * Plugins > Face Protection > Protect Faces: protects the faces of the current image (the result is a
 * new image with the faces outlined as an overlay; the source is untouched) or of a folder tree (a
 * mirrored output folder with a report). Every option is a dialog field, so the macro recorder writes
 * a {@code run("Protect Faces", "...")} line that also runs headless.
 */
public class ProtectFacesCommand implements PlugIn {

    static final String TITLE = "Protect Faces";
    static final String CURRENT_IMAGE = "Current image";
    static final String FOLDER = "Folder";
    /** Largest strength, in 8-bit levels: the budget the generator was trained for (8/255). */
    static final int MAX_LEVELS = ProtectionOptions.MAX_LEVELS;

    @Override
    public void run(String arg) {
        boolean haveImage = WindowManager.getCurrentImage() != null;
        GenericDialog gd = new GenericDialog(TITLE);
        gd.addChoice("Apply to", new String[] {CURRENT_IMAGE, FOLDER}, haveImage ? CURRENT_IMAGE : FOLDER);
        Dialogs.addFolderField(gd, "Input folder", Prefs.get("segue.input", ""));
        Dialogs.addFolderField(gd, "Output folder", Prefs.get("segue.output", ""));
        Dialogs.addFileField(gd, "Model", SegueSession.lastModel());
        gd.addStringField("Person name", "", 24);
        gd.addNumericField("Strength", MAX_LEVELS, 0, 3, "levels of 255 (at most 8)");
        gd.addNumericField("JPEG quality", 95, 0, 3, "for JPEG output");
        gd.addCheckbox("Keep location", false);
        gd.addCheckbox("Show detections", true);
        gd.addMessage("Person name: every face is this person (a stable code from the name; the name is never\n"
                + "written). Leave it empty to group look-alike faces automatically. Model: 'default' is the\n"
                + "model shipped with Segue; trained models are in " + SegueSession.modelsFolder());
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String target = gd.getNextChoice();
        String input = gd.getNextString();
        String output = gd.getNextString();
        String modelChoice = gd.getNextString();
        String person = gd.getNextString().strip();
        int strength = (int) gd.getNextNumber();
        int quality = (int) gd.getNextNumber();
        boolean keepLocation = gd.getNextBoolean();
        boolean showDetections = gd.getNextBoolean();
        if (strength > MAX_LEVELS) {
            IJ.log(TITLE + ": strength " + strength + " is above the model's budget of " + MAX_LEVELS
                    + " levels; using " + MAX_LEVELS + ".");
            strength = MAX_LEVELS;
        }
        if (strength < 1 || quality < 1 || quality > 100) {
            IJ.error(TITLE, "Strength must be 1..8 levels and JPEG quality 1..100.");
            return;
        }
        try {
            Protector protector = SegueSession.protector(modelChoice);
            ProtectionOptions.Builder options = ProtectionOptions.builder().strengthLevels(strength)
                    .jpegQuality(quality).keepLocation(keepLocation);
            if (target.equals(FOLDER)) {
                Prefs.set("segue.input", input);
                Prefs.set("segue.output", output);
                // a folder holds several people: an unnamed batch is grouped by look-alike faces
                protectFolder(protector, options.identities(Identities.grouped(0)).person(person).build(), input,
                        output);
            } else {
                // one image, several unnamed faces: most likely several people, one code each
                protectImage(protector, options.identities(Identities.eachFaceApart()).person(person).build(),
                        showDetections);
            }
        } catch (Exception e) {
            IJ.error(TITLE, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }

    private static void protectImage(Protector protector, ProtectionOptions options, boolean showDetections)
            throws Exception {
        ImagePlus source = WindowManager.getCurrentImage();
        if (source == null) {
            IJ.error(TITLE, "There is no image open. Open a photo, or choose 'Apply to: Folder'.");
            return;
        }
        ProtectedImage done = protector.protectImage(ImagePlusPixels.toBufferedImage(source.getProcessor()),
                source.getTitle(), options);
        ImagePlus result = new ImagePlus(protectedTitle(source.getTitle()),
                ImagePlusPixels.toProcessor(done.image(), source.getProcessor()));
        result.setCalibration(source.getCalibration());
        if (showDetections) {
            result.setOverlay(outline(done.result().faces()));
        }
        result.show();
        IJ.log(String.format("%s: %s - %d face(s) protected, largest change %d of %d", TITLE, source.getTitle(),
                done.result().faces().size(), done.result().maxChange(), done.result().maxValue()));
    }

    static String protectedTitle(String title) {
        int dot = title.lastIndexOf('.');
        return dot > 0 ? title.substring(0, dot) + "-protected" + title.substring(dot) : title + "-protected";
    }

    /** The protected regions as named rectangles, the detector's boxes inside them. */
    static Overlay outline(List<FaceBox> faces) {
        Overlay overlay = new Overlay();
        for (int i = 0; i < faces.size(); i++) {
            FaceBox r = faces.get(i);
            Roi roi = new Roi(r.x(), r.y(), r.width(), r.height());
            roi.setName("face " + i);
            roi.setStrokeColor(Color.GREEN);
            roi.setStrokeWidth(Math.max(2, r.width() / 100));
            overlay.add(roi);
        }
        return overlay;
    }

    private static void protectFolder(Protector protector, ProtectionOptions options, String input, String output)
            throws Exception {
        if (input.isBlank() || output.isBlank()) {
            IJ.error(TITLE, "Choose an input folder and an output folder.");
            return;
        }
        Path out = Path.of(output);
        BatchRequest request = BatchRequest.into(out, Path.of(input));
        Cancellation cancellation = new Cancellation();
        ImageJProgress progress = new ImageJProgress(TITLE, cancellation);
        BatchSummary s = protector.protect(request, options, progress, cancellation);
        progress.done();
        IJ.log(String.format("%s: %d photo(s), %d face(s), %d written, %d failed%s (%.1f s); report: %s", TITLE,
                s.photos(), s.faces(), s.written(), s.failed().size(), s.cancelled() ? ", cancelled" : "",
                s.seconds(), request.reportFile()));
        for (PhotoResult f : s.failed()) {
            IJ.log("  failed: " + f.photo() + ": " + f.reason());
        }
        IJ.showStatus(TITLE + ": " + s.written() + " photo(s) protected");
    }
}
