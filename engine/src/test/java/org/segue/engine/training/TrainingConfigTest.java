package org.segue.engine.training;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.segue.engine.generator.SegueModel;
import org.segue.engine.generator.ModelFile;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        List<TrainingConfig> stages = TrainingConfig.stages("shipped");
        assertEquals(3, stages.size());
        assertRecords(recorded, stages.get(2), true);
        assertTrue(recorded.containsKey("initial.model"), "the default model is a fine-tune");
        assertTrue(recorded.get("codes").startsWith("folder-name codes"), recorded.get("codes"));
        assertTrue(TrainingConfig.usesNameCodes("shipped"));
        for (TrainingConfig stage : stages) {
            assertEquals(56, stage.generatorSize(), "each stage fine-tunes the generator the stage before wrote");
        }

        // the first two stages are the models the later ones started from, kept in the lab with the measurements
        // made on them (run 12, then run 19, each the default in its time); skipped where the lab is not beside
        // the engine
        Path run12 = Path.of("../training-tool/lab/results/webface10-runs/run12.segue");
        Path run19 = Path.of("../training-tool/lab/results/webface10-runs/run19.segue");
        Assumptions.assumeTrue(Files.isRegularFile(run12) && Files.isRegularFile(run19),
                "run12.segue and run19.segue not found beside the engine: the first two stages not checked");
        assertRecords(ModelFile.read(run12).info().recipe(), stages.get(0), false);
        assertRecords(ModelFile.read(run19).info().recipe(), stages.get(1), false);
    }

    /**
     * Every entry the recipe describes is the one the model file records. The first two stages were trained before
     * the face oval, the visibility and embedding terms and the grey perturbation existed: they record none of
     * them, and the recipe's visibility, embedding and colour entries are what they had without them; only the
     * last stage was trained with the oval (docs/model-card.md).
     */
    private static void assertRecords(Map<String, String> recorded, TrainingConfig recipe, boolean withOval) {
        Map<String, String> before = Map.of("perturbation.colour", "colour", "visibility.weight", "0.0",
                "visibility.ppd", "-", "embedding.weight", "0.0");
        for (Map.Entry<String, String> e : recipe.describe().entrySet()) {
            if (e.getKey().equals(org.segue.engine.generator.FaceMask.RECIPE_KEY) && !withOval) {
                assertEquals(null, recorded.get(e.getKey()), "this stage was trained without the face oval");
            } else if (!withOval && before.containsKey(e.getKey()) && !recorded.containsKey(e.getKey())) {
                assertEquals(before.get(e.getKey()), e.getValue(), "recipe entry " + e.getKey());
            } else {
                assertEquals(e.getValue(), recorded.get(e.getKey()), "recipe entry " + e.getKey());
            }
        }
    }

    @Test
    void recipesByName() {
        assertEquals(List.of(TrainingConfig.cpu()), TrainingConfig.stages("cpu"));
        assertEquals(List.of(TrainingConfig.paper()), TrainingConfig.stages("paper"));
        assertEquals(List.of(TrainingConfig.shippedFirstStage(), TrainingConfig.shippedFineTune(),
                TrainingConfig.shippedOvalFineTune()), TrainingConfig.stages("shipped"));
        assertFalse(TrainingConfig.usesNameCodes("cpu") || TrainingConfig.usesNameCodes("paper"),
                "the authors' recipes number the identity folders");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.stages("fast"));
        assertTrue(e.getMessage().contains("'fast'") && e.getMessage().contains("shipped, cpu, paper"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.stages(null));
    }

    @Test
    void hostSettingsSetTheFirstStagesEpochsAndEveryStagesSize() {
        List<TrainingConfig> stages = TrainingConfig.stages("shipped", 3, 48);
        assertEquals(List.of(3, 12, 15), stages.stream().map(TrainingConfig::epochs).toList(), "the fine-tunes keep their length");
        assertEquals(List.of(48, 48, 48), stages.stream().map(TrainingConfig::inputSize).toList());
        assertTrue(stages.get(1).distortion().adversarialOnSurrogateInput());
        assertFalse(stages.get(2).distortion().adversarialOnSurrogateInput(), "the oval fine-tune has the first stage's settings");
        assertEquals(List.of(TrainingConfig.cpu().withEpochs(3).withInputSize(48)), TrainingConfig.stages("cpu", 3, 48));
    }

    @Test
    void aHostThatLeavesTheEpochsOpenKeepsTheRecipesAndAppliesItsOtherSettingsToEveryStage() {
        List<TrainingConfig> stages = TrainingConfig.stages("shipped", null, stage -> stage.withBatchSize(4));
        assertEquals(TrainingConfig.stages("shipped").stream().map(TrainingConfig::epochs).toList(),
                stages.stream().map(TrainingConfig::epochs).toList());
        assertEquals(List.of(4, 4, 4), stages.stream().map(TrainingConfig::batchSize).toList());
        assertEquals(List.of(7, 12, 15), TrainingConfig.stages("shipped", 7, stage -> stage).stream()
                .map(TrainingConfig::epochs).toList());
    }
}
