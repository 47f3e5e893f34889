package org.segue.lab.dataset;

import org.segue.engine.generator.SegueModel;
import org.segue.engine.photo.HeadConcealment;
import org.segue.engine.internal.ImageCodec;
import org.segue.engine.training.ImageFolder;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.ProgressListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Protects a dataset in ImageFolder layout into a mirrored folder of lossless PNGs
 * ({@code out/<identity>/<name>.png}). One unreadable image is reported and skipped; it never
 * aborts the batch.
 */
public final class DatasetProtector {

    /** Outcome: how many images were written, and one line per image that failed. */
    public record Summary(int written, List<String> failures, double seconds) {}

    private DatasetProtector() {}

    /**
     * @param labels side-information label of each sample of {@code dataset}, in its order
     * @param epsilon  largest change per sample (in [0, 1]; at most the model's budget)
     */
    public static Summary protect(SegueModel model, ImageFolder dataset, int[] labels, float epsilon, Path outDir,
                                  int batchSize, ProgressListener progress, Cancellation cancellation)
            throws IOException {
        return protect(model, dataset, labels, null, false, epsilon, outDir, batchSize, progress, cancellation);
    }

    /**
     * As above; where {@code alternatives} (may be null) gives a face another label than {@code labels}, the face
     * gets the mean of the two labels' protections; with {@code concealHeads} each face's head is also concealed
     * beneath its protection, as the product's photos are where heads are concealed.
     */
    public static Summary protect(SegueModel model, ImageFolder dataset, int[] labels, int[] alternatives,
                                  boolean concealHeads, float epsilon,
                                  Path outDir, int batchSize, ProgressListener progress, Cancellation cancellation)
            throws IOException {
        long start = System.nanoTime();
        List<ImageFolder.Sample> samples = dataset.samples();
        List<String> failures = new ArrayList<>();
        int written = 0;
        for (int i = 0; i < samples.size(); i += batchSize) {
            cancellation.throwIfCancelled();
            List<ImageFolder.Sample> chunk = samples.subList(i, Math.min(samples.size(), i + batchSize));
            List<RgbImage> images = new ArrayList<>();
            List<Path> targets = new ArrayList<>();
            List<Integer> chunkLabels = new ArrayList<>();
            List<Integer> chunkAlternatives = new ArrayList<>();
            for (int j = 0; j < chunk.size(); j++) {
                ImageFolder.Sample s = chunk.get(j);
                try {
                    images.add(ImageCodec.read(s.file()));
                    targets.add(outDir.resolve(dataset.classes().get(s.label())).resolve(pngName(s.file())));
                    chunkLabels.add(labels[i + j]);
                    chunkAlternatives.add(alternatives == null ? labels[i + j] : alternatives[i + j]);
                } catch (IOException | RuntimeException e) {
                    failures.add(s.file() + ": " + e.getMessage());
                }
            }
            if (!images.isEmpty()) {
                int[] first = chunkLabels.stream().mapToInt(Integer::intValue).toArray();
                int[] second = chunkAlternatives.stream().mapToInt(Integer::intValue).toArray();
                List<RgbImage> done = model.protectImages(images, first, epsilon);
                // a second generator pass for the faces with another label only
                int[] twice = java.util.stream.IntStream.range(0, first.length).filter(j -> first[j] != second[j]).toArray();
                if (twice.length > 0) {
                    List<RgbImage> other = model.protectImages(java.util.Arrays.stream(twice).mapToObj(images::get).toList(),
                            java.util.Arrays.stream(twice).map(j -> second[j]).toArray(), epsilon);
                    for (int t = 0; t < twice.length; t++) {
                        RgbImage own = done.get(twice[t]);
                        float[] a = own.chw();
                        float[] b = other.get(t).chw();
                        float[] mean = new float[a.length];
                        for (int p = 0; p < a.length; p++) {
                            mean[p] = (a[p] + b[p]) / 2;
                        }
                        done.set(twice[t], new RgbImage(mean, own.height(), own.width()));
                    }
                }
                List<RgbImage> out = concealHeads ? HeadConcealment.underProtection(images, done) : done;
                for (int j = 0; j < out.size(); j++) {
                    ImageCodec.writePng(out.get(j), targets.get(j));
                    written++;
                }
            }
            progress.onProgress(new ProgressListener.Progress("protect", Math.min(samples.size(), i + batchSize),
                    samples.size(), written + " images protected", (System.nanoTime() - start) / 1e9));
        }
        return new Summary(written, failures, (System.nanoTime() - start) / 1e9);
    }

    /** {@code name.jpg} -> {@code name.png}: the name a protected face gets in every lab output folder. */
    public static String pngName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return (dot > 0 ? name.substring(0, dot) : name) + ".png";
    }
}
