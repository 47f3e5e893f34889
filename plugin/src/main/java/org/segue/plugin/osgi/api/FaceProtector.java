package org.segue.plugin.osgi.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Protects the faces in photos: the service DAM systems call. Thread-safe; configured through
 * Configuration Admin (PID {@value #PID}: strength, model, detector, GPS, output quality, no-face policy).
 * A photo that cannot be protected fails with an {@link IOException} whose message names the reason, and
 * nothing is written for it. A photo in which no face is found is never reported as protected: its
 * outcome says {@link ProtectionOutcome#facesFound() facesFound() == false}, and the no-face policy decides
 * whether a copy with cleaned metadata is written ("copy", the default), nothing ("skip") or it fails with
 * an {@link IOException} ("fail").
 */
public interface FaceProtector {

    /** The configuration PID. */
    String PID = "org.segue.protector";

    /** Reads a photo from {@code in} and writes its protected version (same format) to {@code out}. */
    ProtectionOutcome protect(InputStream in, String name, OutputStream out) throws IOException;

    /** Protects {@code photo} into {@code output} (written atomically; the original is never changed). */
    ProtectionOutcome protect(Path photo, Path output) throws IOException;
}
