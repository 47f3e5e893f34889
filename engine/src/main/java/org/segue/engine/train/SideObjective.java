package org.segue.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.segue.engine.LabelCode;
import org.segue.engine.data.Batches;

import java.util.Random;

/**
 * What the surrogate learns from a protected face during generator training, and so what the
 * generator must make easy to learn: who the face belongs to (the paper), or the code the
 * generator was given (code reading).
 */
sealed interface SideObjective {

    /** Number of surrogate outputs. */
    int outputs();

    /** A short name, kept in checkpoints so a run never resumes another objective's training. */
    String name();

    /**
     * The targets of a batch of face indices; an objective that draws them at random draws from
     * {@code rng}, so a resumed run draws what the uninterrupted one would have.
     */
    int[] targets(int[] batch, Random rng);

    /** The side information G is given for each target. */
    int[] codes(int[] targets);

    /** The surrogate's mean loss on a batch of logits (N, outputs). */
    NDArray loss(NDArray logits, int[] targets);

    /** How many rows the surrogate gets entirely right. */
    int correct(NDArray logits, int[] targets);

    /**
     * Whether G and the surrogate pursue the same goal, so both learn in every step; otherwise the
     * surrogate trains in epochs of its own and is frozen while G trains (the paper's alternation).
     */
    boolean cooperative();

    /**
     * The paper's objective: the surrogate classifies identities (or pseudo identities); label
     * {@code l}'s side information is {@code codes[l]}, or {@code l} itself when codes is null.
     */
    record Identities(int[] labels, int classes, int[] codeOfLabel) implements SideObjective {

        static final String NAME = "identities";

        @Override
        public int outputs() {
            return classes;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public int[] targets(int[] batch, Random rng) {
            return Batches.select(labels, batch);
        }

        @Override
        public int[] codes(int[] targets) {
            if (codeOfLabel == null) {
                return targets;
            }
            int[] c = new int[targets.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = codeOfLabel[targets[i]];
            }
            return c;
        }

        @Override
        public NDArray loss(NDArray logits, int[] targets) {
            return Losses.crossEntropy(logits, targets);
        }

        @Override
        public int correct(NDArray logits, int[] targets) {
            return Losses.correct(logits, targets);
        }

        @Override
        public boolean cooperative() {
            return false;
        }
    }

    /**
     * Code reading: every face gets a fresh random code of {@code bits} bits at every step, and the
     * surrogate reads each bit back from the protected face (one logit per bit, binary cross-entropy).
     * Identities play no part, so G cannot lean on what makes a known person recognisable; it must
     * write every bit of any code in a way a network trained from scratch picks up. Two people with
     * different codes then always carry patterns that differ in a readable way, which is what makes
     * the protection hold for people G never saw.
     */
    record CodeReading(int bits) implements SideObjective {

        @Override
        public int outputs() {
            return bits;
        }

        @Override
        public String name() {
            return "code-reading";
        }

        @Override
        public int[] targets(int[] batch, Random rng) {
            int[] codes = new int[batch.length];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = rng.nextInt(1 << bits);
            }
            return codes;
        }

        @Override
        public int[] codes(int[] targets) {
            return targets;
        }

        @Override
        public NDArray loss(NDArray logits, int[] targets) {
            NDManager manager = logits.getManager();
            NDArray t = LabelCode.batch(manager, targets, bits).toDevice(logits.getDevice(), false);
            return Losses.binaryCrossEntropyWithLogits(logits, t);
        }

        @Override
        public int correct(NDArray logits, int[] targets) {
            float[] z = logits.toFloatArray();
            int ok = 0;
            for (int i = 0; i < targets.length; i++) {
                float[] read = new float[bits];
                for (int b = 0; b < bits; b++) {
                    read[b] = z[i * bits + b] > 0 ? 1 : 0;
                }
                ok += LabelCode.decode(read) == targets[i] ? 1 : 0;
            }
            return ok;
        }

        /** Writer and reader share the goal of a readable code: they train together. */
        @Override
        public boolean cooperative() {
            return true;
        }
    }
}
