package org.segue.engine.api;

import org.segue.engine.check.ProtectionCheck;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.erasure.PhotoRestorer;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.photo.PhotoBatch;
import org.segue.engine.photo.PhotoProtector;
import org.segue.engine.sideinfo.FaceCodes;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An opened model with its face detector: protects photos (a file, a stream, an image in memory, a folder
 * tree) and checks a protection. Opened by {@link Segue#open}; thread-safe; close it to free the model's
 * native memory. Which options, identities and outputs apply is each call's {@link ProtectionOptions}.
 */
public final class Protector implements AutoCloseable {

    private final ModelSource source;
    private final SegueModel model;
    private final FaceDetector detector;
    // the embedder that groups faces: loaded when a batch first groups, on the CPU (a few faces per photo)
    private final PretrainedFaceFeatures.Lazy features = new PretrainedFaceFeatures.Lazy(ai.djl.Device.cpu());

    Protector(ModelSource source, SegueModel model, FaceDetector detector) {
        this.source = source;
        this.model = model;
        this.detector = detector;
    }

    /** Which model protects. */
    public ModelSource model() {
        return source;
    }

    /** The largest strength this model was trained for, in 8-bit levels (8 for the product's recipes). */
    public int maxStrengthLevels() {
        return (int) Math.floor(model.info().epsilon() * 255 + 1e-4);
    }

    /**
     * Refuses a strength above this model's budget, before any photo is touched: a model protects at most at the
     * strength it was trained for, and a request for more is a mistake to name, not to shrink quietly.
     *
     * @throws IllegalArgumentException naming the strength, the model and its budget
     */
    public void requireStrengthWithinBudget(int levels) {
        if (levels > maxStrengthLevels()) {
            throw new IllegalArgumentException("the strength asked for (" + StrengthPreset.describe(levels)
                    + ") exceeds the budget of " + source + " (" + maxStrengthLevels() + " levels of 255); ask for at most "
                    + maxStrengthLevels());
        }
    }

    /** The name of the detector that finds the faces. */
    public String detectorName() {
        return detector.name();
    }

    /**
     * Protects one photo file into {@code output} (same format, written atomically; the original is never
     * changed here).
     *
     * @throws IOException naming the reason when the photo cannot be protected; nothing is written then
     */
    public PhotoResult protect(Path photo, Path output, ProtectionOptions options) throws IOException {
        if (Files.exists(output) && Files.isSameFile(photo, output)) {
            throw new IOException(output + " is the original; protecting never overwrites an original");
        }
        String name = photo.getFileName().toString();
        if (options.isErasable() && Files.exists(PhotoRestorer.sidecarOf(photo))) {
            throw PhotoRestorer.protectedTwice(name);
        }
        Encoded encoded = protectEncoded(Files.readAllBytes(photo), name, options);
        if (encoded.written() != null) {
            PhotoBatch.writeWithSidecar(output, encoded.written());
        }
        return encoded.result();
    }

    /**
     * Reads a photo from {@code in} and writes its protected version (same format) to {@code out}; a photo
     * without a face is written as the {@link ProtectionOptions#noFace() no-face policy} says (under skip:
     * nothing is written, the result says {@link PhotoResult.Status#NO_FACE}).
     *
     * @throws IOException naming the reason (under the fail policy also for a photo without a face)
     */
    public PhotoResult protect(InputStream in, String name, OutputStream out, ProtectionOptions options)
            throws IOException {
        Encoded encoded = protectEncoded(in.readAllBytes(), name, options);
        if (encoded.written() != null && encoded.written().sidecar() != null) {
            throw new RestoreException(RestoreException.Reason.UNSUPPORTED, name + ": a BMP keeps its restoration "
                    + "payload in a sidecar file, which a stream cannot carry; protect it by its path");
        }
        if (encoded.written() != null) {
            out.write(encoded.written().output());
        }
        return encoded.result();
    }

    /** What to write (null: nothing, a photo without a face under the skip policy) and what to report. */
    private record Encoded(PhotoProtector.Result written, PhotoResult result) {}

    private Encoded protectEncoded(byte[] bytes, String name, ProtectionOptions options) throws IOException {
        PhotoProtector protector = protector(options);
        PhotoProtector.Analysed photo = protector.analyse(bytes, name);
        if (protector.leavesUnwritten(photo)) {
            return new Encoded(null, PhotoProtector.describeUnwritten(name, photo));
        }
        PhotoProtector.Result result = protector.protect(photo,
                FaceCodes.forPhoto(options.identities(), name, photo.faces().size()));
        return new Encoded(result, PhotoProtector.describe(name, result));
    }

    /**
     * Protects an upright image held in memory (8- or 16-bit grey or RGB, with or without alpha); the
     * result is a new image of the same kind, the given one is not changed.
     *
     * @throws IllegalArgumentException for erasable options (an image in memory has no file for the payload)
     */
    public ProtectedImage protectImage(BufferedImage upright, String title, ProtectionOptions options)
            throws IOException {
        refuseErasableInMemory(options);
        PhotoProtector protector = protector(options);
        PhotoProtector.Analysed photo = protector.analyse(upright, title);
        PhotoProtector.ProtectedPixels done = protector.protectPixels(photo,
                FaceCodes.forPhoto(options.identities(), title, photo.faces().size()));
        // an image in memory is the host's own: it decides what to do with one without faces (NO_FACE)
        PhotoResult result = new PhotoResult(title,
                photo.faces().isEmpty() ? PhotoResult.Status.NO_FACE : PhotoResult.Status.PROTECTED,
                photo.faces().stream().map(PhotoProtector.Face::region).toList(), List.of(), done.maxChange(),
                done.pixels().maxValue(), null, null);
        return new ProtectedImage(done.pixels().image(), result);
    }

    /**
     * Finds the faces of a host's image (detected in its upright view), in the host's grid: what
     * {@link #protectFaces} would protect, for a preview or for the host to choose among (a selection).
     */
    public List<HostImage.Face> findFaces(HostImage image, String title, ProtectionOptions options)
            throws IOException {
        PhotoProtector.Analysed photo = protector(options).analyse(image.pixels(), image.orientation(), title);
        return photo.faces().stream()
                .map(f -> new HostImage.Face(image.toHost(f.detected()), image.toHost(f.region()),
                        image.toHost(f.landmarks()))).toList();
    }

    /**
     * Protects the given faces of a host's image (found by {@link #findFaces} on the same pixels, all of them
     * or those the user chose); the result is a new image in the host's grid, the given one is not changed.
     * No face given: the pixels are copied unchanged and the result says {@link PhotoResult.Status#NO_FACE};
     * the host decides what to show, as the options' no-face policy says. The result's faces are the
     * protected regions in the host's grid.
     *
     * @throws IllegalArgumentException for a face that does not lie inside the image, or for erasable options
     *                                  (an image in memory has no file for the payload)
     */
    public ProtectedImage protectFaces(HostImage image, List<HostImage.Face> faces, String title,
                                       ProtectionOptions options) throws IOException {
        refuseErasableInMemory(options);
        int w = image.pixels().getWidth();
        int h = image.pixels().getHeight();
        List<PhotoProtector.Face> upright = new java.util.ArrayList<>();
        for (HostImage.Face f : faces) {
            for (FaceBox b : List.of(f.detected(), f.region())) {
                if (b.x() < 0 || b.y() < 0 || b.right() > w || b.bottom() > h) {
                    throw new IllegalArgumentException("face " + b + " lies outside the " + w + "x" + h + " image");
                }
            }
            upright.add(new PhotoProtector.Face(image.toUpright(f.detected()), image.toUpright(f.region()),
                    image.toUpright(f.landmarks())));
        }
        PhotoProtector protector = protector(options);
        PhotoProtector.Analysed photo = protector.withFaces(image.pixels(), image.orientation(), title, upright);
        PhotoProtector.ProtectedPixels done = protector.protectPixels(photo,
                FaceCodes.forPhoto(options.identities(), title, upright.size()));
        PhotoResult result = new PhotoResult(title,
                faces.isEmpty() ? PhotoResult.Status.NO_FACE : PhotoResult.Status.PROTECTED,
                faces.stream().map(HostImage.Face::region).toList(), List.of(), done.maxChange(),
                done.pixels().maxValue(), null, null);
        return new ProtectedImage(done.pixels().image(), result);
    }

    /**
     * Protects the photos of files and folder trees as the request says, one photo at a time: a photo that
     * fails is reported with its reason and the batch goes on.
     *
     * @throws IllegalArgumentException for a request that cannot run (an output folder inside an input)
     */
    public BatchSummary protect(BatchRequest request, ProtectionOptions options, ProgressListener progress,
                                Cancellation cancellation) throws IOException {
        return protect(request, options, progress, cancellation, ReadOnlyPolicy.KEEP);
    }

    /**
     * As {@link #protect(BatchRequest, ProtectionOptions, ProgressListener, Cancellation)}, saying what protecting in
     * place does with read-only originals (the other method keeps them).
     */
    public BatchSummary protect(BatchRequest request, ProtectionOptions options, ProgressListener progress,
                                Cancellation cancellation, ReadOnlyPolicy readOnly) throws IOException {
        return PhotoBatch.run(protector(options), options.identities(), request, progress, cancellation, readOnly);
    }

    /**
     * Restores a photo this product protected erasably, with its key (as {@link Restorer#restore(Path, Path,
     * ErasureKey)}: no model is involved).
     *
     * @throws RestoreException for a refusal (no payload, wrong key, payload changed, cut short or of another
     *                          photo); nothing is written then
     */
    public RestoreResult restore(Path protectedPhoto, Path output, ErasureKey key) throws IOException {
        return Restorer.restore(protectedPhoto, output, key);
    }

    /** As {@link Restorer#restore(InputStream, String, OutputStream, ErasureKey)}. */
    public RestoreResult restore(InputStream in, String name, OutputStream out, ErasureKey key) throws IOException {
        return Restorer.restore(in, name, out, key);
    }

    /** Trains an attacker on clean and one on protected faces of a labelled folder, and tests both on clean faces. */
    public CheckResult check(CheckRequest request, ProgressListener progress, Cancellation cancellation)
            throws IOException {
        requireStrengthWithinBudget(request.strengthLevels());
        return ProtectionCheck.run(model, request, progress, cancellation);
    }

    /**
     * An image in memory has no file to carry a restoration payload: erasable options are refused rather than
     * quietly giving a photo that cannot be restored.
     */
    private static void refuseErasableInMemory(ProtectionOptions options) {
        if (options.isErasable()) {
            throw new IllegalArgumentException("erasable protection keeps its payload in the photo file: protect the "
                    + "file (protect(Path, Path, options) or a batch), not an image in memory");
        }
    }

    private PhotoProtector protector(ProtectionOptions options) {
        requireStrengthWithinBudget(options.strengthLevels());
        return new PhotoProtector(model, detector, options, features);
    }

    @Override
    public void close() {
        features.close();
        detector.close();
        model.close();
    }
}
