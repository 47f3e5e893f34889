package org.segue.engine.photo;

import java.io.IOException;

/**
 * A photo the product cannot protect, with the reason in words a user can act on ("truncated JPEG",
 * "CMYK JPEG is not supported", "image of 100000x100000 pixels exceeds the limit..."). The original
 * is never touched when this is thrown.
 */
public class PhotoException extends IOException {

    private final String source;
    private final String reason;

    public PhotoException(String source, String reason) {
        this(source, reason, null);
    }

    public PhotoException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
        this.reason = reason;
    }

    /** The file or stream name the photo came from. */
    public String source() {
        return source;
    }

    /** Why it cannot be protected, without the source name. */
    public String reason() {
        return reason;
    }
}
