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
 *
 * <p>With an erasure key file configured ({@code erasure.key.file}, made by {@code segue keygen}), protection is
 * erasable: each protected photo carries its original face samples, encrypted under the key (inside the file; a
 * BMP in a sidecar {@code <photo>.segue-restore}, so a BMP is protected erasably by path only), and
 * {@link #restore} gives the original back with the same key.
 *
 * <p>While its configuration is refused (a missing or damaged key file, a strength above the model's budget, an
 * unknown detector) no photo is protected under other settings: every call throws a
 * {@link ProtectorUnavailableException} saying why.
 */
public interface FaceProtector {

    /** The configuration PID. */
    String PID = "org.segue.protector";

    /** Reads a photo from {@code in} and writes its protected version (same format) to {@code out}. */
    ProtectionOutcome protect(InputStream in, String name, OutputStream out) throws IOException;

    /** Protects {@code photo} into {@code output} (written atomically; the original is never changed). */
    ProtectionOutcome protect(Path photo, Path output) throws IOException;

    /**
     * Restores a photo protected erasably under the configured key into {@code output} (written atomically; a
     * JPEG is restored as PNG so the restored samples stay exact). The protected photo is not changed.
     *
     * @throws IOException when no erasure key is configured, or for a refusal (the photo carries no payload,
     *                     another key, a changed, cut-short or foreign payload), the message naming the reason;
     *                     nothing is written then
     */
    RestoreOutcome restore(Path protectedPhoto, Path output) throws IOException;

    /**
     * As {@link #restore(Path, Path)}, from a stream to a stream (the payload inside the file: a BMP, whose
     * payload is a sidecar file, is refused here).
     */
    RestoreOutcome restore(InputStream in, String name, OutputStream out) throws IOException;

    /**
     * Checks whether protection holds on a labelled folder of {@code <person>/<face images>} (a few people, ten or
     * more faces each): a pretrained face recogniser and networks trained from scratch try to recognise held-out
     * faces after seeing the others clean and protected. Takes minutes; nothing is written.
     *
     * @throws IOException naming the reason when the folder cannot be checked (fewer than two people, too few faces)
     */
    CheckOutcome check(Path labelledFolder) throws IOException;
}
