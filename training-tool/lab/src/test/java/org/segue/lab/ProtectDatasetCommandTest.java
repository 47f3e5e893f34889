package org.segue.lab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ProtectDatasetCommandTest {

    /** Two folders, each with one face the clustering put elsewhere: both get their folder's majority back. */
    @Test
    void eachFaceTakesItsFoldersMostFrequentCluster() {
        int[] folders = {0, 0, 0, 1, 1, 1, 1};
        int[] clusters = {2, 2, 0, 1, 1, 2, 1};
        assertArrayEquals(new int[] {2, 2, 2, 1, 1, 1, 1}, ProtectDatasetCommand.majorityPerFolder(clusters, folders, 3));
    }
}
