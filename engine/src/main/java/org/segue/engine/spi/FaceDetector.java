package org.segue.engine.spi;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Finds faces in an upright photo. The pipeline hands a detector an 8-bit RGB view shrunk so its
 * longer side is at most {@link #workingSize()}, and scales the boxes back to full resolution; a
 * host's own detector replaces the default by implementing this interface. A protector is
 * shared by the requests of a host (the OSGi service, a hot folder), so {@link #detect} is called from
 * several threads at once: an implementation must be thread-safe (the default one is, without locks).
 */
public interface FaceDetector extends AutoCloseable {

    /** Face boxes in the given image's pixel coordinates (tight boxes: brows to chin). */
    List<FaceBox> detect(BufferedImage uprightRgb);

    /**
     * The faces in the given image with their landmarks where this detector finds them; the pipeline calls
     * this. A detector that finds boxes only need not override it.
     */
    default List<DetectedFace> detectFaces(BufferedImage uprightRgb) {
        return detect(uprightRgb).stream().map(DetectedFace::boxOnly).toList();
    }

    /** The longest image side this detector wants; larger photos are shrunk to about this size first. */
    int workingSize();

    /** A short name for reports. */
    String name();

    @Override
    void close();
}
