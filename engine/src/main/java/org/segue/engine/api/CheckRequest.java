package org.segue.engine.api;

import java.nio.file.Path;

/**
 * A protection check on a small labelled folder of {@code <person>/<face images>}: one attacker trained from
 * scratch on the clean faces, one on the same faces protected, both tested on held-out clean faces.
 *
 * @param folder       the labelled folder
 * @param epochs       attacker training epochs (default 5)
 * @param inputSize    attacker resolution in pixels, at least 32 (default 64)
 * @param testFraction share of each person's faces held out for testing, in (0,1) (default 0.3)
 * @param seed         the attackers' seed (their weights and batch order)
 * @param strengthLevels the strength the faces are protected at, 1..8 levels (default: {@link StrengthPreset#DEFAULT},
 *                     what protection uses when none is asked for): the check answers for the strength one protects with
 * @param concealHeads whether the faces' heads are also concealed ({@link ProtectionOptions#concealHeads()}), as they
 *                     are where one protects that way
 */
public record CheckRequest(Path folder, int epochs, int inputSize, double testFraction, long seed, int strengthLevels,
                           boolean concealHeads) {

    public CheckRequest {
        if (folder == null) {
            throw new IllegalArgumentException("a labelled folder is needed");
        }
        if (epochs < 1 || inputSize < 32 || !(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("check needs epochs >= 1, input size >= 32 and a test fraction in (0,1)");
        }
        ProtectionOptions.requireStrength(strengthLevels);
    }

    /** Heads left unconcealed. */
    public CheckRequest(Path folder, int epochs, int inputSize, double testFraction, long seed, int strengthLevels) {
        this(folder, epochs, inputSize, testFraction, seed, strengthLevels, false);
    }

    /** At the default strength. */
    public CheckRequest(Path folder, int epochs, int inputSize, double testFraction, long seed) {
        this(folder, epochs, inputSize, testFraction, seed, StrengthPreset.DEFAULT.levels());
    }

    public static CheckRequest of(Path folder) {
        return new CheckRequest(folder, 5, 64, 0.3, 0);
    }

    public CheckRequest withEpochs(int n) {
        return new CheckRequest(folder, n, inputSize, testFraction, seed, strengthLevels, concealHeads);
    }

    public CheckRequest withInputSize(int size) {
        return new CheckRequest(folder, epochs, size, testFraction, seed, strengthLevels, concealHeads);
    }

    public CheckRequest withTestFraction(double fraction) {
        return new CheckRequest(folder, epochs, inputSize, fraction, seed, strengthLevels, concealHeads);
    }

    public CheckRequest withStrengthLevels(int levels) {
        return new CheckRequest(folder, epochs, inputSize, testFraction, seed, levels, concealHeads);
    }

    public CheckRequest withConcealedHeads(boolean conceal) {
        return new CheckRequest(folder, epochs, inputSize, testFraction, seed, strengthLevels, conceal);
    }
}
