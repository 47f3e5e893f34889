package org.segue.engine.visibility;

/**
 * The CIEDE2000 colour difference of two CIELAB colours (CIE 142-2001; implemented as in Sharma, Wu and Dalal,
 * "The CIEDE2000 color-difference formula: implementation notes", 2005, with k_L = k_C = k_H = 1). About 1 is
 * the smallest difference most observers notice between two flat patches side by side.
 */
public final class Ciede2000 {

    private static final double POW25_7 = Math.pow(25, 7);

    private Ciede2000() {}

    /** Delta E 2000 between {@code (l1, a1, b1)} and {@code (l2, a2, b2)}. */
    public static double difference(double l1, double a1, double b1, double l2, double a2, double b2) {
        double c1 = Math.hypot(a1, b1);
        double c2 = Math.hypot(a2, b2);
        double cMean7 = Math.pow((c1 + c2) / 2, 7);
        double g = 0.5 * (1 - Math.sqrt(cMean7 / (cMean7 + POW25_7)));
        double a1p = (1 + g) * a1;
        double a2p = (1 + g) * a2;
        double c1p = Math.hypot(a1p, b1);
        double c2p = Math.hypot(a2p, b2);
        double h1p = hueDegrees(b1, a1p);
        double h2p = hueDegrees(b2, a2p);

        double dL = l2 - l1;
        double dC = c2p - c1p;
        double dh;
        if (c1p * c2p == 0) {
            dh = 0;
        } else if (Math.abs(h2p - h1p) <= 180) {
            dh = h2p - h1p;
        } else if (h2p - h1p > 180) {
            dh = h2p - h1p - 360;
        } else {
            dh = h2p - h1p + 360;
        }
        double dH = 2 * Math.sqrt(c1p * c2p) * Math.sin(Math.toRadians(dh / 2));

        double lMean = (l1 + l2) / 2;
        double cMeanP = (c1p + c2p) / 2;
        double hMean;
        if (c1p * c2p == 0) {
            hMean = h1p + h2p;
        } else if (Math.abs(h1p - h2p) <= 180) {
            hMean = (h1p + h2p) / 2;
        } else if (h1p + h2p < 360) {
            hMean = (h1p + h2p + 360) / 2;
        } else {
            hMean = (h1p + h2p - 360) / 2;
        }
        double t = 1 - 0.17 * cosDeg(hMean - 30) + 0.24 * cosDeg(2 * hMean) + 0.32 * cosDeg(3 * hMean + 6)
                - 0.20 * cosDeg(4 * hMean - 63);
        double dTheta = 30 * Math.exp(-Math.pow((hMean - 275) / 25, 2));
        double cMeanP7 = Math.pow(cMeanP, 7);
        double rC = 2 * Math.sqrt(cMeanP7 / (cMeanP7 + POW25_7));
        double lOff2 = (lMean - 50) * (lMean - 50);
        double sL = 1 + 0.015 * lOff2 / Math.sqrt(20 + lOff2);
        double sC = 1 + 0.045 * cMeanP;
        double sH = 1 + 0.015 * cMeanP * t;
        double rT = -Math.sin(Math.toRadians(2 * dTheta)) * rC;
        double l = dL / sL;
        double c = dC / sC;
        double h = dH / sH;
        return Math.sqrt(l * l + c * c + h * h + rT * c * h);
    }

    /** Hue angle in degrees in [0, 360); 0 for a colour without chroma. */
    private static double hueDegrees(double b, double a) {
        if (a == 0 && b == 0) {
            return 0;
        }
        double h = Math.toDegrees(Math.atan2(b, a));
        return h < 0 ? h + 360 : h;
    }

    private static double cosDeg(double degrees) {
        return Math.cos(Math.toRadians(degrees));
    }
}
