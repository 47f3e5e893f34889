package org.segue.plugin.imagej;

import ij.IJ;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import org.segue.engine.api.CheckRequest;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.api.CheckResult;
import org.segue.engine.api.Cancellation;

import java.nio.file.Path;

/**
 * Plugins > Face Protection > Check Protection: on a small labelled folder of faces, trains one
 * quick attacker on clean faces and one on protected faces, and reports how well each recognises
 * held-out clean faces. Protection holds when the protected attacker is near chance.
 */
public class CheckProtectionCommand implements PlugIn {

    static final String TITLE = "Check Protection";

    @Override
    public void run(String arg) {
        GenericDialog gd = new GenericDialog(TITLE);
        Dialogs.addFolderField(gd, "Labelled folder", Prefs.get("segue.check", ""));
        Dialogs.addFileField(gd, "Model", SegueSession.lastModel());
        gd.addNumericField("Epochs", 5, 0);
        gd.addNumericField("Input size", 64, 0, 4, "pixels");
        gd.addNumericField("Test fraction", 0.3, 2);
        gd.addStringField("Strength", StrengthPreset.DEFAULT.label(), 6);
        gd.addCheckbox("Conceal heads", false);
        gd.addMessage("The folder holds <person>/<face images>. A pretrained face recogniser enrols the training\n"
                + "faces (clean, then protected) and identifies the held-out faces; two ResNet18 attackers are\n"
                + "trained from scratch (on clean and on protected faces) and tested on the held-out clean faces.");
        gd.addHelp("<html><h2>Check Protection</h2><p>Does protection work on <i>your</i> faces? On a small folder of "
                + "<tt>&lt;person&gt;/&lt;face images&gt;</tt> (<tt>labelled</tt>) it holds out a <tt>test</tt> fraction "
                + "of each person's faces. A pretrained face recogniser enrols the rest, clean and protected (at <tt>strength</tt>: "
                + "low, medium, high or 1..8 levels, as in Protect Faces; heads concealed too where <tt>conceal</tt> is ticked), "
                + "and identifies the "
                + "held-out faces; one attacker is trained on the clean rest and one on the protected rest. Every "
                + "accuracy on the held-out faces, with chance, goes to the Results table. Protection holds when the "
                + "protected-trained attacker is near chance. More: <tt>docs/fiji.md</tt> in Segue's sources.</p></html>");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        Path folder = Path.of(gd.getNextString());
        String model = gd.getNextString();
        int epochs = (int) gd.getNextNumber();
        int size = (int) gd.getNextNumber();
        double testFraction = gd.getNextNumber();
        int strength = ProtectFacesCommand.strengthLevels(gd.getNextString());
        boolean concealHeads = gd.getNextBoolean();
        Prefs.set("segue.check", folder.toString());
        try {
            Cancellation cancellation = new Cancellation();
            ImageJProgress progress = new ImageJProgress(TITLE, cancellation);
            CheckResult r = SegueSession.protector(model).check(
                    new CheckRequest(folder, epochs, size, testFraction, 0, strength).withConcealedHeads(concealHeads),
                    progress, cancellation);
            progress.done();
            if (r.cancelled()) {
                IJ.showStatus(TITLE + ": cancelled");
                return;
            }
            // one row in the standard Results table, where macros read it with getResult()
            ResultsTable table = ResultsTable.getResultsTable();
            table.incrementCounter();
            table.addValue("identities", r.identities());
            table.addValue("train faces", r.trainFaces());
            table.addValue("test faces", r.testFaces());
            table.addValue("chance %", 100 * r.chance());
            table.addValue("clean-trained accuracy %", 100 * r.cleanAccuracy());
            table.addValue("protected-trained accuracy %", 100 * r.protectedAccuracy());
            CheckResult.Recognition rec = r.recognition();
            if (rec != null) {
                table.addValue("recogniser, clean gallery rank-1 %", 100 * rec.cleanGalleryRank1());
                table.addValue("recogniser, protected gallery rank-1 %", 100 * rec.protectedGalleryRank1());
                table.addValue("recogniser, protected probes rank-1 %", 100 * rec.protectedProbesRank1());
                table.addValue("recogniser, one person protected rank-1 %", 100 * rec.protectedAloneRank1());
                table.addValue("recogniser, protected clustering %", 100 * rec.protectedClustering());
                table.addValue("recogniser, embedding similarity", rec.embeddingSimilarity());
            }
            table.show("Results");
            IJ.log(String.format("%s: an attacker trained on clean faces recognises %.1f%% of the held-out faces; "
                    + "trained on protected faces, %.1f%% (chance %.1f%%; %d identities, %.0f s)", TITLE,
                    100 * r.cleanAccuracy(), 100 * r.protectedAccuracy(), 100 * r.chance(), r.identities(), r.seconds()));
            if (rec != null) {
                IJ.log(String.format("%s: a pretrained face recogniser identifies %.1f%% of the held-out faces from the "
                        + "clean training faces, %.1f%% from the protected ones, %.1f%% when only their own person's "
                        + "are protected", TITLE, 100 * rec.cleanGalleryRank1(), 100 * rec.protectedGalleryRank1(),
                        100 * rec.protectedAloneRank1()));
            }
        } catch (Exception e) {
            IJ.error(TITLE, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }
}
