package org.segue.engine.photo;

import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

/**
 * The default detector: OpenCV's cascades (Haar for frontal faces, the faster LBP cascade for
 * profile faces looking either way), run on a histogram-equalised grey image, with overlapping hits merged. The cascades ship
 * inside the OpenCV natives jar, so nothing is downloaded. Calls are serialised: a cascade
 * classifier is not safe for concurrent use.
 */
public final class OpenCvFaceDetector implements FaceDetector {

    /** Photos are shrunk to this longer side before detection (faces below ~20 px there are missed). */
    public static final int DEFAULT_WORKING_SIZE = 1600;

    private static final String CASCADES = "/org/bytedeco/opencv/" + Loader.getPlatform() + "/share/opencv4/";

    private final CascadeClassifier frontal;
    private final CascadeClassifier profile;
    private final int workingSize;

    public OpenCvFaceDetector() throws IOException {
        this(DEFAULT_WORKING_SIZE);
    }

    public OpenCvFaceDetector(int workingSize) throws IOException {
        if (workingSize < 64) {
            throw new IllegalArgumentException("detector working size must be at least 64, was " + workingSize);
        }
        this.workingSize = workingSize;
        this.frontal = cascade("haarcascades/haarcascade_frontalface_alt2.xml");
        this.profile = cascade("lbpcascades/lbpcascade_profileface.xml");
    }

    private static CascadeClassifier cascade(String name) throws IOException {
        File file;
        try {
            file = Loader.cacheResource(OpenCvFaceDetector.class, CASCADES + name);
        } catch (IOException e) {
            throw new IOException("cannot unpack the face-detection cascade " + name + ": " + e.getMessage(), e);
        }
        if (file == null) {
            throw new IOException("the face-detection cascade " + name + " is missing from the OpenCV natives jar");
        }
        CascadeClassifier classifier = new CascadeClassifier(file.getAbsolutePath());
        if (classifier.empty()) {
            throw new IOException("the face-detection cascade " + name + " could not be loaded");
        }
        return classifier;
    }

    @Override
    public int workingSize() {
        return workingSize;
    }

    @Override
    public String name() {
        return "opencv cascades (haar frontalface_alt2 + lbp profileface, both ways)";
    }

    private record Hit(FaceBox box, int rank) {}

    /**
     * Ratio between the pyramid's scales; the cascades' cost is roughly proportional to 1 / ln(step).
     * 1.15 would cut detection of a 24 MP photo from 0.55 to 0.44 s but finds faces in 143 instead of
     * 146 of the 150 celeba-wild photos (docs/performance.md): a missed face is an unprotected face.
     */
    static final double SCALE_STEP = 1.1;

    @Override
    public synchronized List<FaceBox> detect(BufferedImage uprightRgb) {
        int w = uprightRgb.getWidth();
        int h = uprightRgb.getHeight();
        if (w < 20 || h < 20) {
            return List.of();
        }
        byte[] grey = grey(uprightRgb);
        int minSide = Math.max(20, Math.min(w, h) / 40);
        List<Hit> hits = new ArrayList<>();
        try (Mat image = new Mat(h, w, CV_8UC1); Mat mirrored = new Mat();
             Size min = new Size(minSide, minSide); Size max = new Size()) {
            image.data().put(grey, 0, grey.length);
            equalizeHist(image, image);
            collect(frontal, image, min, max, 4, false, w, hits, 0);
            collect(profile, image, min, max, 5, false, w, hits, 1);
            flip(image, mirrored, 1); // the profile cascade only knows faces looking one way
            collect(profile, mirrored, min, max, 5, true, w, hits, 1);
        }
        return merge(hits);
    }

    private static void collect(CascadeClassifier cascade, Mat image, Size min, Size max, int neighbours,
                                boolean mirrored, int width, List<Hit> hits, int rank) {
        try (RectVector found = new RectVector()) {
            cascade.detectMultiScale(image, found, SCALE_STEP, neighbours, 0, min, max);
            for (long i = 0; i < found.size(); i++) {
                Rect r = found.get(i);
                int x = mirrored ? width - r.x() - r.width() : r.x();
                hits.add(new Hit(new FaceBox(x, r.y(), r.width(), r.height()), rank));
            }
        }
    }

    /** Frontal hits first, then larger; a hit mostly inside one already kept is the same face. */
    private static List<FaceBox> merge(List<Hit> hits) {
        hits.sort(Comparator.comparingInt(Hit::rank)
                .thenComparing(hit -> -(long) hit.box().width() * hit.box().height()));
        List<FaceBox> kept = new ArrayList<>();
        for (Hit hit : hits) {
            if (kept.stream().noneMatch(k -> k.overlapOfSmaller(hit.box()) > 0.4)) {
                kept.add(hit.box());
            }
        }
        kept.sort(Comparator.comparingInt(FaceBox::x).thenComparingInt(FaceBox::y)); // stable face order
        return kept;
    }

    /** BT.601 luma of an 8-bit RGB image. */
    private static byte[] grey(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        byte[] out = new byte[w * h];
        if (rgb.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < out.length; i++) {
                int b = bgr[3 * i] & 0xFF;
                int g = bgr[3 * i + 1] & 0xFF;
                int r = bgr[3 * i + 2] & 0xFF;
                out[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                rgb.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    out[y * w + x] = (byte) ((299 * ((p >> 16) & 0xFF) + 587 * ((p >> 8) & 0xFF) + 114 * (p & 0xFF) + 500) / 1000);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void close() {
        frontal.close();
        profile.close();
    }
}
