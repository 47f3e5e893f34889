package org.segue.engine.api;

import org.junit.jupiter.api.Test;
import org.segue.engine.training.TrainingConfig;
import org.segue.engine.training.TrainingJob;
import org.segue.engine.training.TrainingRecipes;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every host's training settings reach the trainer the same way, typed or as text. */
class TrainingRequestTest {

    private static final Path DATA = Path.of("faces");
    private static final Path OUT = Path.of("model.segue");

    @Test
    void typedSettingsAndTheirTextGiveTheSameStages() {
        TrainingRequest typed = TrainingRequest.builder(DATA, OUT).recipe("shipped").epochs(3).inputSize(48)
                .batchSize(6).pgdSteps(2).pgdRadiusLevels(4f).pgdTarget(TrainingRequest.PgdTarget.SURROGATE_INPUT)
                .distortion(TrainingRequest.Distortion.ROBUST).rescale(0.8f, 4f).crop(0.5f, 0.8f, 10f).view(0.7f, 16)
                .colourJitter(0.1f).surrogateEvery(2).generatorLr(1e-3f).seed(7).codes(TrainingRequest.Codes.INDEX)
                .device("cpu").build();
        TrainingRequest text = TrainingRequest.builder(DATA, OUT).recipe("shipped").device("cpu")
                .overrides("epochs=3 input-size=48 batch-size=6 pgd-steps=2 pgd-radius=4 pgd-on=surrogate-input "
                        + "distortion=robust rescale=0.8,4 crop=0.5,0.8,10 view=0.7,16 colour-jitter=0.1 "
                        + "surrogate-every=2 generator-lr=0.001 seed=7 codes=index").build();
        TrainingJob.Request a = TrainingRecipes.job(typed);
        TrainingJob.Request b = TrainingRecipes.job(text);
        assertEquals(a.stages(), b.stages());
        assertEquals(3, a.stages().size(), "the shipped recipe keeps its three stages");
        assertEquals(3, a.stages().get(0).epochs(), "epochs set the first stage");
        assertEquals(TrainingConfig.shippedFineTune().epochs(), a.stages().get(1).epochs(), "the fine-tunes keep their length");
        assertEquals(TrainingConfig.shippedOvalFineTune().epochs(), a.stages().get(2).epochs());
        for (TrainingConfig stage : a.stages()) {
            assertEquals(48, stage.inputSize());
            assertEquals(6, stage.batchSize());
            assertEquals(4f / 255f, stage.distortion().adversarialRadius(), 1e-9);
            assertTrue(stage.distortion().adversarialOnSurrogateInput());
        }
        assertFalse(a.nameCodes(), "codes=index overrides the shipped recipe's name codes");
        assertEquals(a.nameCodes(), b.nameCodes());
    }

    @Test
    void theVisibilityAndEmbeddingTermsAndAGreyPerturbationAreSettingsLikeTheOthers() {
        TrainingRequest typed = TrainingRequest.builder(DATA, OUT).recipe("cpu").visibilityWeight(0.05f)
                .embeddingWeight(2f).greyPerturbation(true).device("cpu").build();
        TrainingRequest text = TrainingRequest.builder(DATA, OUT).recipe("cpu").device("cpu")
                .overrides("visibility-weight=0.05 embedding-weight=2 perturbation-colour=grey").build();
        TrainingJob.Request a = TrainingRecipes.job(typed);
        assertEquals(a.stages(), TrainingRecipes.job(text).stages());
        for (TrainingConfig stage : a.stages()) {
            assertEquals(0.05f, stage.visibilityWeight());
            assertEquals(2f, stage.embeddingWeight());
            assertEquals("2.0", stage.describe().get("embedding.weight"), "the model file records it");
            assertTrue(stage.greyPerturbation());
            assertEquals("grey", stage.describe().get("perturbation.colour"), "the model file records it");
        }
        TrainingConfig plain = TrainingRecipes.job(TrainingRequest.builder(DATA, OUT).recipe("cpu").device("cpu").build())
                .stages().get(0);
        assertEquals(0f, plain.visibilityWeight(), "the recipes leave the term out");
        assertEquals(0f, plain.embeddingWeight(), "and this one");
        assertThrows(IllegalArgumentException.class, () -> plain.withEmbeddingWeight(-1f));
        assertFalse(plain.greyPerturbation());
        assertEquals("colour", plain.describe().get("perturbation.colour"));
        assertThrows(IllegalArgumentException.class, () -> plain.withInputSize(16).withVisibilityWeight(1f),
                "S-CIELAB's filters need a face of some size");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingRequest.builder(DATA, OUT)
                .overrides("perturbation-colour=gray")).getMessage().contains("perturbation-colour"));
    }

    @Test
    void theAreaIsASettingThatEveryStageAndTheModelFileTakeUp() {
        TrainingRequest typed = TrainingRequest.builder(DATA, OUT).recipe("shipped").area(TrainingRequest.Area.HEAD)
                .device("cpu").build();
        TrainingRequest text = TrainingRequest.builder(DATA, OUT).recipe("shipped").device("cpu")
                .overrides("area=head").build();
        TrainingJob.Request a = TrainingRecipes.job(typed);
        assertEquals(a.stages(), TrainingRecipes.job(text).stages());
        for (TrainingConfig stage : a.stages()) {
            assertEquals(org.segue.engine.generator.FaceMask.HEAD, stage.area());
            assertEquals(org.segue.engine.generator.FaceMask.HEAD.recipeName(),
                    stage.describe().get(org.segue.engine.generator.FaceMask.RECIPE_KEY), "the model file records it");
        }
        for (TrainingConfig stage : TrainingRecipes.job(TrainingRequest.builder(DATA, OUT).recipe("shipped")
                .device("cpu").build()).stages()) {
            assertEquals(org.segue.engine.generator.FaceMask.FACE, stage.area(), "the recipes confine it to the face");
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingRequest.builder(DATA, OUT)
                .overrides("area=shoulders")).getMessage().contains("area"));
    }

    @Test
    void theBudgetIsASettingInLevelsThatEveryStageAndTheModelFileTakeUp() {
        TrainingRequest typed = TrainingRequest.builder(DATA, OUT).recipe("shipped").budgetLevels(16f).device("cpu").build();
        TrainingRequest text = TrainingRequest.builder(DATA, OUT).recipe("shipped").device("cpu")
                .overrides("budget=16").build();
        TrainingJob.Request a = TrainingRecipes.job(typed);
        assertEquals(a.stages(), TrainingRecipes.job(text).stages());
        for (TrainingConfig stage : a.stages()) {
            assertEquals(16f / 255f, stage.epsilon(), 1e-9);
        }
        TrainingConfig plain = TrainingRecipes.job(TrainingRequest.builder(DATA, OUT).recipe("cpu").device("cpu").build())
                .stages().get(0);
        assertEquals(8f / 255f, plain.epsilon(), 1e-9, "the recipes' budget");
        for (float bad : new float[] {0f, -1f, 256f, Float.NaN}) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingRecipes.job(TrainingRequest
                    .builder(DATA, OUT).recipe("cpu").budgetLevels(bad).device("cpu").build()))
                    .getMessage().contains("budget"), "budget " + bad);
        }
    }

    @Test
    void aValueInQuotesMayHoldSpaces() {
        TrainingRequest r = TrainingRequest.builder(DATA, OUT).overrides("init=\"/models/my model.segue\" seed=3").build();
        assertEquals(Path.of("/models/my model.segue"), r.initialModel());
        assertEquals(3, r.seed());
        assertThrows(IllegalArgumentException.class, () -> TrainingRequest.builder(DATA, OUT).overrides("init=\"/a b"));
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        TrainingRequest.Builder b = TrainingRequest.builder(DATA, OUT);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.overrides("pgd-radus=4")).getMessage()
                .contains("pgd-radus"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.overrides("crop=0.5")).getMessage()
                .contains("crop"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> b.overrides("epochs=many")).getMessage()
                .contains("epochs"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingRecipes.job(TrainingRequest.builder(DATA, OUT)
                .pgdSteps(0).pgdRadiusLevels(2f).device("cpu").build())).getMessage().contains("contradicts"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrainingRequest.builder(DATA, OUT).recipe("fast")
                .build()).getMessage().contains(String.join(", ", TrainingRequest.RECIPES)));
        assertThrows(IllegalArgumentException.class, () -> TrainingRequest.builder(DATA, OUT).recipe(null).build(),
                "a missing recipe is refused as unknown, not with a NullPointerException");
    }
}
