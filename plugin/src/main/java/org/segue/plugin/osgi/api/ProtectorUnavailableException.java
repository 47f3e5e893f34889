package org.segue.plugin.osgi.api;

import java.io.IOException;

/**
 * The face protector cannot serve at all just now: its configuration was refused (a bad erasure key file,
 * strength or detector) or it is stopping. Nothing is wrong with the photo: a caller keeps it and tries again
 * once the configuration is put right, rather than setting it aside as a failed photo.
 */
public class ProtectorUnavailableException extends IOException {

    public ProtectorUnavailableException(String message) {
        super(message);
    }
}
