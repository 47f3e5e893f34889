package org.segue.plugin.imagej;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.plugin.frame.Recorder;

import java.awt.Choice;
import java.awt.Dialog;
import java.awt.EventQueue;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.ActionEvent;
import java.awt.event.ItemEvent;
import java.awt.event.ItemListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs Protect Faces the way a person does, on a screen (RecorderIT starts it in a JVM of its own on an Xvfb
 * display): ImageJ's macro recorder open, an image open, the dialog filled in and OK pressed. Writes what the
 * dialog showed in each mode and what the recorder wrote.
 */
public final class RecorderDriver {

    private RecorderDriver() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        new ij.ImageJ(ij.ImageJ.NO_SHOW); // messages become dialogs, as in Fiji
        // folders remembered from an earlier run, named after a person: they must not be recorded either
        Prefs.set("segue.input", "/photos/Ada Lovelace/in");
        Prefs.set("segue.output", "/photos/Ada Lovelace/out");
        // with a photo of a face (args[1]) the preview outlines it and the run protects it; else a face-less ramp
        ImagePlus image = args.length > 1 ? IJ.openImage(args[1]) : IJ.createImage("landscape.png", "RGB ramp", 160, 120, 1);
        image.show();
        Recorder recorder = new Recorder();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread command = new Thread(() -> {
            try {
                WindowManager.setTempCurrentImage(image);
                Recorder.setCommand(ProtectFacesCommand.TITLE);
                new ProtectFacesCommand().run("");
                Recorder.saveCommand();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "Protect Faces (driver)");
        command.start();
        GenericDialog gd = waitFor(GenericDialog.class, null);
        StringBuilder facts = new StringBuilder();
        EventQueue.invokeAndWait(() -> {
            @SuppressWarnings("unchecked")
            List<TextField> strings = gd.getStringFields();
            Choice apply = (Choice) gd.getChoices().get(0);
            facts.append("image mode shows folders=").append(strings.get(0).isShowing()).append('\n');
            choose(apply, ProtectFacesCommand.FOLDER);
            facts.append("folder mode shows folders=").append(strings.get(0).isShowing()).append('\n');
            facts.append("folder mode shows detections=")
                    .append(((java.awt.Checkbox) gd.getCheckboxes().get(1)).isShowing()).append('\n');
            choose(apply, ProtectFacesCommand.CURRENT_IMAGE);
            facts.append("image mode shows detections=")
                    .append(((java.awt.Checkbox) gd.getCheckboxes().get(1)).isShowing()).append('\n');
            facts.append("help button=").append(gd.getButtons().length > 2).append('\n');
            strings.get(3).setText("Ada Lovelace");
            java.awt.Checkbox preview = gd.getPreviewCheckbox();
            facts.append("preview box=").append(preview != null).append('\n');
            if (preview != null) {
                preview.setState(true);
                gd.itemStateChanged(new ItemEvent(preview, ItemEvent.ITEM_STATE_CHANGED, preview, ItemEvent.SELECTED));
            }
        });
        ij.gui.Overlay shown = null;
        for (int i = 0; i < 300 && shown == null; i++) { // the preview finds faces off the event thread
            Thread.sleep(100);
            shown = image.getOverlay();
        }
        facts.append("preview outlines=").append(shown == null ? "none" : String.valueOf(shown.size())).append('\n');
        EventQueue.invokeAndWait(() ->
                gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED, "OK")));
        // the run finds no face in a ramp and says so in a message: close it as a person would
        long deadline = System.currentTimeMillis() + 180_000;
        while (command.isAlive() && System.currentTimeMillis() < deadline) {
            for (Window w : Window.getWindows()) {
                if (w instanceof Dialog d && d.isShowing() && d != gd && d.getTitle().equals(ProtectFacesCommand.TITLE)) {
                    facts.append("message shown\n");
                    EventQueue.invokeLater(d::dispose);
                }
            }
            Thread.sleep(200);
        }
        facts.append("finished=").append(!command.isAlive()).append('\n');
        facts.append("source overlay after=").append(image.getOverlay() == null ? "none" : image.getOverlay().size())
                .append('\n');
        ImagePlus result = WindowManager.getCurrentImage();
        facts.append("result=").append(result == null ? "none" : result.getTitle()).append('\n');
        if (failure.get() != null) {
            facts.append("failure=").append(failure.get()).append('\n');
        }
        String recorded = recorder.getText();
        if (args.length > 1) {
            partlyProtected(image, gd, facts);
        }
        facts.append("recorded=").append(recorded);
        Files.writeString(out, facts.toString());
        System.exit(0);
    }

    /**
     * A stack of the face and a slice without one, protected by hand: the result is partly protected, and a message
     * (not only the log) says so; its text is written down.
     */
    private static void partlyProtected(ImagePlus face, GenericDialog first, StringBuilder facts) throws Exception {
        ij.ImageStack st = new ij.ImageStack(face.getWidth(), face.getHeight());
        st.addSlice("face", face.getProcessor().duplicate());
        ij.process.ImageProcessor ramp = face.getProcessor().createProcessor(face.getWidth(), face.getHeight());
        for (int y = 0; y < face.getHeight(); y++) {
            for (int x = 0; x < face.getWidth(); x++) {
                ramp.putPixel(x, y, (x % 256) << 16 | (y % 256) << 8 | 128);
            }
        }
        st.addSlice("no face", ramp);
        ImagePlus stack = new ImagePlus("stack", st);
        stack.show();
        Thread command = new Thread(() -> {
            WindowManager.setTempCurrentImage(stack);
            new ProtectFacesCommand().run("");
        }, "Protect Faces (stack)");
        command.start();
        GenericDialog gd = waitFor(GenericDialog.class, first);
        EventQueue.invokeAndWait(() ->
                gd.actionPerformed(new ActionEvent(gd.getButtons()[0], ActionEvent.ACTION_PERFORMED, "OK")));
        long deadline = System.currentTimeMillis() + 180_000;
        while (command.isAlive() && System.currentTimeMillis() < deadline) {
            for (Window w : Window.getWindows()) {
                if (w instanceof ij.gui.MessageDialog d && d.isShowing() && d.getTitle().equals(ProtectFacesCommand.TITLE)) {
                    java.lang.reflect.Field label = ij.gui.MessageDialog.class.getDeclaredField("label");
                    label.setAccessible(true);
                    java.lang.reflect.Field lines = ij.gui.MultiLineLabel.class.getDeclaredField("lines");
                    lines.setAccessible(true);
                    String[] text = (String[]) lines.get(label.get(d));
                    facts.append("stack message=").append(String.join(" ", text).replace('\n', ' ')).append('\n');
                    EventQueue.invokeLater(d::dispose);
                }
            }
            Thread.sleep(200);
        }
        ImagePlus result = WindowManager.getCurrentImage();
        facts.append("stack result=").append(result == null ? "none" : result.getTitle() + " "
                + result.getProp("segue.status") + " " + result.getProp("segue.unprotected.slices")).append('\n');
    }

    /** Selects a choice item as a click does, telling the dialog's listeners. */
    private static void choose(Choice choice, String item) {
        choice.select(item);
        ItemEvent e = new ItemEvent(choice, ItemEvent.ITEM_STATE_CHANGED, item, ItemEvent.SELECTED);
        for (ItemListener l : choice.getItemListeners()) {
            l.itemStateChanged(e);
        }
    }

    private static <T extends Window> T waitFor(Class<T> kind, Window not) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            for (Window w : Window.getWindows()) {
                if (kind.isInstance(w) && w != not && w.isShowing()) {
                    return kind.cast(w);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no " + kind.getSimpleName() + " appeared");
    }
}
