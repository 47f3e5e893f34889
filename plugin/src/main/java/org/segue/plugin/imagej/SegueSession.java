package org.segue.plugin.imagej;

import ij.IJ;
import ij.Prefs;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.Protector;
import org.segue.engine.api.Segue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Face Protection commands share inside one ImageJ session: the opened model (opening one
 * starts the PyTorch engine, about a second, so it is kept until another is chosen) and where trained
 * models live. Host glue only; all protection logic is behind the engine's api.
 */
final class SegueSession {

    /** The value of the Model field that selects the model shipped inside the engine. */
    static final String DEFAULT_MODEL = ModelSource.SHIPPED_NAME;
    private static final String LAST_MODEL_PREF = "segue.model";

    private static Protector protector;
    private static String modelKey;

    private SegueSession() {}

    /** The opened model for a Model field value: "default" or a .segue file path. */
    static synchronized Protector protector(String choice) throws IOException {
        ModelSource source = ModelSource.parse(choice);
        String key = source.isShipped() ? DEFAULT_MODEL : source.file().toAbsolutePath().normalize() + "@"
                + (Files.isRegularFile(source.file()) ? Files.getLastModifiedTime(source.file()).toMillis() : 0);
        if (!key.equals(modelKey)) {
            Protector opened = Segue.open(source, "auto");
            if (protector != null) {
                protector.close();
            }
            protector = opened;
            modelKey = key;
        }
        return protector;
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
