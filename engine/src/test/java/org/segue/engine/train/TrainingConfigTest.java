package org.segue.engine.train;

import org.junit.jupiter.api.Test;
import org.segue.engine.SegueModel;
import org.segue.engine.model.ModelFile;

import java.io.InputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The named recipes: the "shipped" one must be the recipe the shipped default model was trained with. */
class TrainingConfigTest {

    @Test
    void shippedRecipeIsTheOneTheDefaultModelRecords() throws Exception {
        Map<String, String> recorded;
        try (InputStream in = SegueModel.class.getResourceAsStream(SegueModel.DEFAULT_MODEL_RESOURCE)) {
            recorded = ModelFile.parse(in.readAllBytes(), "default model").info().recipe();
        }
        Map<String, String> shipped = TrainingConfig.shipped().describe();
        for (Map.Entry<String, String> e : shipped.entrySet()) {
            assertEquals(recorded.get(e.getKey()), e.getValue(), "recipe entry " + e.getKey());
        }
        assertTrue(recorded.get("codes").startsWith("folder-name codes"), recorded.get("codes"));
        assertTrue(TrainingConfig.usesNameCodes("shipped"));
        assertEquals(56, TrainingConfig.shipped().generatorSize());
    }

    @Test
    void recipesByName() {
        assertEquals(TrainingConfig.cpu(), TrainingConfig.recipe("cpu"));
        assertEquals(TrainingConfig.paper(), TrainingConfig.recipe("paper"));
        assertEquals(TrainingConfig.shipped(), TrainingConfig.recipe("shipped"));
        assertFalse(TrainingConfig.usesNameCodes("cpu") || TrainingConfig.usesNameCodes("paper"),
                "the authors' recipes number the identity folders");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.recipe("fast"));
        assertTrue(e.getMessage().contains("'fast'") && e.getMessage().contains("shipped, cpu, paper"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.recipe(null));
    }
}
