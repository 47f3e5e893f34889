package org.segue.engine.face;

/**
 * A similarity transform of the plane (rotation, uniform scale, translation; never a reflection):
 * {@code x' = a x - b y + tx}, {@code y' = b x + a y + ty}. The scale is {@code hypot(a, b)} and the
 * rotation {@code atan2(b, a)}.
 *
 * <p>Fitted to landmarks it encodes where a face is, how large and how tilted: {@link #toString} keeps
 * that out of logs.
 */
public record Similarity(double a, double b, double tx, double ty) {

    /** Below this spread (root mean square distance to the centroid, in pixels) points carry no orientation. */
    static final double MIN_SPREAD = 1e-3;

    public Similarity {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(tx) || !Double.isFinite(ty)) {
            throw new IllegalArgumentException("a similarity transform needs finite parameters");
        }
        if (a == 0 && b == 0) {
            throw new IllegalArgumentException("a similarity transform needs a non-zero scale");
        }
    }

    /**
     * The least-squares similarity taking the points {@code from} onto the points {@code to} (both
     * {@code x0, y0, x1, y1, ...}), i.e. Umeyama's estimate restricted to the plane, where it has this closed
     * form and never reflects: with both point sets centred, {@code a = sum(p.q) / sum(|p|^2)} and
     * {@code b = sum(p x q) / sum(|p|^2)}.
     *
     * @throws IllegalArgumentException when the point counts differ, there are fewer than two points, a
     *     coordinate is not finite, or the {@code from} points (nearly) coincide
     */
    public static Similarity fit(double[] from, double[] to) {
        if (from == null || to == null || from.length != to.length || from.length < 4 || from.length % 2 != 0) {
            throw new IllegalArgumentException("a similarity fit needs two equally long lists of at least two points");
        }
        for (int i = 0; i < from.length; i++) {
            if (!Double.isFinite(from[i]) || !Double.isFinite(to[i])) {
                throw new IllegalArgumentException("face landmarks must be finite numbers to align a face");
            }
        }
        int n = from.length / 2;
        double fx = 0, fy = 0, tox = 0, toy = 0;
        for (int i = 0; i < n; i++) {
            fx += from[2 * i];
            fy += from[2 * i + 1];
            tox += to[2 * i];
            toy += to[2 * i + 1];
        }
        fx /= n;
        fy /= n;
        tox /= n;
        toy /= n;
        double norm = 0, dot = 0, cross = 0;
        for (int i = 0; i < n; i++) {
            double px = from[2 * i] - fx, py = from[2 * i + 1] - fy;
            double qx = to[2 * i] - tox, qy = to[2 * i + 1] - toy;
            norm += px * px + py * py;
            dot += px * qx + py * qy;
            cross += px * qy - py * qx;
        }
        if (!(Math.sqrt(norm / n) >= MIN_SPREAD)) {
            throw new IllegalArgumentException("the face landmarks (nearly) coincide: they fix no size or "
                    + "orientation, so the face cannot be aligned");
        }
        double a = dot / norm;
        double b = cross / norm;
        if (Math.hypot(a, b) == 0 || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("the target points coincide: no alignment maps a face onto them");
        }
        return new Similarity(a, b, tox - (a * fx - b * fy), toy - (b * fx + a * fy));
    }

    public double mapX(double x, double y) {
        return a * x - b * y + tx;
    }

    public double mapY(double x, double y) {
        return b * x + a * y + ty;
    }

    /** Uniform scale factor. */
    public double scale() {
        return Math.hypot(a, b);
    }

    /** Rotation in radians (counter-clockwise in x-right, y-up terms; clockwise on screen, where y points down). */
    public double angle() {
        return Math.atan2(b, a);
    }

    public Similarity inverse() {
        double d = a * a + b * b;
        double ia = a / d;
        double ib = -b / d;
        return new Similarity(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    /** This transform after {@code first}: {@code this(first(p))}. */
    public Similarity after(Similarity first) {
        return new Similarity(a * first.a - b * first.b, b * first.a + a * first.b,
                mapX(first.tx, first.ty), mapY(first.tx, first.ty));
    }

    /** Without parameters: fitted to landmarks they say where a face is and how it is turned. */
    @Override
    public String toString() {
        return "Similarity[...]";
    }
}
