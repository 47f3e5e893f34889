package org.segue.engine.internal;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Locale;

/**
 * The one place where the DJL/PyTorch runtime is configured. Every engine entry point calls
 * {@link #engine()} before touching an NDArray so that the settings below are in force before DJL
 * initialises its engine (they are read once, at engine start).
 *
 * <ul>
 *   <li>offline mode and no usage tracking: the product must never download or phone home;
 *   <li>libtorch intra-op threads = the cores this JVM may use, inter-op threads = 1: spin-waiting
 *       threads on an over-subscribed CPU cost an order of magnitude in speed;
 *   <li>device: {@code -Dsegue.device=auto|cpu|gpu} (default auto = first GPU when libtorch sees one);
 *   <li>the C allocator keeps freed tensor memory for reuse ({@link NativeAllocator}).
 * </ul>
 */
public final class DjlRuntime {

    /** System property selecting the compute device: auto, cpu or gpu. */
    public static final String DEVICE_PROPERTY = "segue.device";

    private static volatile Engine engine;

    private DjlRuntime() {}

    /** Returns the PyTorch engine, configuring the runtime on first use. */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlRuntime.class) {
                if (engine == null) {
                    setIfAbsent("ai.djl.offline", "true");
                    setIfAbsent("OPT_OUT_TRACKING", "true");
                    setIfAbsent("ai.djl.pytorch.num_threads",
                            Integer.toString(Runtime.getRuntime().availableProcessors()));
                    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
                    // The TorchScript graph optimiser only serves traced models; we run eager blocks.
                    setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
                    NativeAllocator.keepFreedMemory();
                    // DJL finds its engines with ServiceLoader through the thread's context class
                    // loader; in OSGi (or any host with its own class loaders) that loader does not
                    // see the embedded engine, so this class's loader is used while DJL starts
                    Thread thread = Thread.currentThread();
                    ClassLoader previous = thread.getContextClassLoader();
                    thread.setContextClassLoader(DjlRuntime.class.getClassLoader());
                    try {
                        engine = Engine.getEngine("PyTorch");
                    } finally {
                        thread.setContextClassLoader(previous);
                    }
                }
                e = engine;
            }
        }
        return e;
    }

    /**
     * Switches PyTorch's gradient recording off for the calling thread. PyTorch keeps that switch per
     * thread and starts new threads with recording on (DJL turns it off only on the thread that started
     * the engine): on a fresh worker thread, inference would build autograd graphs for nothing, and
     * initialising or updating parameters in place fails ("a leaf Variable that requires grad is being
     * used in an in-place operation"). Every engine entry point that may run on a host's thread calls
     * this; gradient collectors switch recording on for their own scope.
     */
    public static void noGradientsOnThisThread() {
        engine();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    }

    /**
     * An array of {@code data} in storage that libtorch owns. {@code NDManager.create(float[])} makes a tensor over
     * a Java direct buffer ({@code from_blob}), which stays valid only while that buffer lives; constants that
     * autograd keeps for a backward pass (masks, filter kernels) are made here instead, so their lifetime is
     * libtorch's alone.
     */
    public static NDArray constant(NDManager manager, float[] data, Shape shape) {
        try (NDArray overJavaBuffer = manager.create(data, shape)) {
            return overJavaBuffer.duplicate();
        }
    }

    /**
     * The device to compute on: {@code -Dsegue.device} when given, otherwise the first GPU when the
     * engine sees one and the CPU when it does not.
     */
    public static Device defaultDevice() {
        return resolveDevice("auto");
    }

    /**
     * Resolves "auto", "cpu" or "gpu" (case-insensitive) to a device; gpu fails clearly without one. "auto" (or
     * null) is the host's default: {@code -Dsegue.device} when set, so a deployment pinned to one device stays there.
     */
    public static Device resolveDevice(String choice) {
        Engine e = engine();
        String pinned = System.getProperty(DEVICE_PROPERTY);
        if ((choice == null || choice.equalsIgnoreCase("auto")) && pinned != null && !pinned.equalsIgnoreCase("auto")) {
            choice = pinned;
        }
        switch (choice == null ? "auto" : choice.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (e.getGpuCount() == 0) {
                    throw new IllegalStateException("A GPU was requested but libtorch sees none. "
                            + "Build with -Pcuda on a CUDA 12.4 host, or use device auto/cpu.");
                }
                return Device.gpu();
            case "auto":
                return e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            default:
                throw new IllegalArgumentException("Unknown device '" + choice + "': use auto, cpu or gpu");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
