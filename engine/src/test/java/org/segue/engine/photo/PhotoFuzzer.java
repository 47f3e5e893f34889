package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import java.io.IOException;

/**
 * The fuzz target: arbitrary bytes go through decode, orientation, metadata cleaning, protection and
 * encoding. The only exception the product documents for a bad photo is {@link PhotoException};
 * anything else escaping, or one input taking longer than {@link #TIME_LIMIT_SECONDS}, is a finding.
 * Used by {@code PhotoFuzzTest} (JUnit, short) and by Jazzer's command line (long, {@code engine/fuzz.sh}).
 */
public final class PhotoFuzzer {

    /** One input may take this long (a 1 MP limit keeps honest inputs far below it). */
    static final double TIME_LIMIT_SECONDS = 10;

    private static PhotoProtector protector;

    private PhotoFuzzer() {}

    static synchronized PhotoProtector protector() {
        if (protector == null) {
            // the fixed-box detector keeps every input on the protection path, even without a face
            protector = new PhotoProtector(TestEngine.defaultModel(), new FixedBoxDetector(),
                    ProtectionOptions.builder().maxMegapixels(1).build());
        }
        return protector;
    }

    /** Jazzer's entry point. */
    public static void fuzzerTestOneInput(byte[] data) {
        // the one-time set-up (model load, native libraries) is not the input's time: under a busy CPU it
        // alone took 12 s and failed the first input
        PhotoProtector p = protector();
        long start = System.nanoTime();
        try {
            PhotoProtector.Analysed photo = p.analyse(data, "fuzz input");
            p.protect(photo, new int[photo.faces().size()]);
        } catch (PhotoException expected) {
            // the documented refusal of a bad photo
        } catch (IOException e) {
            throw new AssertionError("undocumented I/O failure on an in-memory photo", e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (seconds > TIME_LIMIT_SECONDS) {
            throw new AssertionError(String.format("one input took %.1f s (limit %.0f s)", seconds, TIME_LIMIT_SECONDS));
        }
    }
}
