package org.segue.engine.training;

import ai.djl.ndarray.NDArray;

/** Loss functions shared by the trainer and the attacker. */
public final class Losses {

    private Losses() {}

    /** Mean cross-entropy of logits (N,K) against integer labels. */
    public static NDArray crossEntropy(NDArray logits, int[] labels) {
        long k = logits.getShape().get(1);
        NDArray target = logits.getManager().create(labels).toDevice(logits.getDevice(), false).oneHot((int) k);
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
    }

    /** Mean over the batch of the L2 norm of each sample (the authors' regulariser on G's raw output). */
    public static NDArray meanL2(NDArray x) {
        long n = x.getShape().get(0);
        return x.reshape(n, -1).square().sum(new int[] {1}).sqrt().mean();
    }

    /** Number of rows whose arg-max equals the label. */
    public static int correct(NDArray logits, int[] labels) {
        long[] predicted = logits.argMax(1).toLongArray();
        int ok = 0;
        for (int i = 0; i < labels.length; i++) {
            ok += predicted[i] == labels[i] ? 1 : 0;
        }
        return ok;
    }
}
