package org.segue.lab.eval;

import org.segue.engine.internal.AtomicFiles;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Writes the figures of this package: PNG, atomically, without ImageIO's temporary-file cache. */
final class PngFiles {

    private PngFiles() {}

    static void write(BufferedImage image, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            // a memory cache, not ImageIO's default temporary file; closing it flushes into out
            try (ImageOutputStream cached = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", cached)) {
                    throw new IOException("no PNG writer available");
                }
            }
        });
    }
}
