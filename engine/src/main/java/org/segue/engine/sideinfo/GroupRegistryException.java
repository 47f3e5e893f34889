package org.segue.engine.sideinfo;

import java.io.IOException;

/**
 * Why a group registry cannot be read; nothing is changed then. The message names the file and the reason in
 * words a user can act on, never a key, a passphrase or anything the registry holds.
 */
public final class GroupRegistryException extends IOException {

    /** The kinds of refusal. */
    public enum Reason {
        /** The file is no Segue group registry (or one of a format version this engine does not know). */
        NOT_A_REGISTRY,
        /** The key or passphrase is not the one the registry was written with. */
        WRONG_KEY,
        /** The file was changed or cut short after it was written. */
        DAMAGED,
        /** The registry holds templates of another face embedder, which cannot be compared with this one's. */
        OTHER_EMBEDDER
    }

    private final Reason reason;

    public GroupRegistryException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
