package org.segue.engine.api;

import java.util.Locale;

/**
 * Named strengths: how far protection may change each 8-bit sample of a face, traded against how visible the
 * change is. The shipped model's perturbation is a smooth colour pattern trained at 8 levels; a lower strength
 * clips it, which makes it less visible and, below a few levels, leaves nothing an attacker's training takes up.
 * What each preset measured (visibility, and the attackers it holds back) is in {@code docs/model-card.md}.
 *
 * <p>{@link #parse} takes a preset's name or a number of levels (1..{@link ProtectionOptions#MAX_LEVELS}), so a
 * user can always give an exact strength.
 */
public enum StrengthPreset {

    /** Meets the visibility targets (S-CIELAB mean <= 1.0 and p99 <= 3.0 at 1:1): not seen, and not protective. */
    LOW(1),
    /** Between the two: faintly visible on flat skin. */
    MEDIUM(4),
    /** The budget the model was trained for: protects against a recogniser trained on the photos, and is seen. */
    HIGH(ProtectionOptions.MAX_LEVELS);

    /** The name of the preset protection uses when none is asked for (a constant, for annotations). */
    public static final String DEFAULT_NAME = "low";
    /** The preset protection uses when none is asked for. */
    public static final StrengthPreset DEFAULT = valueOf(DEFAULT_NAME.toUpperCase(Locale.ROOT));

    private final int levels;

    StrengthPreset(int levels) {
        this.levels = levels;
    }

    /** Largest change per 8-bit sample. */
    public int levels() {
        return levels;
    }

    /** The name users type: {@code low}, {@code medium}, {@code high}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Levels from a preset's name (any case) or a whole number of levels.
     *
     * @throws IllegalArgumentException for anything else, or levels outside 1..{@link ProtectionOptions#MAX_LEVELS}
     */
    public static int parse(String text) {
        String t = text == null ? "" : text.strip();
        for (StrengthPreset p : values()) {
            if (p.label().equalsIgnoreCase(t)) {
                return p.levels;
            }
        }
        int levels;
        try {
            levels = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            levels = 0;
        }
        if (levels < 1 || levels > ProtectionOptions.MAX_LEVELS) {
            throw new IllegalArgumentException("strength must be low, medium, high or 1.." + ProtectionOptions.MAX_LEVELS
                    + " levels, was '" + t + "'");
        }
        return levels;
    }

    /** How a strength of {@code levels} reads to a user: the preset's name where one has it, else the number. */
    public static String describe(int levels) {
        for (StrengthPreset p : values()) {
            if (p.levels == levels) {
                return p.label() + ", " + levels + " of 255";
            }
        }
        return levels + " of 255";
    }
}
