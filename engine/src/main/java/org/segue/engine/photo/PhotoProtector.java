package org.segue.engine.photo;

import org.segue.engine.face.CropFraming;
import org.segue.engine.face.FaceAlignment;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.spi.DetectedFace;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;
import org.segue.engine.spi.FaceLandmarks;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.api.NoFacePolicy;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.api.ProtectionOptions;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.erasure.PhotoRestorer;
import org.segue.engine.metadata.MetadataPolicy;
import org.segue.engine.metadata.MetadataReport;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Protects the faces in one photo: decode, read the orientation, detect faces in the upright view, cut
 * each face as the generator learnt faces (aligned on its landmarks to the canonical template; a face
 * without landmarks: its detection widened by a margin to a square), generate its perturbation with the
 * Segue generator at the model's input size, map the perturbation back onto the photo's grid, add it to
 * the stored pixels, and encode the same format with cleaned metadata. Pixels outside face regions are
 * never written; inside, no sample moves by more than eps (8/255 at most), unless the options conceal heads: then
 * each head is also blurred ({@link HeadConcealment}), a change without bound.
 * Thread-safe when the model and detector are (the default detector is).
 */
public final class PhotoProtector {

    /**
     * A face found in a photo, in upright coordinates.
     *
     * @param detected the detector's box
     * @param region    the region that is protected: with landmarks, the photo pixels the face's aligned crop
     *                  covers; without, the detection widened by the margin to a square (clipped)
     * @param landmarks the face's five landmarks (upright, full resolution), or null from a detector without
     */
    public record Face(FaceBox detected, FaceBox region, FaceLandmarks landmarks) {

        /** A face without landmarks: protected in its region as it stands, without alignment. */
        public Face(FaceBox detected, FaceBox region) {
            this(detected, region, null);
        }
    }

    /** A decoded photo with its faces, ready to protect. */
    public record Analysed(String source, PhotoCodec.Decoded decoded, List<Face> faces, double decodeSeconds,
                           double detectSeconds) {}

    /**
     * A protected photo.
     *
     * @param output      the encoded file (same format as the input)
     * @param pixels      the protected pixels before encoding (stored grid)
     * @param maxChange   the largest change of any sample before encoding, in sample units
     * @param maxValue    255 or 65535: the sample range {@code maxChange} is measured in
     * @param sidecar     under erasable protection of a BMP: the restoration payload, to be written beside the
     *                    output as {@code <output>.segue-restore}; null otherwise (other formats carry it inside)
     */
    public record Result(byte[] output, PhotoPixels pixels, PhotoFormat format, List<Face> faces, MetadataReport metadata, int maxChange,
                         int maxValue, Timings timings, byte[] sidecar) {}

    /** Seconds spent in each stage of one photo. */
    public record Timings(double decode, double detect, double protect, double encode) {

        public double total() {
            return decode + detect + protect + encode;
        }
    }

    private final SegueModel model;
    private final FaceDetector detector;
    private final ProtectionOptions options;
    private final java.util.function.Supplier<PretrainedFaceFeatures> features;
    private final long maxPixels;

    /** The embedder of every protector built without one (tests, the lab): loaded on first use, for the JVM's life. */
    private static final PretrainedFaceFeatures.Lazy SHARED_FEATURES =
            new PretrainedFaceFeatures.Lazy(ai.djl.Device.cpu());

    /** Protects with the options a host chose through the api (their identities are the caller's concern). */
    public PhotoProtector(SegueModel model, FaceDetector detector, ProtectionOptions options) {
        this(model, detector, options, SHARED_FEATURES);
    }

    /**
     * As above, with the pretrained face features grouping uses (loaded by the supplier when a batch first
     * groups faces; the caller owns them).
     */
    public PhotoProtector(SegueModel model, FaceDetector detector, ProtectionOptions options,
                          java.util.function.Supplier<PretrainedFaceFeatures> features) {
        if (options.epsilon() > model.info().epsilon() + 1e-7f) {
            throw new IllegalArgumentException("epsilon " + options.epsilon() + " exceeds the model's budget "
                    + model.info().epsilon());
        }
        this.model = model;
        this.detector = detector;
        this.options = options;
        this.features = features;
        this.maxPixels = (long) (options.maxMegapixels() * 1_000_000);
    }

    /** How this protector protects (and what it does with a photo without a face). */
    public ProtectionOptions options() {
        return options;
    }

    /**
     * What the no-face policy makes of an analysed photo: false for a photo with faces, or without under copy
     * (it is protected, or encoded with its pixels unchanged and its metadata cleaned); true under skip (nothing
     * is written for it, {@link #describeUnwritten} reports it).
     *
     * @throws PhotoException under fail for a photo without a face, with reason {@link NoFacePolicy#FAIL_REASON}
     */
    public boolean leavesUnwritten(Analysed photo) throws PhotoException {
        if (!photo.faces().isEmpty()) {
            return false;
        }
        return switch (options.noFace()) {
            case FAIL -> throw new PhotoException(photo.source(), NoFacePolicy.FAIL_REASON);
            case SKIP -> true;
            case COPY -> false;
        };
    }

    /** The report of a photo without a face that the skip policy leaves unwritten. */
    public static PhotoResult describeUnwritten(String photo, Analysed analysed) {
        return new PhotoResult(photo, PhotoResult.Status.NO_FACE, List.of(), List.of(), 0, 0,
                analysed.decoded().format().name(), null);
    }

    /** Decodes a photo and finds its faces; nothing is changed yet. */
    public Analysed analyse(byte[] bytes, String source) throws PhotoException {
        long t0 = System.nanoTime();
        PhotoCodec.Decoded decoded = PhotoCodec.decode(bytes, source, maxPixels);
        return detect(source, decoded, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Decodes a photo whose faces were found before (by an earlier pass over the same file): the detector
     * does not run again.
     */
    public Analysed analyseWithFaces(byte[] bytes, String source, List<Face> faces) throws PhotoException {
        long t0 = System.nanoTime();
        PhotoCodec.Decoded decoded = PhotoCodec.decode(bytes, source, maxPixels);
        return new Analysed(source, decoded, List.copyOf(faces), (System.nanoTime() - t0) / 1e9, 0);
    }

    /** The api's record of a protected photo. */
    public static PhotoResult describe(String photo, Result result) {
        return new PhotoResult(photo, result.faces().isEmpty() ? PhotoResult.Status.NO_FACE : PhotoResult.Status.PROTECTED,
                result.faces().stream().map(Face::region).toList(), result.metadata().removedItems(),
                result.maxChange(), result.maxValue(), result.format().name(), null);
    }

    /**
     * Finds the faces of an image already in memory and upright (a host's image, e.g. an ImageJ
     * ImagePlus): 8- or 16-bit grey or RGB, with or without alpha. Such a photo can be protected with
     * {@link #protectPixels}; it has no file to re-encode.
     */
    public Analysed analyse(BufferedImage upright, String source) throws PhotoException {
        return analyse(upright, Orientation.NORMAL, source);
    }

    /**
     * Finds the faces of an image in memory held in its stored grid (a host that shows it as stored: ImageJ
     * does not turn a JPEG by its orientation tag): the faces are detected in the upright view, as for a file,
     * and given in upright coordinates.
     */
    public Analysed analyse(BufferedImage stored, Orientation orientation, String source) throws PhotoException {
        return detect(source, inMemory(stored, orientation, source), 0);
    }

    /**
     * An image in memory (stored grid, with its orientation) whose faces were found before: the detector does
     * not run again. The faces are upright, as {@link #analyse} gives them.
     */
    public Analysed withFaces(BufferedImage stored, Orientation orientation, String source, List<Face> faces)
            throws PhotoException {
        return new Analysed(source, inMemory(stored, orientation, source), List.copyOf(faces), 0, 0);
    }

    private PhotoCodec.Decoded inMemory(BufferedImage stored, Orientation orientation, String source)
            throws PhotoException {
        if ((long) stored.getWidth() * stored.getHeight() > maxPixels) {
            throw new PhotoException(source, "image of " + stored.getWidth() + "x" + stored.getHeight()
                    + " pixels exceeds the limit of " + maxPixels + " pixels");
        }
        return new PhotoCodec.Decoded(null, null, orientation, PhotoPixels.of(stored, source));
    }

    private Analysed detect(String source, PhotoCodec.Decoded decoded, double decodeSeconds) {
        long t1 = System.nanoTime();
        PhotoPixels pixels = decoded.pixels();
        Orientation orientation = decoded.orientation();
        int longer = Math.max(pixels.width(), pixels.height());
        int factor = Math.max(1, (int) Math.ceil((double) longer / detector.workingSize()));
        BufferedImage preview = orientation.applyTo(pixels.preview(factor));
        int uw = orientation.uprightWidth(pixels.width(), pixels.height());
        int uh = orientation.uprightHeight(pixels.width(), pixels.height());
        List<Face> faces = new ArrayList<>();
        for (DetectedFace found : detector.detectFaces(preview)) {
            FaceBox full = found.box().scaled(factor, uw, uh);
            FaceLandmarks landmarks = found.hasLandmarks() ? toFullResolution(found.landmarks(), factor) : null;
            FaceBox region = null;
            if (landmarks != null) {
                try {
                    FaceAlignment aligned = generatorAlignment(landmarks);
                    // a concealed head reaches beyond the generator's crop: the region holds all of it
                    region = (options.concealHeads() ? aligned.reframed(HeadConcealment.framing()) : aligned)
                            .footprint(uw, uh);
                } catch (IllegalArgumentException e) { // landmarks too close together to align on: protect the box
                    landmarks = null;
                }
            }
            faces.add(new Face(full, region != null ? region : full.expandedSquare(options.faceMargin(), uw, uh),
                    landmarks));
        }
        long t2 = System.nanoTime();
        return new Analysed(source, decoded, List.copyOf(faces), decodeSeconds, (t2 - t1) / 1e9);
    }

    /**
     * Points of a preview shrunk {@code factor} times by block means, at full resolution: a preview pixel's
     * centre is the centre of its block.
     */
    private static FaceLandmarks toFullResolution(FaceLandmarks preview, int factor) {
        return preview.scaled(factor).translated((factor - 1) / 2.0, (factor - 1) / 2.0);
    }

    /**
     * How a face with these landmarks is cut for the generator: aligned to the canonical template in the framing
     * of the faces it was trained on, at its input size.
     */
    private FaceAlignment generatorAlignment(FaceLandmarks landmarks) {
        return FaceAlignment.of(landmarks, CropFraming.trainingCrops(model.info().inputHeight()));
    }

    /**
     * The pretrained embeddings of an analysed photo's faces, in face order (for grouping faces by person): each
     * face aligned on its landmarks into the embedder's crop; a face without landmarks gets them from the
     * landmark network on its detection box first.
     */
    public float[][] faceEmbeddings(Analysed photo) {
        return features.get().embedAligned(embedderCrops(photo));
    }

    /**
     * The analysed photo's faces, in face order, each aligned into the pretrained embedder's crop (biometric data:
     * for embedding in memory only).
     */
    public List<RgbImage> embedderCrops(Analysed photo) {
        PretrainedFaceFeatures features = this.features.get();
        PhotoPixels pixels = photo.decoded().pixels();
        Orientation orientation = photo.decoded().orientation();
        int uw = orientation.uprightWidth(pixels.width(), pixels.height());
        int uh = orientation.uprightHeight(pixels.width(), pixels.height());
        List<RgbImage> aligned = new ArrayList<>();
        for (Face face : photo.faces()) {
            FaceLandmarks landmarks = face.landmarks();
            if (landmarks == null) {
                FaceBox box = face.detected();
                landmarks = features.landmarksOfCrop(uprightCrop(photo.decoded(), box)).translated(box.x(), box.y());
            }
            FaceAlignment alignment = features.embedder().align(landmarks);
            FaceBox area = alignment.footprint(uw, uh);
            RgbImage around = uprightCrop(photo.decoded(), area);
            aligned.add(features.embedder().align(landmarks.translated(-area.x(), -area.y())).warp(around));
        }
        return aligned;
    }

    private static RgbImage uprightCrop(PhotoCodec.Decoded decoded, FaceBox uprightRegion) {
        PhotoPixels pixels = decoded.pixels();
        FaceBox stored = decoded.orientation().toStored(uprightRegion, pixels.width(), pixels.height());
        return upright(decoded.orientation(), pixels.readRgb(stored), uprightRegion);
    }

    /** A crop read in the stored grid, turned upright. */
    private static RgbImage upright(Orientation orientation, RgbImage stored, FaceBox uprightRegion) {
        float[] chw = orientation.planesToUpright(stored.chw(), 3, stored.height(), stored.width());
        return new RgbImage(chw, uprightRegion.height(), uprightRegion.width());
    }

    /**
     * Protects the analysed photo's faces, face i with identity label {@code labels[i]} (its 16-bit
     * code is the side information), and encodes the result in the photo's own format. A photo
     * without faces is re-encoded with cleaned metadata and its pixels unchanged.
     *
     * <p>The analysed photo is used up: the faces are protected in its own decoded pixels (which
     * {@link Result#pixels()} then returns), because a second copy of a 48-megapixel photo would add
     * 144 MB to the peak memory. Its unprotected pixels are not kept anywhere, so protecting it a
     * second time is refused (a second perturbation on top of the first would break the budget);
     * {@link #protectPixels} leaves the analysed photo as it was.
     *
     * @throws IllegalStateException if this analysed photo was protected before
     * @throws PhotoException        if a face's protection would change none of its samples (a grey image at a low
     *                               strength keeps only the brightness part of the model's colour change, which can
     *                               round away); nothing is encoded, so nothing is written for the photo
     */
    public Result protect(Analysed photo, int[] labels) throws IOException {
        if (photo.decoded().format() == null) {
            throw new IllegalArgumentException(photo.source() + " was given as pixels; use protectPixels");
        }
        requireLabelPerFace(photo, labels); // before the pixels are marked as used
        PhotoCodec.Decoded decoded = photo.decoded();
        if (options.isErasable()) {
            PhotoRestorer.refuseIfCarrying(decoded.format(), decoded.original(), photo.source());
        }
        if (!decoded.pixels().markProtectedInPlace()) {
            throw alreadyProtected(photo);
        }
        long t0 = System.nanoTime();
        List<FaceBox> storedRegions = storedRegions(photo);
        // the original samples of what is about to change, every band: the pixels are protected in place
        List<int[][]> originals = options.isErasable()
                ? storedRegions.stream().map(decoded.pixels()::readAllBands).toList() : null;
        ProtectedPixels done = protectInto(photo, labels, decoded.pixels());
        long t1 = System.nanoTime();
        MetadataReport report = new MetadataReport();
        byte[] encoded = PhotoCodec.encode(decoded, done.pixels(), options.jpegQuality(),
                new MetadataPolicy(options.keepLocation()),
                report);
        byte[] sidecar = null;
        if (options.isErasable()) {
            PhotoRestorer.Attached attached = PhotoRestorer.attach(decoded, storedRegions, originals, encoded,
                    options.erasure());
            encoded = attached.file();
            sidecar = attached.sidecar();
        }
        long t2 = System.nanoTime();
        return new Result(encoded, done.pixels(), decoded.format(), photo.faces(), report, done.maxChange(),
                done.pixels().maxValue(),
                new Timings(photo.decodeSeconds(), photo.detectSeconds(), (t1 - t0) / 1e9, (t2 - t1) / 1e9), sidecar);
    }

    private String unchangedFace(int face, int faces, boolean grey) {
        return "face " + (face + 1) + " of " + faces + " would not change: its protection at strength "
                + StrengthPreset.describe(options.strengthLevels()) + " rounds to no change in every sample"
                + (grey ? " of this grey image, which keeps only the brightness part of the protection" : "")
                + "; nothing was written. Protect it at a higher strength.";
    }

    /** Protected pixels (stored grid) and the largest sample change, before any encoding. */
    public record ProtectedPixels(PhotoPixels pixels, int maxChange) {}

    /**
     * Protects the faces into a copy of the photo's pixels; the analysed photo itself is not changed.
     *
     * @throws PhotoException if a face's protection would change none of its samples (see {@link #protect})
     */
    public ProtectedPixels protectPixels(Analysed photo, int[] labels) throws PhotoException {
        if (photo.decoded().pixels().isProtectedInPlace()) {
            throw alreadyProtected(photo);
        }
        requireLabelPerFace(photo, labels); // before the copy
        return protectInto(photo, labels, photo.decoded().pixels().copy());
    }

    private static void requireLabelPerFace(Analysed photo, int[] labels) {
        if (labels.length != photo.faces().size()) {
            throw new IllegalArgumentException(photo.faces().size() + " faces but " + labels.length + " labels");
        }
    }

    private static IllegalStateException alreadyProtected(Analysed photo) {
        return new IllegalStateException(photo.source() + " was already protected; analyse the original again");
    }

    private static List<FaceBox> storedRegions(Analysed photo) {
        PhotoPixels pixels = photo.decoded().pixels();
        Orientation orientation = photo.decoded().orientation();
        return photo.faces().stream()
                .map(face -> orientation.toStored(face.region(), pixels.width(), pixels.height())).toList();
    }

    /**
     * An aligned face's perturbation over its whole region (three planes): the crop square's image inside the
     * region carries the generator's delta, the region's corners outside it stay unchanged (zero).
     */
    private static float[] regionDelta(FaceAlignment.PhotoDelta delta, int width, int height) {
        FaceBox box = delta.box();
        if (box.x() == 0 && box.y() == 0 && box.width() == width && box.height() == height) {
            return delta.chw();
        }
        float[] out = new float[3 * width * height];
        float[] in = delta.chw();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < box.height(); y++) {
                System.arraycopy(in, (c * box.height() + y) * box.width(), out,
                        (c * height + box.y() + y) * width + box.x(), box.width());
            }
        }
        return out;
    }

    /**
     * Protects the faces of {@code photo} into {@code out}, which holds the same pixels as the photo
     * (the photo's own, or a copy of them); the callers have checked one label per face.
     *
     * @throws PhotoException if a face's perturbation rounds to no change in any of its samples: reporting such a
     *                        face as protected would be false (a grey image at a low strength, where the mean of
     *                        the model's colour change is under half a sample value everywhere)
     */
    private ProtectedPixels protectInto(Analysed photo, int[] labels, PhotoPixels out) throws PhotoException {
        PhotoCodec.Decoded decoded = photo.decoded();
        PhotoPixels pixels = decoded.pixels();
        Orientation orientation = decoded.orientation();
        // every region is read once, before any is written, so overlapping regions are perturbed
        // relative to the original and the bound holds where they overlap (the later face's delta wins)
        List<FaceBox> storedRegions = storedRegions(photo);
        // reads only: safe to spread over the cores
        List<int[][]> originals = storedRegions.parallelStream().map(pixels::readSamples).toList();
        List<RgbImage> regionImages = java.util.stream.IntStream.range(0, storedRegions.size()).parallel()
                .mapToObj(i -> upright(orientation, pixels.toRgb(originals.get(i), storedRegions.get(i)),
                        photo.faces().get(i).region())).toList();
        // a face with landmarks is aligned to the template the generator learnt (in its region's coordinates)
        List<FaceAlignment> alignments = photo.faces().stream().map(face -> face.landmarks() == null ? null
                : generatorAlignment(face.landmarks().translated(-face.region().x(), -face.region().y()))).toList();
        List<RgbImage> crops = java.util.stream.IntStream.range(0, regionImages.size()).parallel()
                .mapToObj(i -> alignments.get(i) == null ? regionImages.get(i) : alignments.get(i).warp(regionImages.get(i)))
                .toList();
        int maxChange = 0;
        if (!crops.isEmpty()) {
            List<float[]> deltas = model.perturbationsAtFullSize(crops, labels, options.epsilon());
            List<float[]> storedDeltas = java.util.stream.IntStream.range(0, crops.size()).parallel()
                    .mapToObj(i -> {
                        FaceBox region = photo.faces().get(i).region();
                        float[] upright = alignments.get(i) == null ? deltas.get(i)
                                : regionDelta(alignments.get(i).toPhoto(deltas.get(i), region.width(), region.height()),
                                        region.width(), region.height());
                        if (options.concealHeads()) {
                            float[] conceal = alignments.get(i) == null
                                    ? HeadConcealment.unalignedRegionChange(regionImages.get(i))
                                    : HeadConcealment.regionChange(alignments.get(i), regionImages.get(i));
                            for (int k = 0; k < upright.length; k++) {
                                upright[k] += conceal[k];
                            }
                        }
                        return orientation.planesToStored(upright, 3, region.height(), region.width());
                    }).toList();
            // writes stay in face order: where two faces' perturbations overlap, the later face's wins; where the
            // later face's is zero (outside its oval), what the earlier face wrote stays
            for (int i = 0; i < crops.size(); i++) {
                FaceBox region = storedRegions.get(i);
                boolean overlapsEarlier = storedRegions.subList(0, i).stream().anyMatch(r -> r.overlapOfSmaller(region) > 0);
                int change = out.writePerturbed(region, originals.get(i), storedDeltas.get(i),
                        overlapsEarlier ? out.readSamples(region) : null);
                if (change == 0) {
                    throw new PhotoException(photo.source(), unchangedFace(i, crops.size(), pixels.isGrey()));
                }
                maxChange = Math.max(maxChange, change);
            }
        }
        return new ProtectedPixels(out, maxChange);
    }
}
