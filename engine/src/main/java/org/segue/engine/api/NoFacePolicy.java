package org.segue.engine.api;

/**
 * What becomes of a photo in which no face was found. Such a photo is never reported as protected: a face
 * the detector missed (tilted, small, in profile) stays as recognisable as it was, so every host names
 * these photos for a person to look at.
 */
public enum NoFacePolicy {
    /** Write it with its pixels unchanged and its metadata cleaned, reported as "no face found". */
    COPY,
    /** Write nothing for it, reported as "no face found". */
    SKIP,
    /** Write nothing for it, reported as failed: for pipelines that must not publish an unchecked photo. */
    FAIL;

    /** The policy a user names: copy, skip or fail (any case). */
    public static NoFacePolicy parse(String name) {
        for (NoFacePolicy p : values()) {
            if (p.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("the no-face policy must be copy, skip or fail, was '" + name + "'");
    }

    /** The reason a photo with no face fails under {@link #FAIL}. */
    public static final String FAIL_REASON = "no face found (the no-face policy is fail)";
}
