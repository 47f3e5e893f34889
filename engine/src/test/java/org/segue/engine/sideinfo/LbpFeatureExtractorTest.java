package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class LbpFeatureExtractorTest {

    private final LbpFeatureExtractor lbp = new LbpFeatureExtractor();

    @Test
    void uniformTableHas58UniformPatternsAndOneSharedBin() {
        int uniform = 0;
        int shared = 0;
        Set<Integer> uniformBins = new HashSet<>();
        for (int code = 0; code < 256; code++) {
            int bin = LbpFeatureExtractor.uniformBin(code);
            if (LbpFeatureExtractor.isUniform(code)) {
                uniform++;
                assertTrue(uniformBins.add(bin), "bin " + bin + " reused by uniform code " + code);
            } else {
                shared++;
                assertEquals(LbpFeatureExtractor.BINS - 1, bin);
            }
        }
        assertEquals(58, uniform);
        assertEquals(256 - 58, shared);
        assertEquals(58, uniformBins.size());
        assertEquals(0, uniformBins.stream().mapToInt(Integer::intValue).min().orElseThrow());
        assertEquals(57, uniformBins.stream().mapToInt(Integer::intValue).max().orElseThrow());
        // spot checks: 0 and 255 have no transition, 0b00111000 two, 0b00000101 and 0b01010101 more
        assertTrue(LbpFeatureExtractor.isUniform(0));
        assertTrue(LbpFeatureExtractor.isUniform(255));
        assertTrue(LbpFeatureExtractor.isUniform(0b00111000));
        assertTrue(LbpFeatureExtractor.isUniform(0b10000001)); // wraps around
        assertFalse(LbpFeatureExtractor.isUniform(0b00000101));
        assertFalse(LbpFeatureExtractor.isUniform(0b01010101));
        assertEquals(0, LbpFeatureExtractor.uniformBin(0));
        assertEquals(57, LbpFeatureExtractor.uniformBin(255));
    }

    @Test
    void constantImageFallsEntirelyInTheAllOnesBin() {
        // every neighbour equals the centre, so every bit (neighbour >= centre) is set: code 255
        int allOnes = LbpFeatureExtractor.uniformBin(255);
        for (RgbImage image : List.of(SyntheticFaces.constant(64, 64, 0.4f), SyntheticFaces.constant(37, 91, 0.8f),
                SyntheticFaces.constant(150, 120, 0.123f))) {
            int[][] histograms = lbp.cellHistograms(image);
            assertEquals(64, histograms.length);
            for (int[] histogram : histograms) {
                for (int bin = 0; bin < LbpFeatureExtractor.BINS; bin++) {
                    assertEquals(bin == allOnes ? 64 : 0, histogram[bin], "bin " + bin); // 8x8 pixels a cell
                }
            }
            float[] embedding = lbp.embed(image);
            for (int i = 0; i < embedding.length; i++) {
                // 64 cells, one unit entry each before normalisation: 1/sqrt(64)
                assertEquals(i % LbpFeatureExtractor.BINS == allOnes ? 0.125f : 0f, embedding[i], 1e-7f);
            }
        }
    }

    @Test
    void knownPatternsGiveTheirCodes() {
        // Bit p is set when the sample at p*45 degrees (0 = right, 2 = up, 4 = left, 6 = down) >= centre.
        // A vertical step, bright from column 2 on: at the first bright pixel the left-side samples
        // (bits 3, 4, 5) are darker and the rest equal.
        float[] step = new float[16];
        for (int y = 0; y < 4; y++) {
            step[y * 4 + 2] = 1;
            step[y * 4 + 3] = 1;
        }
        int[] codes = LbpFeatureExtractor.lbpCodes(step, 4);
        assertEquals(0b11000111, codes[1 * 4 + 2]);
        assertEquals(255, codes[1 * 4 + 1]); // dark side: brighter or equal everywhere
        assertEquals(255, codes[1 * 4 + 3]); // bright interior: all equal

        // A dark dot in a bright field. At the dot every sample is brighter: 255. Just left of it the
        // right sample is darker and, because diagonal samples are interpolated on the circle, so are
        // the up-right and down-right ones (a square 3x3 neighbourhood would read them as equal).
        float[] dot = new float[25];
        java.util.Arrays.fill(dot, 1);
        dot[2 * 5 + 2] = 0;
        codes = LbpFeatureExtractor.lbpCodes(dot, 5);
        assertEquals(255, codes[2 * 5 + 2]);
        assertEquals(0b01111100, codes[2 * 5 + 1]);
        assertEquals(0b00011111, codes[1 * 5 + 2]); // above the dot: down, down-left, down-right darker
    }

    @Test
    void embeddingHasUnitLengthAndFixedDimension() {
        Random random = new Random(3);
        for (int i = 0; i < 5; i++) {
            float[] e = lbp.embed(SyntheticFaces.noise(50 + 10 * i, 70, 0, 1, random));
            assertEquals(lbp.dimension(), e.length);
            assertEquals(8 * 8 * 59, e.length);
            double norm = 0;
            for (float v : e) {
                assertTrue(v >= 0);
                norm += v * v;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-5);
        }
        LbpFeatureExtractor coarse = new LbpFeatureExtractor(32, 3);
        assertEquals(9 * 59, coarse.embed(SyntheticFaces.noise(40, 40, 0, 1, random)).length);
    }

    @Test
    void invariantToGlobalBrightnessOffset() {
        // LBP sees only signs of differences, so adding a constant changes nothing; with continuous
        // random values there are no exact ties whose sign rounding could flip.
        Random random = new Random(4);
        for (RgbImage image : List.of(SyntheticFaces.noise(64, 64, 0, 0.7, random),
                SyntheticFaces.noise(96, 80, 0, 0.7, random), SyntheticFaces.sample(1, random))) {
            float[] base = lbp.embed(image);
            float[] brighter = lbp.embed(SyntheticFaces.affine(image, 1, 0.25f));
            float[] darker = lbp.embed(SyntheticFaces.affine(image, 1, -0.3f));
            assertArrayEquals(base, brighter, 1e-6f);
            assertArrayEquals(base, darker, 1e-6f);
            // halving every value is exact in floating point and keeps every order: same embedding
            assertArrayEquals(base, lbp.embed(SyntheticFaces.affine(image, 0.5f, 0)));
            // control: a real change of the texture does change the embedding
            assertTrue(distance(base, lbp.embed(SyntheticFaces.mirrored(image))) > 0.05);
        }
    }

    @Test
    void syntheticIdentitiesAreCloserWithinThanAcross() {
        Random random = new Random(5);
        List<float[]> embeddings = new ArrayList<>();
        List<Integer> identity = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            int id = i % SyntheticFaces.IDENTITIES;
            embeddings.add(lbp.embed(SyntheticFaces.sample(id, random)));
            identity.add(id);
        }
        // every face is nearer to all of its own identity than to any other identity
        for (int i = 0; i < embeddings.size(); i++) {
            double farthestSame = 0;
            double nearestOther = Double.POSITIVE_INFINITY;
            for (int j = 0; j < embeddings.size(); j++) {
                if (i == j) {
                    continue;
                }
                double d = distance(embeddings.get(i), embeddings.get(j));
                if (identity.get(i).equals(identity.get(j))) {
                    farthestSame = Math.max(farthestSame, d);
                } else {
                    nearestOther = Math.min(nearestOther, d);
                }
            }
            assertTrue(farthestSame < nearestOther, "face " + i + ": " + farthestSame + " vs " + nearestOther);
        }
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new LbpFeatureExtractor(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new LbpFeatureExtractor(64, 0));
        assertThrows(IllegalArgumentException.class, () -> new LbpFeatureExtractor(16, 17));
        assertEquals("lbp-u2-8-1-64px-8x8", lbp.name());
    }

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
