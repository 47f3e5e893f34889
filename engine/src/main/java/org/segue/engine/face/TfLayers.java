package org.segue.engine.face;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.segue.engine.generator.Tensor;

/**
 * TensorFlow's convolution semantics on PyTorch (NCHW) arrays, for networks ported from TensorFlow.js:
 * weight layouts transposed once at load, and TensorFlow's {@code 'same'} padding, which puts the odd
 * padding pixel at the bottom and right (PyTorch pads symmetrically), so a stride-2 layer on an even input
 * lines up with the original only when padded the TensorFlow way.
 */
final class TfLayers {

    private TfLayers() {}

    /** A convolution filter {@code [h, w, in, out]} as PyTorch's {@code [out, in, h, w]}. */
    static NDArray convFilter(NDManager m, Tensor tf) {
        return m.create(tf.data(), new Shape(tf.shape())).transpose(3, 2, 0, 1).duplicate();
    }

    /** A depthwise filter {@code [h, w, in, 1]} as PyTorch's grouped {@code [in, 1, h, w]}. */
    static NDArray depthwiseFilter(NDManager m, Tensor tf) {
        return m.create(tf.data(), new Shape(tf.shape())).transpose(2, 3, 0, 1).duplicate();
    }

    /** A depthwise filter scaled per channel (a batch norm folded into it). */
    static NDArray depthwiseFilter(NDManager m, Tensor tf, float[] channelScale) {
        long[] s = tf.shape();
        float[] d = tf.data().clone();
        int channels = (int) s[2];
        for (int i = 0; i < d.length; i++) {
            d[i] *= channelScale[(i / (int) s[3]) % channels];
        }
        return depthwiseFilter(m, new Tensor(s, d));
    }

    static NDArray vector(NDManager m, Tensor tf) {
        return m.create(tf.data());
    }

    /**
     * {@code conv2d(x, weight, stride, 'same') + bias} with TensorFlow's padding; {@code groups} equal to the
     * channels makes it depthwise.
     */
    static NDArray conv(NDArray x, NDArray weight, NDArray bias, int stride, int groups) {
        long kh = weight.getShape().get(2);
        long kw = weight.getShape().get(3);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long padH = samePadding(h, kh, stride);
        long padW = samePadding(w, kw, stride);
        long top = padH / 2;
        long left = padW / 2;
        long bottom = padH - top;
        long right = padW - left;
        Shape symmetric = new Shape(top, left);
        NDArray in = x;
        if (top != bottom || left != right) {
            // torch's pad list runs from the last axis: (left, right, top, bottom)
            in = x.pad(new Shape(left, right, top, bottom), 0);
            symmetric = new Shape(0, 0);
        }
        return Conv2d.conv2d(in, weight, bias, new Shape(stride, stride), symmetric, new Shape(1, 1), groups)
                .singletonOrThrow();
    }

    private static long samePadding(long size, long kernel, int stride) {
        long out = (size + stride - 1) / stride;
        return Math.max(0, (out - 1) * stride + kernel - size);
    }
}
