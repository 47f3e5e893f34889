package org.segue.lab.nn;

import ai.djl.nn.AbstractBlock;
import org.segue.engine.check.AttackerNetwork;
import org.segue.engine.internal.nn.ResNet18;

import java.util.List;
import java.util.Locale;

/**
 * The attacker architectures of the evaluation harness, as in the Segue paper's evaluation: five
 * classifiers trained from scratch on protected images. Each takes (N,3,H,W) in [0,1] (any H,W from
 * about 32 pixels; 64..224 is the intended range) and returns logits (N, numClasses).
 *
 * <table>
 *   <caption>Architectures (parameters for 10 classes)</caption>
 *   <tr><td>resnet18</td><td>{@link ResNet18}</td><td>11,181,642</td></tr>
 *   <tr><td>resnet50</td><td>{@link ResNet50}</td><td>23,528,522</td></tr>
 *   <tr><td>mobilenetv2</td><td>{@link MobileNetV2}</td><td>2,236,682</td></tr>
 *   <tr><td>inception</td><td>{@link InceptionNet}</td><td>1,001,394</td></tr>
 *   <tr><td>efficientnet</td><td>{@link EfficientNet}</td><td>4,020,358</td></tr>
 * </table>
 * The small-input stem only changes ResNet's first convolution (3x3 instead of 7x7, 7,680 fewer
 * parameters); in the other networks it changes strides, not parameters.
 */
public final class AttackerNetworks {

    private static final List<String> NAMES = List.of("resnet18", "resnet50", "mobilenetv2", "inception", "efficientnet");

    private AttackerNetworks() {}

    /** The valid architecture names, in the paper's order. */
    public static List<String> names() {
        return NAMES;
    }

    /**
     * The fraction of the classifier's input the named network drops in training (torchvision's
     * dropout; 0 where the network has none), so a result can say which network it measured.
     */
    public static float classifierDropout(String name) {
        return create(name, 1, false) instanceof ConvNetBase net ? net.classifierDropout() : 0f;
    }

    /** The named network as an {@link AttackerNetwork} for the engine's {@link org.segue.engine.check.Attacker}. */
    public static AttackerNetwork network(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        create(key, 1, false); // refuses an unknown name at once
        return new AttackerNetwork(key, (classes, smallStem) -> create(key, classes, smallStem));
    }

    /**
     * A new, uninitialised network.
     *
     * @param name one of {@link #names()} (case-insensitive)
     * @param numClasses the number of logits
     * @param smallInputStem whether to keep the full resolution in the stem (stride-1 first convolution,
     *     no stem max-pool), for small inputs
     * @throws IllegalArgumentException for an unknown name or a non-positive class count
     */
    public static AbstractBlock create(String name, int numClasses, boolean smallInputStem) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        }
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "resnet18":
                return new ResNet18(numClasses, smallInputStem);
            case "resnet50":
                return new ResNet50(numClasses, smallInputStem);
            case "mobilenetv2":
                return new MobileNetV2(numClasses, smallInputStem);
            case "inception":
                return new InceptionNet(numClasses, smallInputStem);
            case "efficientnet":
                return new EfficientNet(numClasses, smallInputStem);
            default:
                throw new IllegalArgumentException("Unknown attacker network '" + name + "': use one of "
                        + String.join(", ", NAMES));
        }
    }
}
