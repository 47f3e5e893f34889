package org.segue.engine.spi;

import java.util.Arrays;

/**
 * Five facial points of one face in pixel coordinates (x right, y down, of the image they were found in),
 * in a fixed order: the eye on the image's left, the eye on the image's right, the nose tip, the mouth
 * corner on the image's left, the mouth corner on the image's right. Eyes are the pupils' centres. These
 * are what face alignment needs: a similarity transform from them to a canonical face template puts every
 * face's features on the same points. They are biometric data: never log or write them.
 */
public record FaceLandmarks(double[] xy) {

    /** Number of points. */
    public static final int POINTS = 5;

    public static final int LEFT_EYE = 0;
    public static final int RIGHT_EYE = 1;
    public static final int NOSE = 2;
    public static final int MOUTH_LEFT = 3;
    public static final int MOUTH_RIGHT = 4;

    public FaceLandmarks {
        if (xy == null || xy.length != 2 * POINTS) {
            throw new IllegalArgumentException("five landmarks need 10 coordinates");
        }
        for (double v : xy) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("landmark coordinates must be finite");
            }
        }
        xy = xy.clone();
    }

    @Override
    public double[] xy() {
        return xy.clone();
    }

    public double x(int point) {
        return xy[2 * point];
    }

    public double y(int point) {
        return xy[2 * point + 1];
    }

    /** These points in an image {@code factor} times larger (e.g. from a detector's shrunk view back to full size). */
    public FaceLandmarks scaled(double factor) {
        double[] s = xy.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] *= factor;
        }
        return new FaceLandmarks(s);
    }

    /** These points moved by (dx, dy). */
    public FaceLandmarks translated(double dx, double dy) {
        double[] s = xy.clone();
        for (int i = 0; i < POINTS; i++) {
            s[2 * i] += dx;
            s[2 * i + 1] += dy;
        }
        return new FaceLandmarks(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaceLandmarks other && Arrays.equals(xy, other.xy);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xy);
    }

    /** Deliberately without coordinates: landmarks must not reach logs through a string. */
    @Override
    public String toString() {
        return "FaceLandmarks[5 points]";
    }
}
