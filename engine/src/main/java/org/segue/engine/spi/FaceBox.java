package org.segue.engine.spi;

/**
 * An axis-aligned rectangle in pixel coordinates (x, y of the top-left pixel; width and height in
 * pixels), used for detected faces and the regions the product changes.
 */
public record FaceBox(int x, int y, int width, int height) {

    public FaceBox {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("a box needs a positive size, got " + width + "x" + height);
        }
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public boolean contains(int px, int py) {
        return px >= x && px < right() && py >= y && py < bottom();
    }

    /** Fraction of the smaller box covered by the overlap of the two (1 when one holds the other). */
    public double overlapOfSmaller(FaceBox other) {
        int ix = Math.max(0, Math.min(right(), other.right()) - Math.max(x, other.x));
        int iy = Math.max(0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
        double smaller = Math.min((double) width * height, (double) other.width * other.height);
        return ix * (double) iy / smaller;
    }

    /** Intersection over union of the two boxes (0 when they do not overlap, 1 when they are the same). */
    public double iou(FaceBox other) {
        double inter = Math.max(0, Math.min(right(), other.right()) - Math.max(x, other.x))
                * (double) Math.max(0, Math.min(bottom(), other.bottom()) - Math.max(y, other.y));
        return inter / ((double) width * height + (double) other.width * other.height - inter);
    }

    /**
     * The square around this box's centre whose side is the box's larger side times
     * {@code 1 + 2 * margin}, clipped to an image of the given size. Detectors return tight boxes
     * (brows to mouth); the generator was trained on crops with hair, ears and chin in view.
     */
    public FaceBox expandedSquare(double margin, int imageWidth, int imageHeight) {
        if (!(margin >= 0) || margin > 2) {
            throw new IllegalArgumentException("face margin must be in [0, 2], was " + margin);
        }
        double side = Math.max(width, height) * (1 + 2 * margin);
        double cx = x + width / 2.0;
        double cy = y + height / 2.0;
        int x0 = (int) Math.max(0, Math.floor(cx - side / 2));
        int y0 = (int) Math.max(0, Math.floor(cy - side / 2));
        int x1 = (int) Math.min(imageWidth, Math.ceil(cx + side / 2));
        int y1 = (int) Math.min(imageHeight, Math.ceil(cy + side / 2));
        return new FaceBox(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }

    /** This box scaled by {@code factor} (e.g. from a preview back to full resolution), clipped. */
    public FaceBox scaled(double factor, int imageWidth, int imageHeight) {
        int x0 = (int) Math.max(0, Math.floor(x * factor));
        int y0 = (int) Math.max(0, Math.floor(y * factor));
        int x1 = (int) Math.min(imageWidth, Math.ceil(right() * factor));
        int y1 = (int) Math.min(imageHeight, Math.ceil(bottom() * factor));
        return new FaceBox(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
    }
}
