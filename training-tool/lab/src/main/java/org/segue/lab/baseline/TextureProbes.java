package org.segue.lab.baseline;

import org.segue.engine.internal.ImageCodec;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.training.ImageFolder;
import org.segue.lab.dataset.DatasetProtector;

import java.io.IOException;
import java.nio.file.Path;

/** What the texture probes ({@link ClassTexture}, {@link ArTexture}) share: their argument checks and their folder loop. */
final class TextureProbes {

    /** The change a probe adds to one face: CHW planes of the image's size. */
    @FunctionalInterface
    interface FaceDelta {
        /** @param index the face's place in the dataset's sample order */
        float[] of(ImageFolder.Sample sample, long index, RgbImage image);
    }

    private TextureProbes() {}

    static void requireCellAndBudget(int cell, float eps) {
        if (cell < 1) {
            throw new IllegalArgumentException("cell must be at least 1 pixel, was " + cell);
        }
        if (!(eps > 0 && eps <= 1)) {
            throw new IllegalArgumentException("eps must be in (0, 1], was " + eps);
        }
    }

    /** Protects a dataset in ImageFolder layout into {@code out/<identity>/<name>.png}; returns seconds. */
    static double protectFolder(Path in, Path out, FaceDelta delta) throws IOException {
        long start = System.nanoTime();
        ImageFolder dataset = ImageFolder.scan(in);
        long index = 0;
        for (ImageFolder.Sample s : dataset.samples()) {
            RgbImage image = ImageCodec.read(s.file());
            ImageCodec.writePng(image.plusClamped(delta.of(s, index++, image)),
                    out.resolve(dataset.classes().get(s.label())).resolve(DatasetProtector.pngName(s.file())));
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
