package org.segue.engine.generator;

import java.io.IOException;

/** A model file that is not one, is damaged, was tampered with, or belongs to another version. */
public final class ModelFormatException extends IOException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
