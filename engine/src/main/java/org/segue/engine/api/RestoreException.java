package org.segue.engine.api;

import java.io.IOException;

/**
 * Why a protected photo cannot be restored, or cannot be protected erasably; nothing is written then. The
 * message names the reason in words a user can act on and never holds the key, the passphrase or any sample.
 */
public class RestoreException extends IOException {

    /** The kinds of refusal. */
    public enum Reason {
        /** The photo carries no erasure payload (never protected erasably, or re-saved by other software). */
        NO_PAYLOAD,
        /** The key (or passphrase) is not the one the photo was protected with. */
        WRONG_KEY,
        /** The payload was changed after protection. */
        TAMPERED,
        /** The payload ends early. */
        TRUNCATED,
        /** The payload was made for another photo, or the photo's pixels were changed since. */
        OTHER_PHOTO,
        /** The photo already carries a payload: protecting it again erasably is refused. */
        PROTECTED_TWICE,
        /** A payload of a format version this engine does not know. */
        UNKNOWN_VERSION,
        /** The photo's format cannot carry a payload this way (e.g. BMP given as a stream). */
        UNSUPPORTED
    }

    private final Reason reason;

    public RestoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
