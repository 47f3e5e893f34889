package org.segue.plugin.imagej;

import ij.IJ;
import ij.Prefs;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.photo.FaceDetector;
import org.segue.engine.photo.OpenCvFaceDetector;
import org.segue.engine.internal.DjlRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Face Protection commands share inside one ImageJ session: the loaded model (loading one
 * starts the PyTorch engine, about a second, so it is kept until another is chosen), the face
 * detector, and where trained models live. Host glue only; all protection logic is in the engine.
 */
final class SegueSession {

    /** The value of the Model field that selects the model shipped inside the engine. */
    static final String DEFAULT_MODEL = "default";
    private static final String LAST_MODEL_PREF = "segue.model";

    private static SegueModel model;
    private static String modelKey;
    private static FaceDetector detector;

    private SegueSession() {}

    /** The model for a Model field value: "default" or a .segue file path. */
    static synchronized SegueModel model(String choice) throws IOException {
        String c = choice == null || choice.isBlank() ? DEFAULT_MODEL : choice.strip();
        String key;
        if (c.equals(DEFAULT_MODEL)) {
            key = DEFAULT_MODEL;
        } else {
            Path file = Path.of(c);
            if (!Files.isRegularFile(file)) {
                throw new IOException("model file not found: " + c);
            }
            key = file.toAbsolutePath().normalize() + "@" + Files.getLastModifiedTime(file).toMillis();
        }
        if (!key.equals(modelKey)) {
            SegueModel loaded = c.equals(DEFAULT_MODEL) ? SegueModel.loadDefault(DjlRuntime.defaultDevice())
                    : SegueModel.load(Path.of(c));
            if (model != null) {
                model.close();
            }
            model = loaded;
            modelKey = key;
        }
        return model;
    }

    static synchronized FaceDetector detector() throws IOException {
        if (detector == null) {
            detector = new OpenCvFaceDetector();
        }
        return detector;
    }

    /** Where trained models go by default: {@code <ImageJ>/models/segue}, else ~/.segue/models. */
    static Path modelsFolder() {
        String imagej = IJ.getDirectory("imagej");
        Path base = imagej != null ? Path.of(imagej) : Path.of(System.getProperty("user.home"), ".segue");
        return base.resolve("models").resolve("segue");
    }

    /** The model the Protect dialog offers first: the one trained last, else the shipped default. */
    static String lastModel() {
        String last = Prefs.get(LAST_MODEL_PREF, DEFAULT_MODEL);
        return last.equals(DEFAULT_MODEL) || Files.isRegularFile(Path.of(last)) ? last : DEFAULT_MODEL;
    }

    static void rememberModel(Path file) {
        Prefs.set(LAST_MODEL_PREF, file.toAbsolutePath().toString());
    }
}
