package org.segue.plugin.imagej;

import ij.IJ;
import ij.Macro;
import ij.Prefs;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.Segue;
import org.segue.engine.api.TrainingOutcome;
import org.segue.engine.api.TrainingRequest;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;

/**
 * Plugins > Face Protection > Train Face Protector: trains a generator on a folder of
 * {@code <person>/<face images>} (or unlabelled faces with pseudo labels) into a model file, which
 * Protect Faces then offers. Interactive runs train in the background with a progress bar and the
 * time left (Escape cancels; running the same job again resumes from its checkpoint); macro and
 * headless runs block until the model is written.
 */
public class TrainFaceProtectorCommand implements PlugIn {

    static final String TITLE = "Train Face Protector";

    @Override
    public void run(String arg) {
        GenericDialog gd = new GenericDialog(TITLE);
        Dialogs.addFolderField(gd, "Dataset folder", Prefs.get("segue.dataset", ""));
        gd.addChoice("Recipe", TrainingRequest.RECIPES.toArray(new String[0]), "shipped");
        gd.addNumericField("Epochs", 30, 0);
        gd.addNumericField("Input size", 112, 0, 4, "pixels (multiple of 4; of 8 for shipped)");
        gd.addCheckbox("Pseudo labels", false);
        gd.addNumericField("Identities", 10, 0, 5, "clusters, with pseudo labels");
        gd.addChoice("Device", new String[] {"auto", "cpu", "gpu"}, "auto");
        gd.addStringField("Overrides", "", 30);
        Dialogs.addFileField(gd, "Output model", SegueSession.modelsFolder().resolve("trained.segue").toString());
        gd.addMessage("shipped: the default model's recipe, codes from the person folders' names, in three stages: Epochs\n"
                + "(30) from fresh weights, about 40 s each for 1,300 faces on 2 cores, then a fixed 12-epoch fine-tune\n"
                + "against adversarially trained attackers, about 150 s each, and a fixed 15-epoch one inside the face\n"
                + "oval, about 40 s each. cpu: 112 px, PGD-1, resize/JPEG distortions.\n"
                + "paper: the authors' 224 px recipe, for GPU hosts (Fiji with the CUDA natives).\n"
                + "Overrides: more settings as name=value pairs, named as by 'segue train' (e.g. pgd-radius=4 batch-size=8).");
        gd.addHelp("<html><h2>Train Face Protector</h2><p>Trains a model on a folder of <tt>&lt;person&gt;/&lt;face "
                + "images&gt;</tt> (<tt>dataset</tt>) into a <tt>.segue</tt> file (<tt>output</tt>), which Protect Faces "
                + "then offers first. Recipes: <tt>shipped</tt> (the default model's), <tt>cpu</tt>, <tt>paper</tt> (for a "
                + "GPU). Escape cancels; running the same job again resumes from its checkpoint. More: "
                + "<tt>docs/fiji.md</tt> in Segue's sources.</p></html>");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return;
        }
        Path dataset = Path.of(gd.getNextString());
        String recipe = gd.getNextChoice();
        int epochs = (int) gd.getNextNumber();
        int inputSize = (int) gd.getNextNumber();
        boolean pseudo = gd.getNextBoolean();
        int identities = (int) gd.getNextNumber();
        String device = gd.getNextChoice();
        String overrides = gd.getNextString();
        Path output = Path.of(gd.getNextString());
        Prefs.set("segue.dataset", dataset.toString());
        TrainingRequest request;
        try {
            request = TrainingRequest.builder(dataset, output).recipe(recipe).epochs(epochs).inputSize(inputSize)
                    .pseudoLabels(pseudo ? identities : null).device(device).overrides(overrides).build();
            Segue.validate(request);
        } catch (RuntimeException e) {
            IJ.error(TITLE, e.getMessage());
            return;
        }
        boolean blocking = Macro.getOptions() != null || GraphicsEnvironment.isHeadless() || "blocking".equals(arg);
        if (blocking) {
            train(request);
        } else {
            Thread worker = new Thread(() -> train(request), "Segue training");
            worker.setDaemon(true);
            worker.start();
        }
    }

    private static void train(TrainingRequest request) {
        Cancellation cancellation = new Cancellation();
        ImageJProgress progress = new ImageJProgress(TITLE, cancellation);
        try {
            TrainingOutcome outcome = Segue.train(request, progress, cancellation, line -> IJ.log(TITLE + ": " + line));
            progress.done();
            if (outcome.model() != null) {
                SegueSession.rememberModel(outcome.model());
                IJ.showStatus(TITLE + ": model written; Protect Faces now offers it");
            } else {
                IJ.showStatus(TITLE + ": cancelled; run it again to resume");
            }
        } catch (Exception e) {
            IJ.error(TITLE, e.getMessage() != null ? e.getMessage() : e.toString());
        }
    }
}
