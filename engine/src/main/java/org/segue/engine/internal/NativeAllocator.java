package org.segue.engine.internal;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Keeps libtorch's freed tensor memory in the process heap instead of handing it back to the
 * operating system after every operation.
 *
 * <p>Why: every libtorch operation allocates its output with {@code malloc}. With glibc's defaults a
 * block of a few megabytes (a 224x224 feature map of a batch of faces) is served by a fresh
 * {@code mmap} and unmapped again when freed, or the heap top is trimmed after a large free; the next
 * operation then page-faults and zero-fills the same amount of memory anew. Measured on the 2-core
 * machine (docs/performance.md), this costs the generator a third of its speed at 224 px, batch 8.
 * Raising the mmap threshold to glibc's largest value (32 MiB) and the trim threshold to 1 GiB keeps
 * such blocks for reuse. Peak memory does not grow (the blocks were in use at the peak anyway); the
 * process just gives memory back later.
 *
 * <p>Applies to glibc Linux only (other C libraries and systems are left as they are) and once per
 * process; {@code -Dsegue.native.keep-freed-memory=false} leaves the allocator untouched, for a host
 * that tunes it itself.
 */
final class NativeAllocator {

    /** System property that, set to false, leaves the C allocator's settings alone. */
    static final String PROPERTY = "segue.native.keep-freed-memory";

    // mallopt parameter numbers from glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_THRESHOLD = -3;

    /** glibc's largest mmap threshold on 64-bit systems (4 * 1024 * 1024 * sizeof(long)). */
    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TRIM_THRESHOLD = 1 << 30;

    private static Boolean applied; // guarded by the class lock

    private NativeAllocator() {}

    /**
     * Applies the settings once; returns whether they are in force (false where disabled, not on
     * glibc Linux, or refused by the C library).
     */
    static synchronized boolean keepFreedMemory() {
        if (applied == null) {
            applied = Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) && apply();
        }
        return applied;
    }

    private static boolean apply() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            NativeLibrary libc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
            libc.getFunction("gnu_get_libc_version"); // only glibc has it (musl does not)
            Function mallopt = libc.getFunction("mallopt");
            // mallopt returns 1 on success, 0 when it refuses a value
            return mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // an unusual C library: run with its defaults, only slower
        }
    }
}
