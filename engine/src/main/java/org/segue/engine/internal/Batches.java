package org.segue.engine.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.List;

/** Host images to and from (N,3,H,W) tensors: the one place for image/tensor conversion. */
public final class Batches {

    private Batches() {}

    /** Stacks images of equal size selected by {@code indices} into one tensor on {@code manager}. */
    public static NDArray stack(NDManager manager, List<RgbImage> images, int[] indices) {
        RgbImage first = images.get(indices[0]);
        int size = first.chw().length;
        float[] data = new float[indices.length * size];
        for (int i = 0; i < indices.length; i++) {
            RgbImage img = images.get(indices[i]);
            if (img.height() != first.height() || img.width() != first.width()) {
                throw new IllegalArgumentException("images in a batch must share one size");
            }
            System.arraycopy(img.chw(), 0, data, i * size, size);
        }
        return manager.create(data, new Shape(indices.length, 3, first.height(), first.width()));
    }

    public static NDArray stack(NDManager manager, List<RgbImage> images) {
        return stack(manager, images, java.util.stream.IntStream.range(0, images.size()).toArray());
    }

    /** Splits a (N,3,H,W) tensor back into host images. */
    public static List<RgbImage> unstack(NDArray batch) {
        Shape s = batch.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] all = batch.toFloatArray();
        int size = 3 * h * w;
        List<RgbImage> out = new java.util.ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new RgbImage(java.util.Arrays.copyOfRange(all, i * size, (i + 1) * size), h, w));
        }
        return out;
    }

    public static int[] select(int[] values, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }

    /**
     * Indices 0..count-1 in an order shuffled by {@code rng} ({@link java.util.Collections#shuffle}),
     * cut into batches of {@code batchSize} (the last may be smaller).
     */
    public static List<int[]> shuffled(int count, int batchSize, java.util.Random rng) {
        List<Integer> order = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, rng);
        List<int[]> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i += batchSize) {
            out.add(order.subList(i, Math.min(count, i + batchSize)).stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }
}
