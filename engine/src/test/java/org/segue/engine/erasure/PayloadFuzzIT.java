package org.segue.engine.erasure;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the restoration payload's parsers and the restore path with Jazzer: in regression mode on the seeds in
 * {@code src/test/resources/.../PayloadFuzzTestInputs} (protected JPEG, PNG, TIFF and a bare payload) in every
 * test run; {@code JAZZER_FUZZ=1 mvn -pl engine test -Dtest=PayloadFuzzIT} fuzzes for {@code maxDuration}.
 */
class PayloadFuzzIT {

    @FuzzTest(maxDuration = "60s")
    void parseAndRestore(byte[] data) {
        PayloadFuzzer.fuzzerTestOneInput(data);
    }
}
