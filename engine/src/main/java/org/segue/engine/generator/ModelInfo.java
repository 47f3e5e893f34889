package org.segue.engine.generator;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a model file says about itself: the architecture its weights belong to, the perturbation
 * budget and input size it was trained for, the label-code width, and the recipe that trained it
 * (free-form key/value pairs such as dataset, epochs, seed, duration).
 */
public record ModelInfo(String architecture, float epsilon, int inputHeight, int inputWidth, int codeBits,
        Map<String, String> recipe) {

    public ModelInfo {
        recipe = java.util.Collections.unmodifiableMap(new TreeMap<>(recipe));
    }

    public ModelInfo withRecipe(Map<String, String> more) {
        Map<String, String> merged = new TreeMap<>(recipe);
        merged.putAll(more);
        return new ModelInfo(architecture, epsilon, inputHeight, inputWidth, codeBits, merged);
    }
}
