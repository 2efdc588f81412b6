package org.coar.workbench.attributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.coar.workbench.job.JobCancelledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heatmap blocks of the 5 × 6 matrix of {@link ComponentProfilesTest#RAW}, worked out by hand. */
class AttributionMatrixTest {

    private static AttributionMatrix open(Path tmp) throws Exception {
        Path[] paths = ComponentProfilesTest.storeAndAttributions(tmp, ComponentProfilesTest.RAW, ComponentProfilesTest.GROUPS, "none.pt");
        return AttributionMatrix.open(paths[1]);
    }

    @Test
    void blocksHoldTheMeanScoreOfTheirCells(@TempDir Path tmp) throws Exception {
        try (AttributionMatrix matrix = open(tmp)) {
            assertEquals(6, matrix.examples());
            assertEquals(5, matrix.components());
            // 3 columns of 2 examples; rows of components {0, 1} and {2, 3, 4}
            AttributionMatrix.Blocks blocks = matrix.blocks(matrix.all(), 3, 2, () -> false);
            assertEquals(3, blocks.columns());
            assertEquals(2, blocks.rows());
            assertEquals(-0.125, blocks.at(0, 0), 1e-6); // (0.5 - 1 + 0 + 0) / 4
            assertEquals(0.5, blocks.at(1, 0), 1e-6); // (2 + 0 + 0 + 0) / 4
            assertEquals(0.3125, blocks.at(2, 0), 1e-6); // (-0.25 + 1.5) / 4
            assertEquals(1.0, blocks.at(0, 1), 1e-6); // (3 + 3 - 2 - 1 + 1 + 2) / 6
            assertEquals(14.0 / 6, blocks.at(1, 1), 1e-6); // (3 + 3 + 0 + 1 + 3 + 4) / 6
            assertEquals(23.0 / 6, blocks.at(2, 1), 1e-6); // (3 + 3 + 2 + 4 + 5 + 6) / 6
            assertEquals(23.0 / 6, blocks.scale(), 1e-6, "99th percentile of 6 magnitudes: the largest");
            assertEquals(2, blocks.exampleStart(1));
            assertEquals(2, blocks.componentStart(1));
        }
    }

    @Test
    void aWindowSmallerThanTheImageGetsOneBlockPerCell(@TempDir Path tmp) throws Exception {
        try (AttributionMatrix matrix = open(tmp)) {
            AttributionMatrix.Blocks blocks = matrix.blocks(new AttributionMatrix.Window(2, 5, 3, 5), 100, 100, () -> false);
            assertEquals(3, blocks.columns());
            assertEquals(2, blocks.rows());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, blocks.values()); // components 3 and 4, examples 2..4
            assertEquals(4f, matrix.score(3, 5));
        }
    }

    @Test
    void aSupersededDrawingStops(@TempDir Path tmp) throws Exception {
        try (AttributionMatrix matrix = open(tmp)) {
            assertThrows(JobCancelledException.class, () -> matrix.blocks(matrix.all(), 3, 2, () -> true));
        }
    }

    @Test
    void theColourScaleSaturatesAtThe99thPercentileOfMagnitudes() {
        float[] values = new float[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 2 == 0 ? 1 : -1) * (i + 1); // ±1 .. ±200
        }
        assertEquals(198f, AttributionMatrix.percentileOfMagnitude(values, 0.99)); // rank ceil(0.99 · 200) = 198
        assertEquals(0f, AttributionMatrix.percentileOfMagnitude(new float[0], 0.99));
    }

    @Test
    void partsOfARangeDifferInSizeByAtMostOne() {
        // 10 cut into 4: 0, 2, 5, 7, 10
        assertArrayEquals(new int[] {0, 2, 5, 7, 10}, java.util.stream.IntStream.rangeClosed(0, 4).map(i -> AttributionMatrix.edge(i, 4, 10)).toArray());
    }
}
