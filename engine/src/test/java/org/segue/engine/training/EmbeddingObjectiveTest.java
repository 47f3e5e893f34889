package org.segue.engine.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.segue.engine.face.CropFraming;
import org.segue.engine.face.FaceAlignment;
import org.segue.engine.face.FaceRecognitionNet;
import org.segue.engine.internal.Batches;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceLandmarks;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingObjectiveTest {

    /** A smooth colour pattern: bilinear resampling of it has no error beyond rounding. */
    private static RgbImage pattern(int size, double phase) {
        float[] chw = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    chw[(c * size + y) * size + x] = (float) (0.5 + 0.4 * Math.sin(phase + (c + 1) * x / 17.0)
                            * Math.cos(phase + (3 - c) * y / 23.0));
                }
            }
        }
        return new RgbImage(chw, size, size);
    }

    @Test
    void resamplingRowsAreWeightsThatSumToOneAndRepeatTheEdge() {
        float[] m = EmbeddingObjective.resampling(new double[] {-3, 0, 2.5, 9.7}, 2.5, 10);
        for (int k = 0; k < 4; k++) {
            double sum = 0;
            for (int s = 0; s < 10; s++) {
                assertTrue(m[k * 10 + s] >= 0);
                sum += m[k * 10 + s];
            }
            assertEquals(1, sum, 1e-6);
        }
        assertEquals(1f, m[0], 1e-6f, "far before the start: the first sample only");
    }

    @Test
    void theRecognisersCropIsTheAlignedCropOfTheTrainingFace() {
        DjlRuntime.noGradientsOnThisThread();
        try (FaceRecognitionNet net = FaceRecognitionNet.load();
             NDManager manager = DjlRuntime.engine().newBaseManager()) {
            int size = 112;
            EmbeddingObjective objective = new EmbeddingObjective(net, size);
            RgbImage face = pattern(size, 0);
            // the training face is itself an aligned crop: its landmarks are the template's points at its size
            FaceLandmarks template = new FaceLandmarks(CropFraming.trainingCrops(size).templatePoints());
            RgbImage expected = FaceAlignment.of(template, net.framing()).warp(face);
            NDArray cut = objective.cut(Batches.stack(manager, List.of(face)), 1, 0, 0);
            float[] got = cut.toFloatArray();
            double worst = 0;
            for (int i = 0; i < got.length; i++) {
                worst = Math.max(worst, Math.abs(got[i] - expected.chw()[i]));
            }
            assertTrue(worst < 2e-3, "largest difference to the aligned crop " + worst);
        }
    }

    @Test
    void aFaceIsMostSimilarToItselfAndTheGradientReachesTheProtectedFace() {
        DjlRuntime.noGradientsOnThisThread();
        try (FaceRecognitionNet net = FaceRecognitionNet.load();
             NDManager manager = DjlRuntime.engine().newBaseManager()) {
            EmbeddingObjective objective = new EmbeddingObjective(net, 112);
            NDArray clean = Batches.stack(manager, List.of(pattern(112, 0), pattern(112, 1)));
            NDArray other = Batches.stack(manager, List.of(pattern(112, 2), pattern(112, 3)));
            float self = objective.similarity(clean, clean, new Random(1)).getFloat();
            float apart = objective.similarity(clean, other, new Random(1)).getFloat();
            assertTrue(self > 0.9f && self > apart, "itself " + self + ", other images " + apart);
            assertEquals(apart, objective.similarityTo(objective.embeddings(clean), other, new Random(1)).getFloat(),
                    1e-5f, "the similarity to a face is the similarity to its embedding, as to a decoy's");
            float[] unit = objective.embeddings(other).mul(objective.embeddings(other)).sum(new int[] {1}).toFloatArray();
            assertEquals(1f, unit[0], 1e-4f, "unit embeddings");

            NDArray changed = clean.add(0.01f);
            changed.setRequiresGradient(true);
            try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                gc.backward(objective.similarity(clean, changed, new Random(2)));
            }
            NDArray g = changed.getGradient();
            assertTrue(g.abs().sum().getFloat() > 0 && !g.isNaN().any().getBoolean(), "a finite, non-zero gradient");
        }
    }

    @Test
    void aStepAgainstTheGradientLowersTheSimilarity() {
        DjlRuntime.noGradientsOnThisThread();
        try (FaceRecognitionNet net = FaceRecognitionNet.load();
             NDManager manager = DjlRuntime.engine().newBaseManager()) {
            EmbeddingObjective objective = new EmbeddingObjective(net, 112);
            NDArray clean = Batches.stack(manager, List.of(pattern(112, 0), pattern(112, 1)));
            NDArray delta = clean.zerosLike();
            float before = objective.similarity(clean, clean).getFloat();
            for (int step = 0; step < 5; step++) {
                delta.setRequiresGradient(true);
                try (GradientCollector gc = DjlRuntime.engine().newGradientCollector()) {
                    gc.backward(objective.similarity(clean, clean.add(delta)));
                }
                delta = delta.stopGradient().sub(delta.getGradient().sign().mul(2f / 255)).clip(-8f / 255, 8f / 255);
            }
            float after = objective.similarity(clean, clean.add(delta)).getFloat();
            assertTrue(after < before - 0.05f, "similarity " + before + " -> " + after + " after 5 signed steps");
        }
    }
}
