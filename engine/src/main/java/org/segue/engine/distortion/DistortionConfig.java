package org.segue.engine.distortion;

/**
 * Which real-world processing the protected image goes through before the surrogate sees it while
 * the generator trains, so that the protection learned survives that processing. Every part is
 * switchable. {@link #authors()} is what the authors' code uses; {@link #robust()} adds the two
 * parts real sharing needs (JPEG and resizing).
 *
 * @param blurSigma    Gaussian blur 3x3 with this sigma; 0 disables it
 * @param sharpness    sharpness factor (torchvision adjust_sharpness); 1 disables it
 * @param hflipP       probability of a horizontal flip, per image
 * @param vflipP       probability of a vertical flip, per image
 * @param jpegP        probability that a batch goes through the differentiable JPEG approximation
 * @param jpegQualityMin lowest JPEG quality drawn
 * @param jpegQualityMax highest JPEG quality drawn
 * @param rescaleP     probability that a batch is down-scaled (antialiased) and scaled back up
 * @param rescaleMaxFactor largest down-scaling factor drawn (uniform in [1, max])
 * @param adversarialRadius rho_d: L-inf radius of the adversarial perturbation; 0 disables it
 * @param adversarialSteps PGD steps for it (step size radius / steps)
 * @param cropP        probability that a batch is re-framed: each image is cropped to a random
 *                     window (area {@code cropMinScale}..1, aspect 0.9..1.1, anywhere in the image,
 *                     so it is also shifted) and resized back, as an attacker's re-alignment and
 *                     random-resized-crop augmentation do
 * @param cropMinScale smallest area fraction of such a crop
 * @param colourJitter largest relative change of brightness and of contrast per image; 0 disables it
 * @param viewP        probability that a batch is seen at a smaller size: area-resized (antialiased,
 *                     as an attacker resizes faces to its own input size) to a side drawn uniformly
 *                     from {@code viewMinSize}..the image's side, and classified at that size. Unlike
 *                     {@code rescale}, which scales back up, the surrogate itself works at the
 *                     attacker's resolution, where its receptive fields cover more of the face
 * @param viewMinSize  smallest side of such a view (pixels)
 * @param cropMaxRotation in a re-framed batch, each image is also rotated about its centre by an angle
 *                     drawn uniformly from +-this many degrees (0: crops only), as a re-aligned face is
 * @param adversarialOnSurrogateInput where rho_d acts. false: on the generator's input, as the authors'
 *                     code applies it. true: on the protected image at the training size, before the
 *                     other distortions (where an attacker's adversarial training perturbs its input),
 *                     and the surrogate also trains on such images, so the generator learns noise whose
 *                     shortcut survives an attacker's adversarial training of that radius (robust
 *                     error-minimising noise, REM, Fu et al. 2022: min over the noise, max over rho)
 */
public record DistortionConfig(float blurSigma, float sharpness, float hflipP, float vflipP,
        float jpegP, int jpegQualityMin, int jpegQualityMax, float rescaleP, float rescaleMaxFactor,
        float adversarialRadius, int adversarialSteps, float cropP, float cropMinScale, float colourJitter,
        float viewP, int viewMinSize, float cropMaxRotation, boolean adversarialOnSurrogateInput) {

    /** A configuration with rho_d on the generator's input, as the authors'. */
    public DistortionConfig(float blurSigma, float sharpness, float hflipP, float vflipP,
            float jpegP, int jpegQualityMin, int jpegQualityMax, float rescaleP, float rescaleMaxFactor,
            float adversarialRadius, int adversarialSteps, float cropP, float cropMinScale, float colourJitter,
            float viewP, int viewMinSize, float cropMaxRotation) {
        this(blurSigma, sharpness, hflipP, vflipP, jpegP, jpegQualityMin, jpegQualityMax, rescaleP, rescaleMaxFactor,
                adversarialRadius, adversarialSteps, cropP, cropMinScale, colourJitter, viewP, viewMinSize,
                cropMaxRotation, false);
    }

    /** A configuration without re-framing and colour jitter. */
    public DistortionConfig(float blurSigma, float sharpness, float hflipP, float vflipP,
            float jpegP, int jpegQualityMin, int jpegQualityMax, float rescaleP, float rescaleMaxFactor,
            float adversarialRadius, int adversarialSteps) {
        this(blurSigma, sharpness, hflipP, vflipP, jpegP, jpegQualityMin, jpegQualityMax, rescaleP, rescaleMaxFactor,
                adversarialRadius, adversarialSteps, 0f, 1f, 0f, 0f, 1, 0f, false);
    }

    public DistortionConfig {
        requireProbability(cropP, "cropP");
        requireProbability(viewP, "viewP");
        if (viewMinSize < 1) {
            throw new IllegalArgumentException("view size must be at least 1 pixel, was " + viewMinSize);
        }
        if (!(cropMinScale > 0f && cropMinScale <= 1f)) {
            throw new IllegalArgumentException("crop scale must be in (0, 1], was " + cropMinScale);
        }
        if (!(cropMaxRotation >= 0f && cropMaxRotation <= 45f)) {
            throw new IllegalArgumentException("re-framing rotation must be in [0, 45] degrees, was " + cropMaxRotation);
        }
        if (!(colourJitter >= 0f && colourJitter < 1f)) {
            throw new IllegalArgumentException("colour jitter must be in [0, 1), was " + colourJitter);
        }
        requireProbability(hflipP, "hflipP");
        requireProbability(vflipP, "vflipP");
        requireProbability(jpegP, "jpegP");
        requireProbability(rescaleP, "rescaleP");
        if (jpegQualityMin < 1 || jpegQualityMax > 100 || jpegQualityMin > jpegQualityMax) {
            throw new IllegalArgumentException("JPEG quality range must lie in 1..100, was "
                    + jpegQualityMin + ".." + jpegQualityMax);
        }
        if (rescaleMaxFactor < 1f) {
            throw new IllegalArgumentException("rescale factor must be >= 1, was " + rescaleMaxFactor);
        }
        if (blurSigma < 0 || sharpness < 0 || adversarialRadius < 0 || adversarialSteps < 0) {
            throw new IllegalArgumentException("distortion strengths must not be negative");
        }
    }

    /**
     * The record's own form, without the rotation where there is none and without where rho_d acts
     * where it is the generator's input: a checkpoint compares this text before it resumes, and one
     * written before these parts existed must still resume.
     */
    @Override
    public String toString() {
        String all = String.format(java.util.Locale.ROOT, "DistortionConfig[blurSigma=%s, sharpness=%s, hflipP=%s, "
                + "vflipP=%s, jpegP=%s, jpegQualityMin=%d, jpegQualityMax=%d, rescaleP=%s, rescaleMaxFactor=%s, "
                + "adversarialRadius=%s, adversarialSteps=%d, cropP=%s, cropMinScale=%s, colourJitter=%s, viewP=%s, "
                + "viewMinSize=%d", blurSigma, sharpness, hflipP, vflipP, jpegP, jpegQualityMin, jpegQualityMax, rescaleP,
                rescaleMaxFactor, adversarialRadius, adversarialSteps, cropP, cropMinScale, colourJitter, viewP, viewMinSize);
        return all + (cropMaxRotation == 0f ? "" : ", cropMaxRotation=" + cropMaxRotation)
                + (adversarialOnSurrogateInput ? ", adversarialOnSurrogateInput=true" : "") + "]";
    }

    private static void requireProbability(float p, String name) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException(name + " must be a probability in [0,1], was " + p);
        }
    }

    /** The authors' transforms: blur 3x3 sigma 0.2, sharpness x2, flips p 0.1, PGD-5 with rho_d 1/255. */
    public static DistortionConfig authors() {
        return new DistortionConfig(0.2f, 2f, 0.1f, 0.1f, 0f, 50, 95, 0f, 1f, 1f / 255f, 5);
    }

    /** The authors' transforms plus JPEG (quality 50-95, half the batches) and 1x-2x rescaling. */
    public static DistortionConfig robust() {
        return new DistortionConfig(0.2f, 2f, 0.1f, 0.1f, 0.5f, 50, 95, 0.5f, 2f, 1f / 255f, 5);
    }

    /** The authors' transforms plus 1x-2x antialiased rescaling (what face pipelines do), no JPEG. */
    public static DistortionConfig resize() {
        return new DistortionConfig(0.2f, 2f, 0.1f, 0.1f, 0f, 50, 95, 0.5f, 2f, 1f / 255f, 5);
    }

    /** Nothing at all: the protected image reaches the surrogate as it is. */
    public static DistortionConfig none() {
        return new DistortionConfig(0f, 1f, 0f, 0f, 0f, 50, 95, 0f, 1f, 0f, 0);
    }

    public DistortionConfig withRescale(float probability, float maxFactor) {
        Builder b = toBuilder();
        b.rescaleP = probability;
        b.rescaleMaxFactor = maxFactor;
        return b.build();
    }

    /** rho_d and its PGD steps; where it acts is kept. */
    public DistortionConfig withAdversarial(float radius, int steps) {
        return withAdversarial(radius, steps, adversarialOnSurrogateInput);
    }

    /** rho_d, its PGD steps, and whether it acts on the surrogate's input (REM-style) or the generator's. */
    public DistortionConfig withAdversarial(float radius, int steps, boolean onSurrogateInput) {
        Builder b = toBuilder();
        b.adversarialRadius = radius;
        b.adversarialSteps = steps;
        b.adversarialOnSurrogateInput = onSurrogateInput;
        return b.build();
    }

    /** Re-framing by crops alone (the rotation, if any, is kept). */
    public DistortionConfig withCrop(float probability, float minScale) {
        return withCrop(probability, minScale, cropMaxRotation);
    }

    public DistortionConfig withCrop(float probability, float minScale, float maxRotationDegrees) {
        Builder b = toBuilder();
        b.cropP = probability;
        b.cropMinScale = minScale;
        b.cropMaxRotation = maxRotationDegrees;
        return b.build();
    }

    public DistortionConfig withColourJitter(float strength) {
        Builder b = toBuilder();
        b.colourJitter = strength;
        return b.build();
    }

    public DistortionConfig withView(float probability, int minSize) {
        Builder b = toBuilder();
        b.viewP = probability;
        b.viewMinSize = minSize;
        return b.build();
    }

    private Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * A mutable copy of every component, so that each {@code with...} method names only the parts it
     * changes; {@link #build()} validates the result through the canonical constructor.
     */
    private static final class Builder {
        float blurSigma, sharpness, hflipP, vflipP, jpegP, rescaleP, rescaleMaxFactor, adversarialRadius;
        float cropP, cropMinScale, colourJitter, viewP, cropMaxRotation;
        int jpegQualityMin, jpegQualityMax, adversarialSteps, viewMinSize;
        boolean adversarialOnSurrogateInput;

        Builder(DistortionConfig c) {
            blurSigma = c.blurSigma;
            sharpness = c.sharpness;
            hflipP = c.hflipP;
            vflipP = c.vflipP;
            jpegP = c.jpegP;
            jpegQualityMin = c.jpegQualityMin;
            jpegQualityMax = c.jpegQualityMax;
            rescaleP = c.rescaleP;
            rescaleMaxFactor = c.rescaleMaxFactor;
            adversarialRadius = c.adversarialRadius;
            adversarialSteps = c.adversarialSteps;
            cropP = c.cropP;
            cropMinScale = c.cropMinScale;
            colourJitter = c.colourJitter;
            viewP = c.viewP;
            viewMinSize = c.viewMinSize;
            cropMaxRotation = c.cropMaxRotation;
            adversarialOnSurrogateInput = c.adversarialOnSurrogateInput;
        }

        DistortionConfig build() {
            return new DistortionConfig(blurSigma, sharpness, hflipP, vflipP, jpegP, jpegQualityMin, jpegQualityMax,
                    rescaleP, rescaleMaxFactor, adversarialRadius, adversarialSteps, cropP, cropMinScale, colourJitter,
                    viewP, viewMinSize, cropMaxRotation, adversarialOnSurrogateInput);
        }
    }
}
