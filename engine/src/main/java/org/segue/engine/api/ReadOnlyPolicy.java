package org.segue.engine.api;

/**
 * What protecting in place does with an original that is read-only (no write permission for its owner, or none
 * for this user). The file system would let the product replace it anyway (the replacement is a new file renamed
 * over the old one, which needs only the folder's permission, and the superuser may write anything), so the
 * product asks first.
 */
public enum ReadOnlyPolicy {
    /** Leave a read-only original as it is and report it as failed, with the reason (the default). */
    KEEP,
    /** Replace it like any other original, keeping its read-only permissions: the user asked for it. */
    REPLACE;

    /** The reason a read-only original fails under {@link #KEEP}. */
    public static final String KEEP_REASON = "read-only file, left as it is (replacing it must be asked for)";
}
