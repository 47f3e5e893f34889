package org.segue.engine.erasure;

import org.segue.engine.api.ErasureKey;
import org.segue.engine.api.RestoreException;
import org.segue.engine.api.RestoreException.Reason;
import org.segue.engine.api.RestoreResult;
import org.segue.engine.metadata.MetadataPolicy;
import org.segue.engine.metadata.MetadataReport;
import org.segue.engine.photo.Orientation;
import org.segue.engine.photo.PhotoCodec;
import org.segue.engine.photo.PhotoException;
import org.segue.engine.photo.PhotoFormat;
import org.segue.engine.photo.PhotoPixels;
import org.segue.engine.spi.FaceBox;

import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Erasable protection's two ends: {@link #attach} makes the payload of a protected photo (the original samples
 * of its protected regions, bound to the protected file's decoded samples) and places it; {@link #restore} checks
 * and opens it and puts the original samples back.
 */
public final class PhotoRestorer {

    public static final String SIDECAR_SUFFIX = ".segue-restore";

    private PhotoRestorer() {}

    /** A restored photo's file and what the api reports of it. */
    public record Restored(byte[] output, RestoreResult result) {}

    /** A protected photo with its payload: inside {@code file}, or in {@code sidecar} (BMP; null otherwise). */
    public record Attached(byte[] file, byte[] sidecar, int payloadBytes) {}

    /** Where a photo's sidecar lies: beside it, its name plus {@link #SIDECAR_SUFFIX}. */
    public static Path sidecarOf(Path photo) {
        return photo.resolveSibling(photo.getFileName() + SIDECAR_SUFFIX);
    }

    /** The first bytes of a file (enough to tell its format). */
    public static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(16);
        }
    }

    public static String restoredFileName(String name, byte[] head) {
        try {
            if (PhotoFormat.sniff(head, name) == PhotoFormat.JPEG) {
                int dot = name.lastIndexOf('.');
                return (dot > 0 ? name.substring(0, dot) : name) + ".png";
            }
        } catch (PhotoException e) {
            // not a photo: restoring it says so
        }
        return name;
    }

    /** Whether a photo carries a payload (inside it, or a BMP's sidecar beside it). */
    public static boolean hasPayload(byte[] photo, Path sidecar) throws IOException {
        PhotoFormat format = PhotoFormat.sniff(photo, "photo");
        if (format == PhotoFormat.BMP) {
            return sidecar != null && Files.isRegularFile(sidecar);
        }
        try {
            return Carriers.extract(format, photo) != null;
        } catch (RestoreException e) {
            return true; // a damaged payload is still one
        }
    }

    /**
     * Refuses a photo for erasable protection when it already carries a payload: a second protection on top
     * of the first would keep the first protection's pixels as its "original".
     */
    public static void refuseIfCarrying(PhotoFormat format, byte[] photo, String source) throws RestoreException {
        boolean carries;
        try {
            carries = format != PhotoFormat.BMP && Carriers.extract(format, photo) != null;
        } catch (RestoreException e) {
            carries = true;
        }
        if (carries) {
            throw protectedTwice(source);
        }
    }

    public static RestoreException protectedTwice(String source) {
        return new RestoreException(Reason.PROTECTED_TWICE, source + ": already protected erasably (it carries a "
                + "restoration payload); protecting it twice is refused: restore it first, or protect the original");
    }

    /**
     * The payload of a protected photo, placed. {@code storedRegions} and {@code originals} (every band) are in
     * the input's stored grid; the output may have been written upright (formats without an orientation tag),
     * so regions and samples are turned into the output's own grid first.
     */
    public static Attached attach(PhotoCodec.Decoded input, List<FaceBox> storedRegions, List<int[][]> originals,
                                  byte[] encoded, ErasureKey key) throws IOException {
        Orientation in = input.orientation();
        Orientation turn = Orientation.of(encoded) == in ? Orientation.NORMAL : in;
        PhotoPixels out = PhotoCodec.decode(encoded, "protected photo", Long.MAX_VALUE).pixels();
        Raster raster = out.image().getRaster();
        int bits = bits(out);
        int w = input.pixels().width();
        int h = input.pixels().height();
        List<FaceBox> regions = new ArrayList<>();
        List<int[][]> samples = new ArrayList<>();
        for (int i = 0; i < storedRegions.size(); i++) {
            FaceBox stored = storedRegions.get(i);
            int[][] all = originals.get(i);
            if (all.length < raster.getNumBands() || bits(input.pixels()) != bits) {
                throw new IllegalStateException("the protected file's samples (" + raster.getNumBands() + " bands, "
                        + bits + " bits) do not match the original's");
            }
            int[][] kept = new int[raster.getNumBands()][]; // JPEG and BMP hold no alpha: theirs is not kept
            for (int b = 0; b < kept.length; b++) {
                kept[b] = turn.planeToUpright(all[b], stored.height(), stored.width());
            }
            regions.add(turn.toUpright(stored, w, h));
            samples.add(kept);
        }
        byte[] payload = Payload.seal(key.material(), Payload.digest(raster, bits), raster.getWidth(),
                raster.getHeight(), bits, new Payload.Samples(regions, samples));
        return input.format() == PhotoFormat.BMP ? new Attached(encoded, payload, payload.length)
                : new Attached(Carriers.embed(input.format(), encoded, payload), null, payload.length);
    }

    private static int bits(PhotoPixels pixels) {
        return pixels.maxValue() == 255 ? 8 : 16;
    }

    /**
     * Restores a protected photo: {@code sidecar} is where a BMP's payload lies (null for a stream).
     *
     * @throws RestoreException for a refusal; nothing is produced then
     */
    public static Restored restore(byte[] photo, Path sidecar, String name, ErasureKey key) throws IOException {
        PhotoFormat format = PhotoFormat.sniff(photo, name);
        byte[] payload;
        try {
            payload = format == PhotoFormat.BMP ? readSidecar(sidecar, name) : Carriers.extract(format, photo);
        } catch (RestoreException e) {
            throw new RestoreException(e.reason(), name + ": " + e.getMessage());
        }
        if (payload == null) {
            throw new RestoreException(Reason.NO_PAYLOAD, name + ": carries no restoration payload (it was not "
                    + "protected erasably, or other software re-saved it and dropped the payload)");
        }
        Payload.Header header;
        try {
            header = Payload.header(payload);
        } catch (RestoreException e) {
            throw new RestoreException(e.reason(), name + ": " + e.getMessage());
        }
        // the product's own limit, never the payload's word: a forged header must not license a decompression bomb
        PhotoCodec.Decoded decoded = PhotoCodec.decode(photo, name, PhotoCodec.DEFAULT_MAX_PIXELS);
        PhotoPixels pixels = decoded.pixels();
        WritableRaster raster = pixels.image().getRaster();
        int bits = bits(pixels);
        if (raster.getWidth() != header.width() || raster.getHeight() != header.height()
                || raster.getNumBands() != header.bands() || bits != header.bits()
                || !MessageDigest.isEqual(Payload.digest(raster, bits), header.photoDigest())) {
            throw new RestoreException(Reason.OTHER_PHOTO, name + ": the restoration payload belongs to another "
                    + "photo, or this photo's pixels were changed after protection; nothing restored");
        }
        Payload.Samples samples;
        try {
            if (!Payload.keyMatches(header, key.material())) {
                throw new RestoreException(Reason.WRONG_KEY, "wrong key: this photo was protected with another key");
            }
            samples = Payload.open(payload, header, key.material());
        } catch (RestoreException e) {
            throw new RestoreException(e.reason(), name + ": " + e.getMessage());
        }
        for (int i = 0; i < samples.regions().size(); i++) {
            FaceBox r = samples.regions().get(i);
            int[][] bands = samples.bands().get(i);
            for (int b = 0; b < bands.length; b++) {
                raster.setSamples(r.x(), r.y(), r.width(), r.height(), b, bands[b]);
            }
        }
        byte[] output;
        String outputFormat;
        if (format == PhotoFormat.JPEG) {
            // a JPEG encoder would change the restored samples again: PNG keeps them, upright (PNG has no
            // orientation tag this product writes)
            output = PhotoCodec.encodePng(decoded.orientation().applyTo(pixels.image()));
            outputFormat = "PNG";
        } else {
            // everything of the protected file but its payload: same format, colour chunks carried over
            output = PhotoCodec.encode(decoded, pixels, 100, new MetadataPolicy(true), new MetadataReport());
            outputFormat = format.name();
        }
        return new Restored(output, new RestoreResult(name, format.name(), outputFormat, samples.regions(),
                format != PhotoFormat.JPEG, payload.length));
    }

    private static byte[] readSidecar(Path sidecar, String name) throws IOException {
        if (sidecar == null) {
            throw new RestoreException(Reason.UNSUPPORTED, "a BMP keeps its restoration payload in a sidecar file ("
                    + name + SIDECAR_SUFFIX + "); restore it by its path");
        }
        return Files.isRegularFile(sidecar) ? Files.readAllBytes(sidecar) : null;
    }
}
