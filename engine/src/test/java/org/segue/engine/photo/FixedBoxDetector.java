package org.segue.engine.photo;

import org.segue.engine.spi.FaceBox;
import org.segue.engine.spi.FaceDetector;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A detector for synthetic test images, which hold no real face: it reports one box in the centre
 * of every image, so the pipeline after detection is exercised exactly as with a real face.
 */
public final class FixedBoxDetector implements FaceDetector {

    @Override
    public List<FaceBox> detect(BufferedImage upright) {
        // at least one pixel: the fuzzer found that a 3-pixel-wide image gave an empty box
        return List.of(new FaceBox(upright.getWidth() / 3, upright.getHeight() / 3, Math.max(1, upright.getWidth() / 4),
                Math.max(1, upright.getHeight() / 4)));
    }

    @Override
    public int workingSize() {
        return 4096;
    }

    @Override
    public String name() {
        return "fixed centred box (test)";
    }

    @Override
    public void close() {
    }
}
