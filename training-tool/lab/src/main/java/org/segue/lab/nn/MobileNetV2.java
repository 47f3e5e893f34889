package org.segue.lab.nn;

import ai.djl.training.initializer.NormalInitializer;

/**
 * torchvision's MobileNetV2 (width multiplier 1.0): a 3x3/2 stem of 32 channels, 17 inverted residual
 * blocks (1x1 expansion, 3x3 depthwise, linear 1x1 projection; ReLU6) and a 1x1 head of 1280 channels;
 * 2,236,682 parameters for 10 classes (torchvision's 3,504,872 for 1000), and torchvision's dropout of
 * 0.2 before the classifier in training (added in session 9; attacker rows measured before had none).
 *
 * <p>With {@code smallInputStem} the stem convolution has stride 1 instead of 2 (same parameters).
 */
public final class MobileNetV2 extends InvertedResidualNet {

    /** torchvision's inverted residual settings: expansion t, channels c, repeats n, first stride s. */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1},
        {6, 24, 2, 2},
        {6, 32, 3, 2},
        {6, 64, 4, 2},
        {6, 96, 3, 1},
        {6, 160, 3, 2},
        {6, 320, 1, 1},
    };

    private static final int STEM_CHANNELS = 32;
    private static final int LAST_CHANNELS = 1280;

    public MobileNetV2(int numClasses, boolean smallInputStem) {
        super(numClasses, smallInputStem, STEM_CHANNELS, Act.RELU6);
        int in = STEM_CHANNELS;
        int index = 1;
        for (int[] setting : SETTINGS) {
            for (int i = 0; i < setting[2]; i++) {
                int stride = i == 0 ? setting[3] : 1;
                addBlock("features." + index++, in, setting[1], setting[0], 3, stride, false);
                in = setting[1];
            }
        }
        // torchvision's MobileNetV2 initialises its classifier N(0, 0.01) and drops 0.2 of its input.
        addHead("features." + index, LAST_CHANNELS, new NormalInitializer(0.01f), 0.2f);
    }
}
