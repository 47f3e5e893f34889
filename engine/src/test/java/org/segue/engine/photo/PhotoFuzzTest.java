package org.segue.engine.photo;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the photo path with Jazzer. Plain {@code mvn verify} runs it in regression mode on the seed
 * photos in {@code src/test/resources/.../PhotoFuzzTestInputs} (and any finding saved there); with
 * {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}. The long run is {@code engine/fuzz.sh}.
 */
class PhotoFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeCleanProtect(byte[] data) {
        PhotoFuzzer.fuzzerTestOneInput(data);
    }
}
