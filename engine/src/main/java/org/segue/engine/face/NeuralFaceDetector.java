package org.segue.engine.face;

import ai.djl.Device;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.spi.DetectedFace;
import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;
import org.segue.engine.spi.FaceLandmarks;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The engine's face detector: face-api's SSD MobileNetV1 finds face boxes, its 68-point landmark network
 * places the features in each, and the five points the SPI asks for come from those.
 *
 * <ul>
 *   <li>Small faces: the SSD runs on the working image (up to {@link #DEFAULT_WORKING_SIZE} px on the
 *       longer side; a large one in strips, see {@link #MAX_PASS_PIXELS}) with its anchors at their trained
 *       pixel sizes, so a face keeps its size in pixels; an image smaller than 512 px is enlarged to 512
 *       first, as face-api does.
 *   <li>Tilted heads: the SSD was trained on roughly upright faces and loses faces tilted by more than
 *       about 30 degrees. Two more passes search the image turned by +-{@link #TILT_DEGREES} degrees, on a
 *       smaller copy (longer side {@link #TILTED_SIZE} px) to bound their cost; their faces are mapped back
 *       and merged with the upright pass. A face's landmarks come from the pass that scored it highest, and a
 *       face that stood tilted there gets them placed again once turned upright (see the second look).
 *   <li>Boxes: each face's box is the bounding box of its 68 landmarks in the photo (brows to chin, jaw to
 *       jaw), which stays tight for a tilted face where the detector's own box would not.
 *   <li>Non-faces: a box is kept only when it scores at least {@link #MIN_SCORE} and a second look confirms
 *       it: the region around it, turned upright by its landmarks and resized, must again hold a face
 *       that the detector scores at least {@link #CONFIRM_SCORE}.
 * </ul>
 *
 * <p>Cost, in pixels through the network (about 0.3 us each on two cores) for a 1000x666 working image: the
 * upright search 0.85 MP (two strips of 576x666 and the whole image at a third of its size, see
 * {@link #MAX_PASS_PIXELS}), the two tilted passes 0.43 MP (the turned 384 px copy fills a 459x443 canvas), and per
 * face found one 160x160 second look (about 10 ms in a batch with the other faces' looks) and one or two landmark
 * passes on 112x112. Small passes of one size (the two tilted turns, the looks) go through the network together,
 * up to {@link #BATCH_PIXELS}, which saves the per-pass overhead of its 60-odd layers. A larger {@link #TILTED_SIZE} finds smaller tilted
 * faces at a higher cost.
 *
 * <p>Thread-safe and without locks: the networks' weights are read-only and every call works on its own
 * arrays.
 */
public final class NeuralFaceDetector implements FaceDetector {

    /** Longer side of the image searched; at this size faces of about 40 px are still found. */
    public static final int DEFAULT_WORKING_SIZE = 1024;
    /** Face score (SSD) a box needs; face-api's default. */
    public static final float MIN_SCORE = 0.5f;
    /** Score the upright, landmark-aligned second look must give. */
    public static final float CONFIRM_SCORE = 0.5f;
    /** The tilted passes turn the image by plus and minus this much. */
    public static final double TILT_DEGREES = 40;
    /** Longer side of the image the tilted passes search. */
    public static final int TILTED_SIZE = 384;
    /**
     * Most pixels one SSD pass takes; larger images are searched in strips. Beyond about half a megapixel a
     * pass costs several times more per pixel (on a 2-core EPYC: 0.29-0.55 s for 1024x683 in one pass, 0.08 s
     * for a 576x683 strip), most likely as the activations of the first layers outgrow the processor's cache.
     */
    static final int MAX_PASS_PIXELS = 400_000;
    /** Strips overlap by at least this much, so a face up to this size lies whole in one of them. */
    static final int STRIP_OVERLAP = 96;
    /**
     * Side in pixels that a face too large for the strips' overlap keeps, at least, in the whole-image pass that
     * goes with them: that pass is shrunk as far as this allows, and at least by {@link #WHOLE_PASS_SCALE}.
     */
    private static final int WHOLE_PASS_FACE = 48;
    private static final double WHOLE_PASS_SCALE = 0.5;
    /** The network's input is padded to a multiple of this (see {@link SsdMobileNetV1}); strips fill it exactly. */
    private static final int PASS_MULTIPLE = 32;
    /** A strip's box this close to a side it shares with a neighbour is taken as cut there. */
    private static final int STRIP_EDGE = 2;

    private static final double NMS_IOU = 0.5;
    /** A face tilted less than this (radians, 10 degrees) in its pass needs no upright landmark placement. */
    private static final double UPRIGHT_ENOUGH = Math.toRadians(10);
    /** Boxes of one face found by different passes overlap at least this much. */
    private static final double MERGE_IOU = 0.3;
    private static final int MAX_FACES = 100;
    /** Side of the second look's square image, and the face's share of it. */
    private static final int CONFIRM_SIDE = 160;
    private static final double CONFIRM_FACE_SHARE = 0.5;
    /**
     * Most pixels in one batch through the SSD. Batching saves the per-pass overhead of the network's layers but
     * grows its activations like one larger image (see {@link #MAX_PASS_PIXELS}); on a 2-core Xeon: two
     * 459x443 tilted passes 107 ms together against 122 ms apart, four 160x160 looks 38 ms against 82 ms, but two
     * 600x666 strips 224 ms together against 194 ms apart.
     */
    static final int BATCH_PIXELS = 512 * 1024;

    private final SsdMobileNetV1 ssd;
    private final FaceLandmarkNet landmarkNet;
    private final int workingSize;

    /** The detector on the CPU at the default working size. */
    public NeuralFaceDetector() {
        this(Device.cpu(), DEFAULT_WORKING_SIZE);
    }

    public NeuralFaceDetector(Device device, int workingSize) {
        if (workingSize < 64) {
            throw new IllegalArgumentException("detector working size must be at least 64, was " + workingSize);
        }
        this.workingSize = workingSize;
        SsdMobileNetV1 loaded = SsdMobileNetV1.load(device);
        try {
            this.landmarkNet = FaceLandmarkNet.load(device);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        this.ssd = loaded;
    }

    @Override
    public int workingSize() {
        return workingSize;
    }

    @Override
    public String name() {
        return "face-api ssd mobilenet v1 + 68-point landmarks";
    }

    @Override
    public List<FaceBox> detect(BufferedImage uprightRgb) {
        return detectFaces(uprightRgb).stream().map(DetectedFace::box).toList();
    }

    @Override
    public List<DetectedFace> detectFaces(BufferedImage uprightRgb) {
        DjlRuntime.noGradientsOnThisThread();
        int w = uprightRgb.getWidth();
        int h = uprightRgb.getHeight();
        if (w < 16 || h < 16) {
            return List.of();
        }
        int longer = Math.max(w, h);
        int factor = Math.max(1, (int) Math.ceil(longer / (double) workingSize));
        BufferedImage image = factor == 1 ? toRgb(uprightRgb) : shrink(uprightRgb, factor);
        // face-api enlarges small images to its 512 input; small photos' faces are found only at that size
        double toInput = factor;
        if (longer < SsdMobileNetV1.REFERENCE_SIZE) {
            double up = SsdMobileNetV1.REFERENCE_SIZE / (double) longer;
            image = warp(image, AffineTransform.getScaleInstance(up, up));
            toInput = 1 / up;
        }
        List<Candidate> candidates = new ArrayList<>(search(image, new double[] {0}, 1));
        double tiltScale = Math.min(1, TILTED_SIZE / (double) Math.max(image.getWidth(), image.getHeight()));
        // both turns give canvases of one size: one batch
        candidates.addAll(search(image, new double[] {TILT_DEGREES, -TILT_DEGREES}, tiltScale));
        candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
        List<List<Candidate>> groups = new ArrayList<>();
        for (Candidate c : candidates) {
            List<Candidate> group = groups.stream().filter(g -> sameFace(g.get(0), c)).findFirst().orElse(null);
            if (group == null) {
                groups.add(new ArrayList<>(List.of(c)));
            } else {
                group.add(c);
            }
        }
        List<DetectedFace> faces = new ArrayList<>();
        for (Confirmed c : confirm(image, groups)) {
            double[] p = c.points68();
            for (int i = 0; i < p.length; i++) {
                p[i] = p[i] * toInput;
            }
            FaceBox box = boundingBox(p, w, h);
            if (box != null) {
                faces.add(new DetectedFace(box, FaceLandmarkNet.fivePoints(p), Math.min(1f, c.score())));
            }
        }
        faces = withoutDuplicates(faces);
        faces.sort(Comparator.comparingInt((DetectedFace f) -> f.box().x()).thenComparingInt(f -> f.box().y()));
        return faces;
    }

    /**
     * A face found by one pass: its score, a box of the detection's size around its centre in the working
     * image (a turned pass's box, mapped back whole, would be wider than the face and reach its neighbours),
     * and what placing its landmarks needs: the pass's image, the detection in it, the way back.
     */
    private record Candidate(float score, double x0, double y0, double x1, double y1,
                             BufferedImage pass, SsdMobileNetV1.Detection found, AffineTransform back,
                             boolean fullScale) {

        /**
         * The 68 landmarks in the working image, or null for a box too small to place them in; the flag says
         * whether they were placed on the face upright and at the working image's scale.
         */
        Placed place(FaceLandmarkNet net) {
            double[] p = landmarksIn(net, pass, found);
            if (p == null) {
                return null;
            }
            double tilt = Math.abs(eyeLineAngle(FaceLandmarkNet.fivePoints(p)));
            double[] mapped = new double[p.length];
            back.transform(p, 0, mapped, 0, p.length / 2);
            return new Placed(mapped, fullScale && tilt < UPRIGHT_ENOUGH);
        }
    }

    private record Placed(double[] points68, boolean upright) {}

    /**
     * Detects on the image turned by each of {@code degrees} (counter-clockwise on screen; turns of equal size,
     * such as +-a, so that their canvases match and go through the network together) and shrunk by
     * {@code scale}, and maps the faces back.
     */
    private List<Candidate> search(BufferedImage image, double[] degrees, double scale) {
        List<BufferedImage> passes = new ArrayList<>();
        List<AffineTransform> backs = new ArrayList<>();
        for (double turn : degrees) {
            AffineTransform toPass = passTransform(image.getWidth(), image.getHeight(), turn, scale);
            passes.add(turn == 0 && scale == 1 ? image : warp(image, toPass));
            try {
                backs.add(toPass.createInverse());
            } catch (java.awt.geom.NoninvertibleTransformException e) {
                throw new IllegalStateException(e);
            }
        }
        BufferedImage first = passes.get(0);
        boolean oneSize = passes.stream()
                .allMatch(p -> p.getWidth() == first.getWidth() && p.getHeight() == first.getHeight());
        List<List<SsdMobileNetV1.Detection>> found = oneSize ? detectAnySize(passes)
                : passes.stream().map(p -> detectAnySize(List.of(p)).get(0)).toList();
        List<Candidate> out = new ArrayList<>();
        for (int k = 0; k < degrees.length; k++) {
            AffineTransform back = backs.get(k);
            for (SsdMobileNetV1.Detection d : found.get(k)) {
                double[] centre = {(d.x0() + d.x1()) / 2, (d.y0() + d.y1()) / 2};
                back.transform(centre, 0, centre, 0, 1);
                double hw = d.width() / scale / 2;
                double hh = d.height() / scale / 2;
                out.add(new Candidate(d.score(), centre[0] - hw, centre[1] - hh, centre[0] + hw, centre[1] + hh,
                        passes.get(k), d, back, scale == 1 && degrees[k] == 0));
            }
        }
        return out;
    }

    /**
     * The SSD's faces in images of one size, any size. Images of at most {@link #MAX_PASS_PIXELS} go through in
     * one pass. Larger ones are searched twice: at full resolution in overlapping strips across the longer side,
     * which keeps small faces at their size in pixels, and whole, shrunk to half their size or less, for the
     * faces too large to fit into a strip's overlap (shrunk so far that they are still {@link #WHOLE_PASS_FACE} px).
     * A strip's box that touches a side it shares with a neighbour is cut there and is dropped: that face lies whole
     * in the neighbour's overlap or is found by the whole pass.
     */
    private List<List<SsdMobileNetV1.Detection>> detectAnySize(List<BufferedImage> passes) {
        int w = passes.get(0).getWidth();
        int h = passes.get(0).getHeight();
        if ((long) w * h <= MAX_PASS_PIXELS) {
            return ssdPass(passes);
        }
        boolean alongX = w >= h;
        int length = alongX ? w : h;
        int across = alongX ? h : w;
        int longestStrip = Math.max(2 * STRIP_OVERLAP, MAX_PASS_PIXELS / across);
        int strips = longestStrip >= length ? 1
                : (int) Math.ceil((length - STRIP_OVERLAP) / (double) (longestStrip - STRIP_OVERLAP));
        // the shortest strips that still overlap enough, rounded up to what the network pads them to anyway:
        // the pixels beyond that would be searched twice for nothing
        int stripLength = (int) Math.ceil((length + (strips - 1) * (double) STRIP_OVERLAP) / strips);
        stripLength = Math.min(length, (stripLength + PASS_MULTIPLE - 1) / PASS_MULTIPLE * PASS_MULTIPLE);
        int overlap = strips == 1 ? length : (strips * stripLength - length) / (strips - 1);
        // faces wider than the overlap may be cut in every strip: the whole pass must find them
        double shrink = Math.min(Math.min(WHOLE_PASS_SCALE, WHOLE_PASS_FACE / (double) overlap),
                Math.sqrt(MAX_PASS_PIXELS / ((double) w * h)));
        List<List<SsdMobileNetV1.Detection>> all = new ArrayList<>();
        List<BufferedImage> wholes = passes.stream()
                .map(p -> warp(p, AffineTransform.getScaleInstance(shrink, shrink))).toList();
        for (List<SsdMobileNetV1.Detection> inWhole : ssdPass(wholes)) {
            List<SsdMobileNetV1.Detection> scaled = new ArrayList<>();
            for (SsdMobileNetV1.Detection d : inWhole) {
                scaled.add(new SsdMobileNetV1.Detection(d.score(), d.x0() / shrink, d.y0() / shrink,
                        d.x1() / shrink, d.y1() / shrink));
            }
            all.add(scaled);
        }
        int[] starts = new int[strips];
        for (int i = 0; i < strips; i++) {
            starts[i] = strips == 1 ? 0 : (int) Math.round(i * (length - stripLength) / (double) (strips - 1));
        }
        List<BufferedImage> pieces = new ArrayList<>();
        for (BufferedImage pass : passes) {
            for (int i = 0; i < strips; i++) {
                pieces.add(alongX ? pass.getSubimage(starts[i], 0, stripLength, h)
                        : pass.getSubimage(0, starts[i], w, stripLength));
            }
        }
        List<List<SsdMobileNetV1.Detection>> inPieces = ssdPass(pieces);
        for (int k = 0; k < passes.size(); k++) {
            List<SsdMobileNetV1.Detection> found = all.get(k);
            for (int i = 0; i < strips; i++) {
                int start = starts[i];
                int end = start + stripLength;
                for (SsdMobileNetV1.Detection d : inPieces.get(k * strips + i)) {
                    double lo = (alongX ? d.x0() : d.y0()) + start;
                    double hi = (alongX ? d.x1() : d.y1()) + start;
                    if ((start > 0 && lo < start + STRIP_EDGE) || (end < length && hi > end - STRIP_EDGE)) {
                        continue;
                    }
                    found.add(alongX
                            ? new SsdMobileNetV1.Detection(d.score(), d.x0() + start, d.y0(), d.x1() + start, d.y1())
                            : new SsdMobileNetV1.Detection(d.score(), d.x0(), d.y0() + start, d.x1(), d.y1() + start));
                }
            }
            all.set(k, SsdMobileNetV1.nonMaxSuppression(found, NMS_IOU, MAX_FACES));
        }
        return all;
    }

    private List<List<SsdMobileNetV1.Detection>> ssdPass(List<BufferedImage> images) {
        return ssdPass(images, MIN_SCORE);
    }

    /**
     * The SSD's faces in images of one size, in batches of at most {@link #BATCH_PIXELS} (or one image where it
     * is larger).
     */
    private List<List<SsdMobileNetV1.Detection>> ssdPass(List<BufferedImage> images, float minScore) {
        int h = images.get(0).getHeight();
        int w = images.get(0).getWidth();
        int perBatch = (int) Math.max(1, BATCH_PIXELS / ((long) w * h));
        List<List<SsdMobileNetV1.Detection>> out = new ArrayList<>(images.size());
        for (int from = 0; from < images.size(); from += perBatch) {
            List<float[]> pixels = images.subList(from, Math.min(images.size(), from + perBatch)).stream()
                    .map(ImagePlanes::chw).toList();
            out.addAll(ssd.detect(pixels, h, w, minScore, NMS_IOU, MAX_FACES));
        }
        return out;
    }

    /** The 68 landmarks of a detection, in the coordinates of the image it was found in. */
    private static double[] landmarksIn(FaceLandmarkNet landmarkNet, BufferedImage image,
                                        SsdMobileNetV1.Detection d) {
        // face-api cuts the box to whole pixels when it crops
        int x0 = (int) Math.max(0, Math.floor(d.x0()));
        int y0 = (int) Math.max(0, Math.floor(d.y0()));
        int x1 = (int) Math.min(image.getWidth(), Math.floor(d.x0()) + Math.floor(d.width()));
        int y1 = (int) Math.min(image.getHeight(), Math.floor(d.y0()) + Math.floor(d.height()));
        if (x1 - x0 < 4 || y1 - y0 < 4) {
            return null;
        }
        BufferedImage crop = image.getSubimage(x0, y0, x1 - x0, y1 - y0);
        double[] p = landmarkNet.landmarks(ImagePlanes.chw(crop), crop.getHeight(), crop.getWidth());
        for (int i = 0; i < p.length; i += 2) {
            p[i] += x0;
            p[i + 1] += y0;
        }
        return p;
    }

    /** A face that passed its second look: its 68 landmarks in the working image and its score. */
    private record Confirmed(double[] points68, float score) {}

    /**
     * The second look at each group of candidates (one face found by one or more passes): best score first, and
     * landmarks are placed only for the candidates looked at; a candidate whose second look fails (a box beside the
     * face, with landmarks that describe no face) gives way to the group's next. The looks of all groups are
     * searched together, one batch per round, since a 160 px look costs the detector more in per-pass overhead
     * than in pixels.
     */
    private List<Confirmed> confirm(BufferedImage image, List<List<Candidate>> groups) {
        int[] next = new int[groups.size()];
        Confirmed[] confirmed = new Confirmed[groups.size()];
        List<Integer> open = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            open.add(g);
        }
        while (!open.isEmpty()) {
            List<Integer> looked = new ArrayList<>();
            List<Look> looks = new ArrayList<>();
            List<Integer> stillOpen = new ArrayList<>();
            for (int g : open) {
                Look look = look(image, groups.get(g).get(next[g]));
                if (look != null) {
                    looked.add(g);
                    looks.add(look);
                } else if (++next[g] < groups.get(g).size()) {
                    stillOpen.add(g);
                }
            }
            List<List<SsdMobileNetV1.Detection>> again = looks.isEmpty() ? List.of()
                    : ssdPass(looks.stream().map(Look::view).toList(), CONFIRM_SCORE);
            for (int i = 0; i < looks.size(); i++) {
                int g = looked.get(i);
                double[] p = confirmedLandmarks(image, looks.get(i), again.get(i));
                if (p != null) {
                    confirmed[g] = new Confirmed(p, groups.get(g).get(next[g]).score());
                } else if (++next[g] < groups.get(g).size()) {
                    stillOpen.add(g);
                }
            }
            stillOpen.sort(null);
            open = stillOpen;
        }
        List<Confirmed> out = new ArrayList<>();
        for (Confirmed c : confirmed) {
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * A candidate's second look: its surroundings turned so the eyes are level, the face filling
     * {@link #CONFIRM_FACE_SHARE} of a small square ({@code view}), with what confirming it needs. Null for a box
     * too small to place landmarks in.
     */
    private record Look(Placed placed, BufferedImage view, double cx, double cy, double angle, double scale) {}

    private Look look(BufferedImage image, Candidate c) {
        Placed placed = c.place(landmarkNet);
        if (placed == null) {
            return null;
        }
        FaceLandmarks five = FaceLandmarkNet.fivePoints(placed.points68());
        double ex = (five.x(FaceLandmarks.LEFT_EYE) + five.x(FaceLandmarks.RIGHT_EYE)) / 2;
        double ey = (five.y(FaceLandmarks.LEFT_EYE) + five.y(FaceLandmarks.RIGHT_EYE)) / 2;
        double mx = (five.x(FaceLandmarks.MOUTH_LEFT) + five.x(FaceLandmarks.MOUTH_RIGHT)) / 2;
        double my = (five.y(FaceLandmarks.MOUTH_LEFT) + five.y(FaceLandmarks.MOUTH_RIGHT)) / 2;
        double angle = eyeLineAngle(five);
        double[] b = bounds(placed.points68());
        double size = Math.max(b[2] - b[0], b[3] - b[1]);
        if (!(size > 0)) {
            return null;
        }
        double scale = CONFIRM_SIDE * CONFIRM_FACE_SHARE / size;
        double cx = (ex + mx) / 2;
        double cy = (ey + my) / 2;
        AffineTransform t = upright(CONFIRM_SIDE, scale, angle, cx, cy);
        BufferedImage view = new BufferedImage(CONFIRM_SIDE, CONFIRM_SIDE, BufferedImage.TYPE_INT_RGB);
        draw(image, view, t);
        return new Look(placed, view, cx, cy, angle, scale);
    }

    /**
     * The look's verdict: it must again contain a face overlapping the landmarks' frame (clothing, hands and
     * patterns that fooled the first look rarely produce a face with a consistent landmark frame). Returns the
     * face's landmarks, or null when it is not confirmed. A face found tilted, or in a shrunk tilted pass, gets its
     * landmarks placed again, upright and at the working image's scale, where the landmark network (trained on
     * upright faces) places them best.
     */
    private double[] confirmedLandmarks(BufferedImage image, Look look, List<SsdMobileNetV1.Detection> again) {
        double centre = CONFIRM_SIDE / 2.0;
        double expected = CONFIRM_SIDE * CONFIRM_FACE_SHARE;
        for (SsdMobileNetV1.Detection d : again) {
            // the face found again must be the one the landmarks describe: centred where they put it (the
            // detector's box reaches higher, to the forehead) and of their size
            double dx = (d.x0() + d.x1()) / 2 - centre;
            double dy = (d.y0() + d.y1()) / 2 - centre;
            double side = Math.max(d.width(), d.height());
            if (Math.hypot(dx, dy) < 0.3 * expected && side > 0.6 * expected && side < 1.6 * expected) {
                return look.placed().upright() ? look.placed().points68()
                        : uprightLandmarks(image, d, look.cx(), look.cy(), look.angle(), look.scale());
            }
        }
        return null;
    }

    /**
     * The 68 landmarks placed in a view of the image turned like the second look but at the image's own
     * scale (a shrunk face loses detail the landmark network needs), framed by the second look's box.
     */
    private double[] uprightLandmarks(BufferedImage image, SsdMobileNetV1.Detection inLook,
                                      double cx, double cy, double angle, double lookScale) {
        int side = (int) Math.ceil(CONFIRM_SIDE / lookScale);
        AffineTransform t = upright(side, 1, angle, cx, cy);
        BufferedImage view = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        draw(image, view, t);
        double half = CONFIRM_SIDE / 2.0;
        SsdMobileNetV1.Detection box = new SsdMobileNetV1.Detection(inLook.score(),
                (inLook.x0() - half) / lookScale + side / 2.0, (inLook.y0() - half) / lookScale + side / 2.0,
                (inLook.x1() - half) / lookScale + side / 2.0, (inLook.y1() - half) / lookScale + side / 2.0);
        double[] p = landmarksIn(landmarkNet, view, box);
        if (p == null) {
            return null;
        }
        try {
            t.inverseTransform(p, 0, p, 0, p.length / 2);
        } catch (java.awt.geom.NoninvertibleTransformException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    /** The angle of the line from the left eye to the right one (radians; 0 for level eyes). */
    private static double eyeLineAngle(FaceLandmarks five) {
        return Math.atan2(five.y(FaceLandmarks.RIGHT_EYE) - five.y(FaceLandmarks.LEFT_EYE),
                five.x(FaceLandmarks.RIGHT_EYE) - five.x(FaceLandmarks.LEFT_EYE));
    }

    /**
     * Image to a {@code side x side} view of the face: the point ({@code cx}, {@code cy}) to the view's centre,
     * turned by {@code -angle} so the eyes are level, scaled by {@code scale}.
     */
    private static AffineTransform upright(int side, double scale, double angle, double cx, double cy) {
        AffineTransform t = new AffineTransform();
        t.translate(side / 2.0, side / 2.0);
        t.scale(scale, scale);
        t.rotate(-angle);
        t.translate(-cx, -cy);
        return t;
    }

    /** Working image to pass image: turn about the centre, scale, and move into a canvas holding it all. */
    private static AffineTransform passTransform(int w, int h, double degrees, double scale) {
        double rad = Math.toRadians(degrees);
        double cos = Math.abs(Math.cos(rad));
        double sin = Math.abs(Math.sin(rad));
        double pw = (w * cos + h * sin) * scale;
        double ph = (w * sin + h * cos) * scale;
        AffineTransform t = new AffineTransform();
        t.translate(Math.ceil(pw) / 2, Math.ceil(ph) / 2);
        t.scale(scale, scale);
        t.rotate(-rad);
        t.translate(-w / 2.0, -h / 2.0);
        return t;
    }

    private static BufferedImage warp(BufferedImage image, AffineTransform t) {
        double[] corners = {0, 0, image.getWidth(), 0, 0, image.getHeight(), image.getWidth(), image.getHeight()};
        t.transform(corners, 0, corners, 0, 4);
        double maxX = 0;
        double maxY = 0;
        for (int i = 0; i < 8; i += 2) {
            maxX = Math.max(maxX, corners[i]);
            maxY = Math.max(maxY, corners[i + 1]);
        }
        BufferedImage out = new BufferedImage(Math.max(1, (int) Math.ceil(maxX)), Math.max(1, (int) Math.ceil(maxY)),
                BufferedImage.TYPE_INT_RGB);
        draw(image, out, t);
        return out;
    }

    private static void draw(BufferedImage from, BufferedImage to, AffineTransform t) {
        Graphics2D g = to.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(from, t, null);
        } finally {
            g.dispose();
        }
    }

    /**
     * The faces less those whose landmark box overlaps a higher-scoring face's by more than {@link #MERGE_IOU}
     * (intersection over union): two candidates too far apart to be merged can still have had their landmarks placed
     * on one face (a box off to one side of a face, whose second look found that face). Only the union counts here,
     * not the share of the smaller box as in merging candidates: a face half hidden behind another lies mostly inside
     * the other's landmark box, and dropping a real face would leave it unprotected.
     */
    static List<DetectedFace> withoutDuplicates(List<DetectedFace> faces) {
        List<DetectedFace> byScore = new ArrayList<>(faces);
        byScore.sort(Comparator.comparingDouble(DetectedFace::confidence).reversed());
        List<DetectedFace> kept = new ArrayList<>();
        for (DetectedFace f : byScore) {
            if (kept.stream().noneMatch(k -> k.box().iou(f.box()) > MERGE_IOU)) {
                kept.add(f);
            }
        }
        return kept;
    }

    /** Boxes overlapping by {@link #MERGE_IOU}, or by 40% of the smaller one, are one face. */
    private static boolean sameFace(Candidate a, Candidate b) {
        double areaA = (a.x1() - a.x0()) * (a.y1() - a.y0());
        double areaB = (b.x1() - b.x0()) * (b.y1() - b.y0());
        double iw = Math.max(0, Math.min(a.x1(), b.x1()) - Math.max(a.x0(), b.x0()));
        double ih = Math.max(0, Math.min(a.y1(), b.y1()) - Math.max(a.y0(), b.y0()));
        double inter = iw * ih;
        return inter > 0 && (inter / (areaA + areaB - inter) > MERGE_IOU || inter / Math.min(areaA, areaB) > 0.4);
    }

    private static double[] bounds(double[] p) {
        double x0 = Double.MAX_VALUE;
        double y0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = -Double.MAX_VALUE;
        for (int i = 0; i < p.length; i += 2) {
            x0 = Math.min(x0, p[i]);
            x1 = Math.max(x1, p[i]);
            y0 = Math.min(y0, p[i + 1]);
            y1 = Math.max(y1, p[i + 1]);
        }
        return new double[] {x0, y0, x1, y1};
    }

    /** The landmarks' bounding box clipped to the image, or null when nothing of it is inside. */
    private static FaceBox boundingBox(double[] p, int w, int h) {
        double[] b = bounds(p);
        int x0 = (int) Math.max(0, Math.floor(b[0]));
        int y0 = (int) Math.max(0, Math.floor(b[1]));
        int x1 = (int) Math.min(w, Math.ceil(b[2]));
        int y1 = (int) Math.min(h, Math.ceil(b[3]));
        if (x1 - x0 < 1 || y1 - y0 < 1) {
            return null;
        }
        return new FaceBox(x0, y0, x1 - x0, y1 - y0);
    }

    private static BufferedImage toRgb(BufferedImage img) {
        // packed RGB: the passes read their pixels straight from it (ImagePlanes)
        if (img.getType() == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return rgb;
    }

    /** Averages {@code factor x factor} blocks (an image larger than the working size, from a direct call). */
    private static BufferedImage shrink(BufferedImage img, int factor) {
        int w = img.getWidth() / factor;
        int h = img.getHeight() / factor;
        BufferedImage out = new BufferedImage(Math.max(1, w), Math.max(1, h), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[img.getWidth()];
        long[] acc = new long[3 * Math.max(1, w)];
        int n = factor * factor;
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0);
            for (int dy = 0; dy < factor; dy++) {
                img.getRGB(0, y * factor + dy, img.getWidth(), 1, row, 0, img.getWidth());
                for (int x = 0; x < w * factor; x++) {
                    int v = row[x];
                    int o = 3 * (x / factor);
                    acc[o] += (v >> 16) & 0xFF;
                    acc[o + 1] += (v >> 8) & 0xFF;
                    acc[o + 2] += v & 0xFF;
                }
            }
            for (int x = 0; x < w; x++) {
                int r = (int) (acc[3 * x] / n);
                int g = (int) (acc[3 * x + 1] / n);
                int b = (int) (acc[3 * x + 2] / n);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    @Override
    public void close() {
        ssd.close();
        landmarkNet.close();
    }
}
