package org.segue.engine.api;

import org.segue.engine.photo.PhotoCodec;

/**
 * How photos are protected, built with {@link #builder()}; every field has the product's default.
 *
 * @param strengthLevels largest change per sample in 8-bit levels, 1..8 (8: the budget the models are trained for;
 *                       default: {@link StrengthPreset#DEFAULT})
 * @param jpegQuality    quality of JPEG output, 1..100
 * @param keepLocation   keep GPS location metadata (removed by default)
 * @param faceMargin     each detected face is widened by this fraction of its size on every side, 0..2
 * @param maxMegapixels  larger photos are refused before they are decoded
 * @param identities     who each face is (default: faces of one photo are different people; batches group them)
 * @param noFace         what becomes of a photo in which no face is found (default: copied, metadata cleaned)
 * @param erasure        the key of erasable protection: the original samples of the protected regions travel
 *                       with the photo, encrypted under it, so its holder can {@link Restorer restore} them; null
 *                       (the default): not erasable, and any restoration payload a photo carries is removed
 * @param concealHeads   also conceal each face's head (face, hair, ears: a coarse blur) so that pretrained face
 *                       recognition cannot match it; plainly seen, and not bounded by the strength (off by default;
 *                       what it holds against: docs/evaluation.md)
 */
public record ProtectionOptions(int strengthLevels, int jpegQuality, boolean keepLocation, double faceMargin,
                                double maxMegapixels, Identities identities, NoFacePolicy noFace, ErasureKey erasure,
                                boolean concealHeads) {

    /** The largest strength: the budget of 8/255 the models are trained for. */
    public static final int MAX_LEVELS = 8;

    public ProtectionOptions {
        requireStrength(strengthLevels);
        if (jpegQuality < 1 || jpegQuality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100, was " + jpegQuality);
        }
        if (!(faceMargin >= 0 && faceMargin <= 2)) {
            throw new IllegalArgumentException("face margin must be in [0, 2], was " + faceMargin);
        }
        if (!(maxMegapixels > 0)) {
            throw new IllegalArgumentException("the megapixel limit must be positive, was " + maxMegapixels);
        }
        if (identities == null) {
            throw new IllegalArgumentException("identities are needed (Identities.grouped(0) groups them)");
        }
        if (noFace == null) {
            throw new IllegalArgumentException("a no-face policy is needed (copy, skip or fail)");
        }
    }

    /** The one bound on a strength, wherever one is given (here and in {@link CheckRequest}). */
    static void requireStrength(int levels) {
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("strength (the largest change per 8-bit sample) must be 1.." + MAX_LEVELS
                    + " levels, was " + levels);
        }
    }

    /** Options without erasable protection. */
    public ProtectionOptions(int strengthLevels, int jpegQuality, boolean keepLocation, double faceMargin,
                             double maxMegapixels, Identities identities, NoFacePolicy noFace) {
        this(strengthLevels, jpegQuality, keepLocation, faceMargin, maxMegapixels, identities, noFace, null);
    }

    /** Options that leave heads unconcealed (the form before {@link #concealHeads()} existed). */
    public ProtectionOptions(int strengthLevels, int jpegQuality, boolean keepLocation, double faceMargin,
                             double maxMegapixels, Identities identities, NoFacePolicy noFace, ErasureKey erasure) {
        this(strengthLevels, jpegQuality, keepLocation, faceMargin, maxMegapixels, identities, noFace, erasure, false);
    }

    /** Whether protected photos carry what restores their original samples (see {@link #erasure()}). */
    public boolean isErasable() {
        return erasure != null;
    }

    public static ProtectionOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().strengthLevels(strengthLevels).jpegQuality(jpegQuality).keepLocation(keepLocation)
                .faceMargin(faceMargin).maxMegapixels(maxMegapixels).identities(identities).whenNoFace(noFace).erasable(erasure)
                .concealHeads(concealHeads);
    }

    /** The budget in [0,1] units. */
    public float epsilon() {
        return strengthLevels / 255f;
    }

    public static final class Builder {
        private int strengthLevels = StrengthPreset.DEFAULT.levels();
        private int jpegQuality = 95;
        private boolean keepLocation;
        private double faceMargin = 0.3;
        private double maxMegapixels = PhotoCodec.DEFAULT_MAX_PIXELS / 1e6;
        private Identities identities = new Identities.Grouped(0);
        private NoFacePolicy noFace = NoFacePolicy.COPY;
        private ErasureKey erasure;
        private boolean concealHeads;

        private Builder() {}

        public Builder strength(StrengthPreset preset) {
            return strengthLevels(preset.levels());
        }

        public Builder strengthLevels(int levels) {
            this.strengthLevels = levels;
            return this;
        }

        public Builder jpegQuality(int quality) {
            this.jpegQuality = quality;
            return this;
        }

        public Builder keepLocation(boolean keep) {
            this.keepLocation = keep;
            return this;
        }

        public Builder faceMargin(double margin) {
            this.faceMargin = margin;
            return this;
        }

        public Builder maxMegapixels(double limit) {
            this.maxMegapixels = limit;
            return this;
        }

        public Builder identities(Identities identities) {
            this.identities = identities;
            return this;
        }

        public Builder whenNoFace(NoFacePolicy policy) {
            this.noFace = policy;
            return this;
        }

        /**
         * Erasable protection under this key (null: not erasable). A photo that already carries a restoration
         * payload is then refused rather than protected a second time.
         */
        public Builder erasable(ErasureKey key) {
            this.erasure = key;
            return this;
        }

        /**
         * Also conceal each face's head (a coarse blur) so that pretrained face recognition cannot match it (seen by
         * design; the strength's perturbation is added on top as usual).
         */
        public Builder concealHeads(boolean conceal) {
            this.concealHeads = conceal;
            return this;
        }

        /** Every face is this person; a blank name leaves the identities as they were. */
        public Builder person(String name) {
            if (name != null && !name.isBlank()) {
                this.identities = new Identities.Person(name.strip());
            }
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting out of range */
        public ProtectionOptions build() {
            return new ProtectionOptions(strengthLevels, jpegQuality, keepLocation, faceMargin, maxMegapixels, identities,
                    noFace, erasure, concealHeads);
        }
    }
}
