package org.segue.engine.api;

import java.nio.file.Path;

/**
 * Which generator protects: the model shipped inside the engine, or a model file (a {@code .segue}
 * written by training).
 *
 * @param file the model file, or null for the shipped model
 */
public record ModelSource(Path file) {

    /** What hosts write for the shipped model (a Fiji field, a configuration value). */
    public static final String SHIPPED_NAME = "default";

    /** The model shipped inside the engine. */
    public static ModelSource shipped() {
        return new ModelSource(null);
    }

    public static ModelSource file(Path file) {
        if (file == null) {
            throw new IllegalArgumentException("a model file is needed (or ModelSource.shipped())");
        }
        return new ModelSource(file);
    }

    /** A host's text: blank or "default" for the shipped model, else a model file's path. */
    public static ModelSource parse(String choice) {
        String c = choice == null ? "" : choice.strip();
        return c.isEmpty() || c.equals(SHIPPED_NAME) ? shipped() : file(Path.of(c));
    }

    public boolean isShipped() {
        return file == null;
    }

    /** "default" or the file's path: how results name the model. */
    @Override
    public String toString() {
        return isShipped() ? SHIPPED_NAME : file.toString();
    }
}
