package org.segue.engine.sideinfo;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class HungarianTest {

    /** Best total over all one-to-one maps of the smaller side into the larger one. */
    private static long bruteForceBest(long[][] m, boolean maximise) {
        int rows = m.length;
        int columns = m[0].length;
        if (rows <= columns) {
            return search(m, 0, new boolean[columns], maximise);
        }
        long[][] t = new long[columns][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                t[j][i] = m[i][j];
            }
        }
        return search(t, 0, new boolean[rows], maximise);
    }

    private static long search(long[][] m, int row, boolean[] used, boolean maximise) {
        if (row == m.length) {
            return 0;
        }
        long best = maximise ? Long.MIN_VALUE : Long.MAX_VALUE;
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                long total = m[row][j] + search(m, row + 1, used, maximise);
                used[j] = false;
                best = maximise ? Math.max(best, total) : Math.min(best, total);
            }
        }
        return best;
    }

    private static long[][] random(Random random, int rows, int columns, int range) {
        long[][] m = new long[rows][columns];
        for (long[] row : m) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextInt(2 * range + 1) - range;
            }
        }
        return m;
    }

    /** Assigned columns are distinct and exactly min(rows, columns) rows are assigned. */
    private static void assertValid(int[] assignment, int rows, int columns) {
        assertEquals(rows, assignment.length);
        boolean[] taken = new boolean[columns];
        int assigned = 0;
        for (int column : assignment) {
            if (column == Hungarian.UNASSIGNED) {
                continue;
            }
            assertTrue(column >= 0 && column < columns, "column " + column);
            assertFalse(taken[column], "column " + column + " assigned twice");
            taken[column] = true;
            assigned++;
        }
        assertEquals(Math.min(rows, columns), assigned);
    }

    @Test
    void squareMatchesBruteForce() {
        Random random = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(7);
            // small ranges give many ties, large ones many distinct optima
            long[][] m = random(random, n, n, trial % 2 == 0 ? 3 : 1000);
            int[] max = Hungarian.maximise(m);
            int[] min = Hungarian.minimise(m);
            assertValid(max, n, n);
            assertValid(min, n, n);
            assertEquals(bruteForceBest(m, true), Hungarian.total(m, max));
            assertEquals(bruteForceBest(m, false), Hungarian.total(m, min));
        }
    }

    @Test
    void rectangularMatchesBruteForce() {
        Random random = new Random(2);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + random.nextInt(6);
            int columns = 1 + random.nextInt(6);
            long[][] m = random(random, rows, columns, trial % 2 == 0 ? 5 : 10_000);
            int[] max = Hungarian.maximise(m);
            int[] min = Hungarian.minimise(m);
            assertValid(max, rows, columns);
            assertValid(min, rows, columns);
            assertEquals(bruteForceBest(m, true), Hungarian.total(m, max), () -> rows + "x" + columns);
            assertEquals(bruteForceBest(m, false), Hungarian.total(m, min), () -> rows + "x" + columns);
        }
    }

    @Test
    void handWorkedCases() {
        // the greedy choice (9 first) is wrong: 9 + 1 < 8 + 7
        long[][] m = {{9, 8}, {7, 1}};
        assertArrayEquals(new int[] {1, 0}, Hungarian.maximise(m));
        assertArrayEquals(new int[] {0, 1}, Hungarian.minimise(m));
        // tall: the middle row is left out
        long[][] tall = {{5}, {9}, {1}};
        assertArrayEquals(new int[] {Hungarian.UNASSIGNED, 0, Hungarian.UNASSIGNED}, Hungarian.maximise(tall));
        // wide: row 0 takes column 2
        long[][] wide = {{1, 2, 30}, {4, 50, 6}};
        assertArrayEquals(new int[] {2, 1}, Hungarian.maximise(wide));
    }

    @Test
    void degenerateShapes() {
        assertArrayEquals(new int[0], Hungarian.maximise(new long[0][]));
        assertArrayEquals(new int[] {Hungarian.UNASSIGNED, Hungarian.UNASSIGNED}, Hungarian.maximise(new long[2][0]));
        assertArrayEquals(new int[] {0}, Hungarian.minimise(new long[][] {{-3}}));
    }

    @Test
    void rejectsRaggedOrHugeInput() {
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximise(new long[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximise(new long[][] {{1}, null}));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximise(null));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximise(new long[][] {{Long.MIN_VALUE}}));
        // just inside the documented bound still works exactly
        long big = Hungarian.MAX_ABS_ENTRY / 3;
        long[][] m = {{big, -big, 0}, {0, big, -big}, {-big, 0, big}};
        assertArrayEquals(new int[] {0, 1, 2}, Hungarian.maximise(m));
        assertArrayEquals(new int[] {1, 2, 0}, Hungarian.minimise(m));
    }
}
