package org.segue.engine.photo;

import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceLandmarks;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;

/**
 * The EXIF orientation (TIFF tag 274, values 1..8): how the stored pixel grid must be flipped or
 * rotated to be seen upright. Faces are detected and protected in the upright view (a face lying on
 * its side is not found by an upright detector), while the stored pixels keep their grid so that
 * every pixel outside the faces stays as it was.
 */
public enum Orientation {
    NORMAL(1), MIRROR_HORIZONTAL(2), ROTATE_180(3), MIRROR_VERTICAL(4),
    TRANSPOSE(5), ROTATE_90_CW(6), TRANSVERSE(7), ROTATE_270_CW(8);

    private final int exifValue;

    Orientation(int exifValue) {
        this.exifValue = exifValue;
    }

    public int exifValue() {
        return exifValue;
    }

    /** The orientation for an EXIF value; values outside 1..8 are treated as upright, as viewers do. */
    public static Orientation ofExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    /** The orientation an encoded photo declares; upright where there is none or its metadata cannot be read. */
    public static Orientation of(byte[] encodedPhoto) {
        return PhotoCodec.readOrientation(encodedPhoto);
    }

    /** Whether upright width and height are the stored height and width. */
    public boolean swapsAxes() {
        return exifValue >= 5;
    }

    public int uprightWidth(int storedWidth, int storedHeight) {
        return swapsAxes() ? storedHeight : storedWidth;
    }

    public int uprightHeight(int storedWidth, int storedHeight) {
        return swapsAxes() ? storedWidth : storedHeight;
    }

    /** Upright column of stored pixel (x, y) in a stored image of size w x h. */
    int uprightX(int x, int y, int w, int h) {
        return switch (this) {
            case NORMAL, MIRROR_VERTICAL -> x;
            case MIRROR_HORIZONTAL, ROTATE_180 -> w - 1 - x;
            case TRANSPOSE, ROTATE_270_CW -> y;
            case ROTATE_90_CW, TRANSVERSE -> h - 1 - y;
        };
    }

    /** Upright row of stored pixel (x, y) in a stored image of size w x h. */
    int uprightY(int x, int y, int w, int h) {
        return switch (this) {
            case NORMAL, MIRROR_HORIZONTAL -> y;
            case ROTATE_180, MIRROR_VERTICAL -> h - 1 - y;
            case TRANSPOSE, ROTATE_90_CW -> x;
            case TRANSVERSE, ROTATE_270_CW -> w - 1 - x;
        };
    }

    /** The stored-grid rectangle that shows as {@code upright} in an upright view of a w x h stored image. */
    public FaceBox toStored(FaceBox upright, int storedWidth, int storedHeight) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        // the four corner pixels of the upright box land on the four corners of the stored box
        int uw = uprightWidth(storedWidth, storedHeight);
        int uh = uprightHeight(storedWidth, storedHeight);
        int[][] corners = {{upright.x(), upright.y()}, {upright.right() - 1, upright.y()},
                {upright.x(), upright.bottom() - 1}, {upright.right() - 1, upright.bottom() - 1}};
        for (int[] c : corners) {
            int sx = storedX(c[0], c[1], uw, uh);
            int sy = storedY(c[0], c[1], uw, uh);
            x0 = Math.min(x0, sx);
            y0 = Math.min(y0, sy);
            x1 = Math.max(x1, sx);
            y1 = Math.max(y1, sy);
        }
        return new FaceBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** The upright rectangle that {@code stored} (a rectangle of a w x h stored image) shows as: the inverse of {@link #toStored}. */
    public FaceBox toUpright(FaceBox stored, int storedWidth, int storedHeight) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        int[][] corners = {{stored.x(), stored.y()}, {stored.right() - 1, stored.y()},
                {stored.x(), stored.bottom() - 1}, {stored.right() - 1, stored.bottom() - 1}};
        for (int[] c : corners) {
            int ux = uprightX(c[0], c[1], storedWidth, storedHeight);
            int uy = uprightY(c[0], c[1], storedWidth, storedHeight);
            x0 = Math.min(x0, ux);
            y0 = Math.min(y0, uy);
            x1 = Math.max(x1, ux);
            y1 = Math.max(y1, uy);
        }
        return new FaceBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
    }

    /** Stored column of upright pixel (u, v) in an upright image of size uw x uh. */
    private int storedX(int u, int v, int uw, int uh) {
        return switch (this) {
            case NORMAL, MIRROR_VERTICAL -> u;
            case MIRROR_HORIZONTAL, ROTATE_180 -> uw - 1 - u;
            case TRANSPOSE, ROTATE_90_CW -> v;
            case TRANSVERSE, ROTATE_270_CW -> uh - 1 - v;
        };
    }

    /** Whether the upright view is a mirror image of the stored grid (the face's left and right swap sides). */
    public boolean mirrors() {
        return this == MIRROR_HORIZONTAL || this == MIRROR_VERTICAL || this == TRANSPOSE || this == TRANSVERSE;
    }

    /** Landmarks of a w x h stored image (pixel centres at whole coordinates) in its upright view. */
    public FaceLandmarks toUpright(FaceLandmarks stored, int w, int h) {
        double[] out = new double[2 * FaceLandmarks.POINTS];
        for (int i = 0; i < FaceLandmarks.POINTS; i++) {
            double x = stored.x(i);
            double y = stored.y(i);
            out[2 * i] = switch (this) {
                case NORMAL, MIRROR_VERTICAL -> x;
                case MIRROR_HORIZONTAL, ROTATE_180 -> w - 1 - x;
                case TRANSPOSE, ROTATE_270_CW -> y;
                case ROTATE_90_CW, TRANSVERSE -> h - 1 - y;
            };
            out[2 * i + 1] = switch (this) {
                case NORMAL, MIRROR_HORIZONTAL -> y;
                case ROTATE_180, MIRROR_VERTICAL -> h - 1 - y;
                case TRANSPOSE, ROTATE_90_CW -> x;
                case TRANSVERSE, ROTATE_270_CW -> w - 1 - x;
            };
        }
        return new FaceLandmarks(mirrors() ? swapSides(out) : out);
    }

    /** Landmarks of the upright view of a w x h stored image in the stored grid. */
    public FaceLandmarks toStored(FaceLandmarks upright, int w, int h) {
        int uw = uprightWidth(w, h);
        int uh = uprightHeight(w, h);
        double[] out = new double[2 * FaceLandmarks.POINTS];
        for (int i = 0; i < FaceLandmarks.POINTS; i++) {
            double u = upright.x(i);
            double v = upright.y(i);
            out[2 * i] = switch (this) {
                case NORMAL, MIRROR_VERTICAL -> u;
                case MIRROR_HORIZONTAL, ROTATE_180 -> uw - 1 - u;
                case TRANSPOSE, ROTATE_90_CW -> v;
                case TRANSVERSE, ROTATE_270_CW -> uh - 1 - v;
            };
            out[2 * i + 1] = switch (this) {
                case NORMAL, MIRROR_HORIZONTAL -> v;
                case ROTATE_180, MIRROR_VERTICAL -> uh - 1 - v;
                case TRANSPOSE, ROTATE_270_CW -> u;
                case ROTATE_90_CW, TRANSVERSE -> uw - 1 - u;
            };
        }
        return new FaceLandmarks(mirrors() ? swapSides(out) : out);
    }

    /** In a mirror image the eye on the image's left is the other eye: the points keep their image-side order. */
    private static double[] swapSides(double[] xy) {
        double[] s = xy.clone();
        swap(s, FaceLandmarks.LEFT_EYE, FaceLandmarks.RIGHT_EYE);
        swap(s, FaceLandmarks.MOUTH_LEFT, FaceLandmarks.MOUTH_RIGHT);
        return s;
    }

    private static void swap(double[] xy, int a, int b) {
        for (int k = 0; k < 2; k++) {
            double t = xy[2 * a + k];
            xy[2 * a + k] = xy[2 * b + k];
            xy[2 * b + k] = t;
        }
    }

    /** Stored row of upright pixel (u, v) in an upright image of size uw x uh. */
    private int storedY(int u, int v, int uw, int uh) {
        return switch (this) {
            case NORMAL, MIRROR_HORIZONTAL -> v;
            case ROTATE_180, MIRROR_VERTICAL -> uh - 1 - v;
            case TRANSPOSE, ROTATE_270_CW -> u;
            case ROTATE_90_CW, TRANSVERSE -> uw - 1 - u;
        };
    }

    /** Planar data (planes x h x w, stored grid) seen upright (planes x uh x uw). */
    public float[] planesToUpright(float[] stored, int planes, int h, int w) {
        if (this == NORMAL) {
            return stored;
        }
        int uw = uprightWidth(w, h);
        int uh = uprightHeight(w, h);
        float[] out = new float[stored.length];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(p * uh + uprightY(x, y, w, h)) * uw + uprightX(x, y, w, h)] = stored[(p * h + y) * w + x];
                }
            }
        }
        return out;
    }

    /** One plane of integer samples (h x w, stored grid) seen upright. */
    public int[] planeToUpright(int[] stored, int h, int w) {
        if (this == NORMAL) {
            return stored;
        }
        int uw = uprightWidth(w, h);
        int[] out = new int[stored.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[uprightY(x, y, w, h) * uw + uprightX(x, y, w, h)] = stored[y * w + x];
            }
        }
        return out;
    }

    /** The inverse of {@link #planesToUpright}: upright planes of a stored h x w region back to the stored grid. */
    public float[] planesToStored(float[] upright, int planes, int h, int w) {
        if (this == NORMAL) {
            return upright;
        }
        int uw = uprightWidth(w, h);
        int uh = uprightHeight(w, h);
        float[] out = new float[upright.length];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(p * h + y) * w + x] = upright[(p * uh + uprightY(x, y, w, h)) * uw + uprightX(x, y, w, h)];
                }
            }
        }
        return out;
    }

    /**
     * The whole image turned upright, pixel for pixel (any raster layout): used where the output
     * format cannot carry the orientation tag, so the upright pixels are written instead.
     */
    public BufferedImage applyTo(BufferedImage stored) {
        if (this == NORMAL) {
            return stored;
        }
        int w = stored.getWidth();
        int h = stored.getHeight();
        WritableRaster src = stored.getRaster();
        WritableRaster dst = src.createCompatibleWritableRaster(uprightWidth(w, h), uprightHeight(w, h));
        Object pixel = null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                pixel = src.getDataElements(x, y, pixel);
                dst.setDataElements(uprightX(x, y, w, h), uprightY(x, y, w, h), pixel);
            }
        }
        return new BufferedImage(stored.getColorModel(), dst, stored.isAlphaPremultiplied(), null);
    }
}
