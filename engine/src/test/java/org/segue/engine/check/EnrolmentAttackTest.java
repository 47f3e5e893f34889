package org.segue.engine.check;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnrolmentAttackTest {

    /** Faces of {@code people} people: a direction per person plus noise (tight clusters). */
    private static float[][] faces(float[][] centres, int[] labels, double noise, Random random) {
        float[][] out = new float[labels.length][centres[0].length];
        for (int i = 0; i < labels.length; i++) {
            for (int d = 0; d < out[i].length; d++) {
                out[i][d] = (float) (centres[labels[i]][d] + noise * random.nextGaussian());
            }
        }
        return out;
    }

    private static float[][] centres(int people, int dim, Random random) {
        float[][] c = new float[people][dim];
        for (float[] row : c) {
            for (int d = 0; d < dim; d++) {
                row[d] = (float) random.nextGaussian();
            }
        }
        return c;
    }

    private static int[] labels(int people, int each) {
        int[] l = new int[people * each];
        for (int i = 0; i < l.length; i++) {
            l[i] = i % people;
        }
        return l;
    }

    @Test
    void anUntouchedGalleryIsRecognisedAndAProtectionThatMovesEmbeddingsIsNot() {
        Random random = new Random(1);
        float[][] centres = centres(10, 32, random);
        int[] gl = labels(10, 8);
        int[] pl = labels(10, 3);
        float[][] gallery = faces(centres, gl, 0.1, random);
        float[][] probes = faces(centres, pl, 0.1, random);
        // a protection that does nothing (chance is 10%)
        EnrolmentAttack.Result none = EnrolmentAttack.measure(gallery, gallery, gl, probes, probes, pl, 0);
        assertEquals(1.0, none.cleanGalleryRank1());
        assertEquals(1.0, none.protectedGalleryRank1());
        assertEquals(1.0, none.protectedClusteringAccuracy());
        assertEquals(1.0, none.meanShift(), 1e-6);
        // a protection that replaces every face's embedding by a random one
        float[][] moved = faces(centres(80, 32, random), labels(80, 1), 0, random);
        float[][] movedProbes = faces(centres(30, 32, random), labels(30, 1), 0, random);
        EnrolmentAttack.Result strong = EnrolmentAttack.measure(gallery, moved, gl, probes, movedProbes, pl, 0);
        assertEquals(1.0, strong.cleanGalleryRank1());
        assertTrue(strong.protectedGalleryRank1() < 0.4, "rank-1 " + strong.protectedGalleryRank1());
        assertTrue(strong.protectedProbesRank1() < 0.4, "probes " + strong.protectedProbesRank1());
        assertTrue(strong.protectedClusteringAccuracy() < 0.5, "clustering " + strong.protectedClusteringAccuracy());
        assertTrue(strong.meanShift() < 0.5, "shift " + strong.meanShift());
    }

    /**
     * A protection that moves every protected embedding the same way: against a gallery protected throughout the
     * ranking stays (each probe's similarities all shift alike); a person protected alone among clean people is
     * no longer found, their protected faces now resembling each other more than their own probes.
     */
    @Test
    void aCommonShiftFailsOnlyWhereThePersonIsProtectedAlone() {
        Random random = new Random(4);
        float[][] centres = centres(10, 32, random);
        int[] gl = labels(10, 8);
        int[] pl = labels(10, 3);
        float[][] gallery = faces(centres, gl, 0.1, random);
        float[][] probes = faces(centres, pl, 0.1, random);
        float[] common = centres(1, 32, random)[0];
        float[][] moved = new float[gallery.length][32];
        for (int i = 0; i < gallery.length; i++) {
            for (int d = 0; d < 32; d++) {
                moved[i][d] = gallery[i][d] + 4 * common[d];
            }
        }
        EnrolmentAttack.Result shifted = EnrolmentAttack.measure(gallery, moved, gl, probes, probes, pl, 0);
        double together = shifted.protectedGalleryRank1();
        double alone = shifted.protectedAloneRank1();
        assertTrue(together > 0.9, "the whole gallery moved alike keeps its ranking: " + together);
        assertTrue(alone < 0.5, "one person moved among unmoved people is lost: " + alone);
        assertEquals(1.0, EnrolmentAttack.measure(gallery, gallery, gl, probes, probes, pl, 0).protectedAloneRank1(),
                "no protection");
    }

    @Test
    void rank1CountsTheNearestGalleryFaceByCosine() {
        float[][] gallery = {{1, 0}, {0, 1}};
        int[] gl = {0, 1};
        // longer vectors must not win: cosine, not dot product
        float[][] probes = {{10, 1}, {1, 10}, {1, 0.9f}};
        int[] pl = {0, 1, 1};
        assertEquals(2.0 / 3, EnrolmentAttack.rank1(gallery, gl, probes, pl), 1e-9);
    }

    @Test
    void refusesMismatchedOrZeroEmbeddings() {
        float[][] g = {{1, 0}, {0, 1}};
        assertThrows(IllegalArgumentException.class, () ->
                EnrolmentAttack.measure(g, new float[][] {{1, 0}}, new int[] {0, 1}, g, g, new int[] {0, 1}, 0));
        assertThrows(IllegalArgumentException.class, () ->
                EnrolmentAttack.measure(g, new float[][] {{0, 0}, {0, 1}}, new int[] {0, 1}, g, g, new int[] {0, 1}, 0));
    }
}
