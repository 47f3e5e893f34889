package org.segue.engine.photo;

import org.segue.engine.face.NeuralFaceDetector;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.internal.DjlRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The shipped model and the default face detector, loaded once for all tests of a JVM (loading starts
 * libtorch and the detector's networks), and released when the JVM ends.
 */
public final class TestEngine {

    private static SegueModel model;
    private static NeuralFaceDetector detector;

    private TestEngine() {}

    public static synchronized SegueModel defaultModel() {
        if (model == null) {
            try {
                model = SegueModel.loadDefault(DjlRuntime.defaultDevice());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }

    public static synchronized NeuralFaceDetector detector() {
        if (detector == null) {
            detector = new NeuralFaceDetector();
        }
        return detector;
    }
}
