package org.segue.engine.internal;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeAllocatorTest {

    @Test
    void glibcKeepsFreedTensorMemoryOnceTheEngineRuns() {
        assumeTrue(Platform.isLinux(), "the allocator settings apply to glibc Linux only");
        boolean glibc;
        try {
            NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("gnu_get_libc_version");
            glibc = true;
        } catch (UnsatisfiedLinkError e) {
            glibc = false;
        }
        assumeTrue(glibc, "not a glibc system");
        DjlRuntime.engine();
        assertTrue(NativeAllocator.keepFreedMemory(), "glibc refused the mallopt settings");
    }
}
