package org.segue.engine.sideinfo;

import java.util.Arrays;

/**
 * Optimal assignment of rows to columns (the Hungarian method, in the O(n<sup>2</sup>m) shortest
 * augmenting path form with row and column potentials). Rectangular matrices are allowed: every row
 * gets a distinct column when there are at least as many columns as rows; otherwise every column gets
 * a distinct row and the rows left over get none.
 *
 * <p>Arithmetic is exact in {@code long}. To keep the potentials from overflowing, the entries must
 * not exceed {@link #MAX_ABS_ENTRY} divided by the larger side of the matrix in absolute value.
 */
public final class Hungarian {

    /** Bound on |entry| × max(rows, columns); far beyond any count table this is used for. */
    public static final long MAX_ABS_ENTRY = Long.MAX_VALUE / 8;

    /** Marks a row that no column was assigned to (only when rows outnumber columns). */
    public static final int UNASSIGNED = -1;

    private Hungarian() {}

    /**
     * The assignment with the largest total weight.
     *
     * @param weights a rectangular matrix (rows of equal length)
     * @return for each row, its column, or {@link #UNASSIGNED}
     */
    public static int[] maximise(long[][] weights) {
        int columns = validate(weights);
        long[][] costs = new long[weights.length][columns];
        for (int i = 0; i < weights.length; i++) {
            for (int j = 0; j < columns; j++) {
                costs[i][j] = -weights[i][j]; // cannot overflow: |entry| is bounded by validate
            }
        }
        return minimiseValidated(costs, columns);
    }

    /**
     * The assignment with the smallest total cost.
     *
     * @param costs a rectangular matrix (rows of equal length)
     * @return for each row, its column, or {@link #UNASSIGNED}
     */
    public static int[] minimise(long[][] costs) {
        return minimiseValidated(costs, validate(costs));
    }

    /** Sum of {@code matrix[row][assignment[row]]} over the assigned rows. */
    public static long total(long[][] matrix, int[] assignment) {
        long sum = 0;
        for (int i = 0; i < assignment.length; i++) {
            if (assignment[i] != UNASSIGNED) {
                sum += matrix[i][assignment[i]];
            }
        }
        return sum;
    }

    private static int validate(long[][] matrix) {
        if (matrix == null) {
            throw new IllegalArgumentException("assignment matrix is null");
        }
        if (matrix.length == 0) {
            return 0;
        }
        for (int i = 0; i < matrix.length; i++) {
            if (matrix[i] == null || matrix[i].length != matrix[0].length) {
                throw new IllegalArgumentException("ragged assignment matrix: row " + i + " has "
                        + (matrix[i] == null ? "no" : matrix[i].length) + " entries, row 0 has " + matrix[0].length);
            }
        }
        long bound = MAX_ABS_ENTRY / Math.max(matrix.length, matrix[0].length);
        for (long[] row : matrix) {
            for (long v : row) {
                if (v > bound || v < -bound) {
                    throw new IllegalArgumentException("entry " + v + " is too large for exact assignment "
                            + "of a " + matrix.length + "x" + matrix[0].length + " matrix (limit ±" + bound + ")");
                }
            }
        }
        return matrix[0].length;
    }

    private static int[] minimiseValidated(long[][] costs, int columns) {
        int rows = costs.length;
        int[] rowToColumn = new int[rows];
        Arrays.fill(rowToColumn, UNASSIGNED);
        if (rows == 0 || columns == 0) {
            return rowToColumn;
        }
        if (rows <= columns) {
            return solveWide(costs, rows, columns);
        }
        // More rows than columns: solve the transpose, where every column gets a row.
        long[][] transposed = new long[columns][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                transposed[j][i] = costs[i][j];
            }
        }
        int[] columnToRow = solveWide(transposed, columns, rows);
        for (int j = 0; j < columns; j++) {
            rowToColumn[columnToRow[j]] = j;
        }
        return rowToColumn;
    }

    /**
     * Minimum-cost assignment for rows <= columns: rows are added one at a time, each by a shortest
     * augmenting path (Dijkstra on reduced costs, which the potentials keep non-negative).
     * Indices are 1-based inside; column 0 is the virtual source.
     */
    private static int[] solveWide(long[][] cost, int rows, int columns) {
        long[] rowPotential = new long[rows + 1];
        long[] columnPotential = new long[columns + 1];
        int[] rowOfColumn = new int[columns + 1]; // 0 = column free
        int[] previousColumn = new int[columns + 1];
        long[] slack = new long[columns + 1];
        boolean[] visited = new boolean[columns + 1];
        for (int row = 1; row <= rows; row++) {
            rowOfColumn[0] = row;
            int column = 0;
            Arrays.fill(slack, Long.MAX_VALUE);
            Arrays.fill(visited, false);
            do {
                visited[column] = true;
                int i = rowOfColumn[column];
                long delta = Long.MAX_VALUE;
                int next = -1;
                for (int j = 1; j <= columns; j++) {
                    if (visited[j]) {
                        continue;
                    }
                    long reduced = cost[i - 1][j - 1] - rowPotential[i] - columnPotential[j];
                    if (reduced < slack[j]) {
                        slack[j] = reduced;
                        previousColumn[j] = column;
                    }
                    if (slack[j] < delta) {
                        delta = slack[j];
                        next = j;
                    }
                }
                for (int j = 0; j <= columns; j++) {
                    if (visited[j]) {
                        rowPotential[rowOfColumn[j]] += delta;
                        columnPotential[j] -= delta;
                    } else {
                        slack[j] -= delta;
                    }
                }
                column = next;
            } while (rowOfColumn[column] != 0);
            // Flip the augmenting path back to the source.
            do {
                int previous = previousColumn[column];
                rowOfColumn[column] = rowOfColumn[previous];
                column = previous;
            } while (column != 0);
        }
        int[] rowToColumn = new int[rows];
        Arrays.fill(rowToColumn, UNASSIGNED);
        for (int j = 1; j <= columns; j++) {
            if (rowOfColumn[j] != 0) {
                rowToColumn[rowOfColumn[j] - 1] = j - 1;
            }
        }
        return rowToColumn;
    }
}
