package org.segue.lab.nn;

import ai.djl.training.initializer.UniformInitializer;

/**
 * EfficientNet-B0-style (no stochastic depth): torchvision's EfficientNet-B0 layer for layer, without
 * stochastic depth (no parameters), with torchvision's dropout of 0.2 before the classifier in training
 * (added in session 9; attacker rows measured before had none). A 3x3/2 stem of 32
 * channels, 16 MBConv blocks in the B0 stages (channels 16,24,40,80,112,192,320; repeats 1,2,2,3,3,4,1;
 * strides 1,2,2,2,1,2,1; kernels 3,3,5,3,5,5,3; expansion 1 in the first stage, 6 after), each with
 * squeeze-and-excitation (ratio 0.25 of the block's input channels), SiLU activations, and a 1x1 head of
 * 1280 channels; 4,020,358 parameters for 10 classes (torchvision's 5,288,548 for 1000).
 *
 * <p>With {@code smallInputStem} the stem convolution has stride 1 instead of 2 (same parameters).
 */
public final class EfficientNet extends InvertedResidualNet {

    /** B0 stages: expansion, kernel, first stride, output channels, repeats. */
    private static final int[][] STAGES = {
        {1, 3, 1, 16, 1},
        {6, 3, 2, 24, 2},
        {6, 5, 2, 40, 2},
        {6, 3, 2, 80, 3},
        {6, 5, 1, 112, 3},
        {6, 5, 2, 192, 4},
        {6, 3, 1, 320, 1},
    };

    private static final int STEM_CHANNELS = 32;
    private static final int HEAD_CHANNELS = 1280;

    public EfficientNet(int numClasses, boolean smallInputStem) {
        super(numClasses, smallInputStem, STEM_CHANNELS, Act.SILU);
        int in = STEM_CHANNELS;
        for (int stage = 0; stage < STAGES.length; stage++) {
            int[] st = STAGES[stage];
            for (int i = 0; i < st[4]; i++) {
                int stride = i == 0 ? st[2] : 1;
                addBlock("features." + (stage + 1) + "." + i, in, st[3], st[0], st[1], stride, true);
                in = st[3];
            }
        }
        // torchvision's EfficientNet initialises its classifier U(-1/sqrt(out), 1/sqrt(out)).
        addHead("features." + (STAGES.length + 1), HEAD_CHANNELS, new UniformInitializer((float) (1 / Math.sqrt(numClasses))),
                0.2f);
    }
}
