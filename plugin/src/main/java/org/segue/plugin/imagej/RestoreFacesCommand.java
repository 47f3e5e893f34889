package org.segue.plugin.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.PhotoFiles;
import org.segue.engine.api.RestoreResult;
import org.segue.engine.api.Restorer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Plugins > Face Protection > Restore Faces: gives back the originals of photos protected erasably (Protect Faces
 * with a key file), with the same key file. A file or a folder tree (mirrored) into an output folder; PNG, TIFF
 * and BMP come back bit for bit, a JPEG as a PNG whose face regions are the original's decoded samples. The
 * protected photos are not changed. A photo that cannot be restored (no payload, another key, payload changed,
 * cut short or made for another photo) is named in the log with its reason and nothing is written for it.
 * Every option is a dialog field (macro keys {@code input}, {@code key}, {@code output}): the recorder writes the
 * key file's path, never the key.
 */
public class RestoreFacesCommand implements PlugIn {

    static final String TITLE = "Restore Faces";

    @Override
    public void run(String arg) {
        GenericDialog gd = new GenericDialog(TITLE);
        Dialogs.addFileField(gd, "Input (file or folder)", Prefs.get("segue.restore.input", ""));
        Dialogs.addFileField(gd, "Key file", Prefs.get("segue.restore.key", ""));
        Dialogs.addFolderField(gd, "Output folder", Prefs.get("segue.restore.output", ""));
        gd.addMessage("Restores photos protected erasably (Protect Faces with a key file) with the same key file.\n"
                + "A folder is walked with its subfolders and mirrored into the output folder. PNG, TIFF and BMP\n"
                + "come back bit for bit; a JPEG comes back as a PNG (photo.jpg as photo.png) whose face regions\n"
                + "are the original's samples. The protected photos stay as they are.");
        gd.addHelp(help());
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        String input = gd.getNextString().strip();
        String keyFile = gd.getNextString().strip();
        String output = gd.getNextString().strip();
        if (input.isEmpty() || keyFile.isEmpty() || output.isEmpty()) {
            IJ.error(TITLE, "Choose the protected photo or folder, the key file and an output folder.");
            return;
        }
        Prefs.set("segue.restore.input", input);
        Prefs.set("segue.restore.key", keyFile);
        Prefs.set("segue.restore.output", output);
        boolean failed;
        try {
            // read before anything is written: a wrong key file writes nothing
            ErasureKey key = ProtectFacesCommand.readKey(keyFile);
            Path in = Path.of(input);
            Path out = Path.of(output);
            if (Files.exists(out) && !Files.isDirectory(out)) {
                IJ.error(TITLE, "The output must be a folder; " + out + " is a file.");
                return;
            }
            if (Files.isRegularFile(in)) {
                failed = !restoreFile(in, out, key);
            } else if (Files.isDirectory(in)) {
                restoreFolder(in, out, key);
                return;
            } else {
                IJ.error(TITLE, "No such file or folder: " + in);
                return;
            }
        } catch (IOException e) {
            IJ.error(TITLE, e.getMessage() != null ? e.getMessage() : e.toString());
            failed = true;
        }
        if (failed && IJ.isMacro()) {
            // a macro must not go on as if the photo were restored (ImageJ's quiet abort)
            throw new RuntimeException(Macro.MACRO_CANCELED);
        }
    }

    /** Restores one photo into the output folder and opens it; false (after saying why) when it is refused. */
    private static boolean restoreFile(Path photo, Path out, ErasureKey key) throws IOException {
        Path target = out.resolve(Restorer.restoredFileName(photo));
        try {
            Files.createDirectories(out);
            RestoreResult r = Restorer.restore(photo, target, key);
            IJ.log(line(photo.getFileName().toString(), r, target));
            ImagePlus restored = IJ.openImage(target.toString());
            if (restored != null) {
                restored.setProp("segue.status", "restored");
                restored.setProp("segue.regions", r.regions().size());
                restored.setProp("segue.file", target.toString());
                restored.show();
            }
            IJ.showStatus(TITLE + ": " + photo.getFileName() + " restored into " + target);
            return true;
        } catch (IOException e) {
            String m = reason(photo, e);
            IJ.log(TITLE + ": " + photo.getFileName() + " - NOT RESTORED: " + m);
            IJ.error(TITLE, photo.getFileName() + " was not restored: " + m);
            return false;
        }
    }

    /** Restores every photo under {@code in} into a mirrored tree under {@code out}; one refusal never stops the rest. */
    private static void restoreFolder(Path in, Path out, ErasureKey key) throws IOException {
        Path root = in.toAbsolutePath().normalize();
        List<Path> photos;
        try (Stream<Path> files = Files.walk(root)) {
            photos = files.filter(Files::isRegularFile).filter(p -> PhotoFiles.isPhotoName(p.getFileName().toString()))
                    .filter(p -> !p.startsWith(out.toAbsolutePath().normalize())).sorted().toList();
        }
        Set<Path> taken = new HashSet<>();
        List<String> failed = new ArrayList<>();
        int restored = 0;
        IJ.resetEscape();
        boolean cancelled = false;
        for (int i = 0; i < photos.size(); i++) {
            if (IJ.escapePressed()) {
                cancelled = true;
                break;
            }
            IJ.showProgress(i, photos.size());
            IJ.showStatus(TITLE + ": " + (i + 1) + "/" + photos.size() + " (Esc stops)");
            Path photo = photos.get(i);
            Path relative = root.relativize(photo);
            try {
                Path target = out.resolve(relative.toString()).resolveSibling(Restorer.restoredFileName(photo));
                if (!taken.add(target.toAbsolutePath().normalize())) {
                    // a.jpg restores as a.png, which a.png of the same folder took: keep both
                    target = out.resolve(relative.toString()).resolveSibling(relative.getFileName() + ".png");
                    taken.add(target.toAbsolutePath().normalize());
                }
                Files.createDirectories(target.getParent());
                RestoreResult r = Restorer.restore(photo, target, key);
                IJ.log(line(relative.toString(), r, target));
                restored++;
            } catch (IOException e) {
                failed.add(relative + ": " + reason(photo, e));
            }
        }
        IJ.showProgress(1.0);
        IJ.log(String.format("%s: %d photo(s): %d restored, %d not restored%s; output: %s", TITLE, photos.size(),
                restored, failed.size(), cancelled ? ", stopped early (Escape): the photos not reached were not taken"
                        : "", out));
        for (String f : failed) {
            IJ.log("  not restored: " + f);
        }
        IJ.showStatus(TITLE + ": " + restored + " photo(s) restored, " + failed.size() + " not restored"
                + (cancelled ? " (stopped early)" : ""));
    }

    private static String line(String name, RestoreResult r, Path target) {
        return TITLE + ": " + name + " - restored " + r.regions().size() + " region(s) into " + target
                + (r.wholeImageExact() ? " (the original, bit for bit)"
                : " (" + r.outputFormat() + ", lossless: the regions are the original's samples, the rest the "
                        + "protected " + r.format() + "'s)");
    }

    /** The refusal's reason without the photo's name repeated in front. */
    private static String reason(Path photo, IOException e) {
        String m = String.valueOf(e.getMessage());
        String prefix = photo.getFileName() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    static String help() {
        return "<html><h2>Restore Faces</h2><p>Gives back the original of photos protected erasably (Protect Faces "
                + "with a <b>key file</b>), with the same key file.</p><ul>"
                + "<li><b>Input</b> (<tt>input</tt>): a protected photo, or a folder walked with its subfolders.</li>"
                + "<li><b>Key file</b> (<tt>key</tt>): the key file made by <tt>segue keygen</tt> the photos were "
                + "protected with. The macro recorder writes its path, never the key.</li>"
                + "<li><b>Output folder</b> (<tt>output</tt>): where restored photos go (a folder is mirrored). PNG, "
                + "TIFF and BMP come back bit for bit; a JPEG comes back as a PNG (photo.jpg as photo.png) whose face "
                + "regions are the original's samples. A single photo opens when restored.</li></ul>"
                + "<p>A photo without a restoration payload (never protected erasably, or re-saved by other "
                + "software), protected under another key, or whose payload was changed, cut short or made for "
                + "another photo is not restored: the log says why and nothing is written for it; a single photo "
                + "refused stops a macro. More: <tt>docs/fiji.md</tt> in Segue's sources.</p></html>";
    }
}
