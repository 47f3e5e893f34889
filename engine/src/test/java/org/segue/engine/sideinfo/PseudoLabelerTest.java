package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PseudoLabelerTest {

    @Test
    void lbpPseudoLabelsSeparateSyntheticIdentities() {
        Random random = new Random(11);
        List<RgbImage> faces = new ArrayList<>();
        int[] truth = new int[30];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = random.nextInt(SyntheticFaces.IDENTITIES); // shuffled and unequal group sizes
            faces.add(SyntheticFaces.sample(truth[i], random));
        }
        PseudoLabeler.Labelling labelling = PseudoLabeler.labelWithEmbeddings(
                faces, SyntheticFaces.IDENTITIES, new LbpFeatureExtractor(), 5, 1);

        assertEquals(1.0, ClusteringAccuracy.of(labelling.labels(), truth));
        assertEquals(faces.size(), labelling.embeddings().length);
        for (int label : labelling.labels()) {
            assertTrue(label >= 0 && label < SyntheticFaces.IDENTITIES);
        }
        assertArrayEquals(labelling.labels(),
                PseudoLabeler.label(faces, SyntheticFaces.IDENTITIES, new LbpFeatureExtractor(), 5, 1));
    }

    @Test
    void twoIdentitiesClusterApart() {
        Random random = new Random(12);
        List<RgbImage> faces = new ArrayList<>();
        int[] truth = new int[16];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = (i * 7) % 2; // identities 0 (stripes) and 1 (rings), interleaved
            faces.add(SyntheticFaces.sample(truth[i], random));
        }
        int[] labels = PseudoLabeler.label(faces, 2, new LbpFeatureExtractor(), 3, 2);
        assertEquals(1.0, ClusteringAccuracy.of(labels, truth));
    }

    @Test
    void clustersByDirectionAfterUnitScaling() {
        // a stub extractor whose embedding is the image's first pixel (r, g, b): the faces differ in
        // brightness far more than in hue, so only after scaling to unit length do they group by hue
        FeatureExtractor firstPixel = new FeatureExtractor() {
            @Override
            public float[] embed(RgbImage face) {
                return new float[] {face.get(0, 0, 0), face.get(1, 0, 0), face.get(2, 0, 0)};
            }

            @Override
            public String name() {
                return "first-pixel";
            }
        };
        float[][] colours = {{0.9f, 0.1f, 0.1f}, {0.1f, 0.1f, 0.9f}};
        float[] brightness = {0.05f, 1f, 0.1f, 0.9f, 0.2f, 0.8f};
        List<RgbImage> faces = new ArrayList<>();
        int[] truth = new int[colours.length * brightness.length];
        for (int i = 0; i < truth.length; i++) {
            truth[i] = i % 2;
            float[] chw = new float[3];
            for (int c = 0; c < 3; c++) {
                chw[c] = colours[truth[i]][c] * brightness[i / 2];
            }
            faces.add(new RgbImage(chw, 1, 1));
        }
        PseudoLabeler.Labelling labelling = PseudoLabeler.labelWithEmbeddings(faces, 2, firstPixel, 3, 0);
        assertEquals(1.0, ClusteringAccuracy.of(labelling.labels(), truth));
        for (float[] e : labelling.embeddings()) {
            assertEquals(1.0, Math.sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]), 1e-6);
        }
    }

    @Test
    void rejectsBadArguments() {
        LbpFeatureExtractor lbp = new LbpFeatureExtractor();
        List<RgbImage> two = List.of(SyntheticFaces.constant(8, 8, 0.5f), SyntheticFaces.constant(8, 8, 0.6f));
        assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.label(List.of(), 1, lbp, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.label(two, 3, lbp, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.label(two, 0, lbp, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.label(two, 1, null, 1, 0));
    }

    @Test
    void anyEmbedderPlugsIn() {
        // an extractor that looks a face up in known embeddings stands for a pretrained embedder
        SyntheticEmbeddings people = new SyntheticEmbeddings(128, new int[] {12, 20, 9, 15}, 0.6, 21);
        List<RgbImage> faces = new ArrayList<>();
        for (int i = 0; i < people.x.length; i++) {
            faces.add(SyntheticFaces.constant(4, 4, i / 1000f));
        }
        FeatureExtractor lookup = new FeatureExtractor() {
            @Override
            public float[] embed(RgbImage face) {
                return people.x[Math.round(face.get(0, 0, 0) * 1000)];
            }

            @Override
            public String name() {
                return "lookup";
            }
        };
        PseudoLabeler.Labelling k = PseudoLabeler.labelWithEmbeddings(faces, 4, lookup, 5, 0);
        assertEquals(1.0, ClusteringAccuracy.of(k.labels(), people.y));
        assertArrayEquals(k.labels(), PseudoLabeler.labelEmbeddings(people.x, 4, 5, 0).labels());
        assertTrue(k.inertia() > 0);

        PseudoLabeler.Labelling grouped = PseudoLabeler.group(faces, lookup, 0.6);
        assertEquals(4, grouped.groups());
        assertEquals(1.0, ClusteringAccuracy.of(grouped.labels(), people.y));
        assertTrue(Double.isNaN(grouped.inertia()));
        assertEquals("Labelling[56 faces in 4 groups]", grouped.toString());
        assertEquals(1.0, Math.sqrt(Embeddings.dot(grouped.embeddings()[0], grouped.embeddings()[0])), 1e-6);
        assertNotSame(people.x[0], grouped.embeddings()[0], "the extractor's arrays are left alone");
        assertThrows(IllegalArgumentException.class, () -> PseudoLabeler.groupEmbeddings(new float[][] {{1, Float.NaN}}, 0.5));
    }

    @Test
    void theFallbackIsLbp() {
        assertTrue(PseudoLabeler.fallbackExtractor() instanceof LbpFeatureExtractor);
    }

    @Test
    void runnerUpsAreTheFacesNearestAnotherGroup() {
        // two people at right angles in the plane, each with faces spread towards the other by a known angle
        double[] degrees = {0, 5, 10, 40, 30, 90, 85, 80, 50, 60};
        int[] group = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        float[][] embeddings = new float[degrees.length][];
        for (int i = 0; i < degrees.length; i++) {
            double a = Math.toRadians(degrees[i]);
            embeddings[i] = new float[] {(float) Math.cos(a), (float) Math.sin(a), 0};
        }
        PseudoLabeler.Labelling labelling = new PseudoLabeler.Labelling(group, embeddings, Double.NaN);

        // the faces at 40 and 50 degrees lie nearest the middle, then those at 30 and 60
        assertArrayEquals(new int[] {-1, -1, -1, 1, -1, -1, -1, -1, 0, -1}, labelling.runnerUps(0.2));
        assertArrayEquals(new int[] {-1, -1, -1, 1, 1, -1, -1, -1, 0, 0}, labelling.runnerUps(0.4));
        assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1}, labelling.runnerUps(0.05)); // under one face
        assertEquals(-1, new PseudoLabeler.Labelling(new int[] {0, 0}, new float[][] {{1, 0}, {0, 1}}, 0).runnerUps(1)[0]);
        assertThrows(IllegalArgumentException.class, () -> labelling.runnerUps(1.5));
        assertThrows(IllegalArgumentException.class, () -> labelling.runnerUps(Double.NaN));
    }
}
