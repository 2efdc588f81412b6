package org.coar.workbench.attributions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.ModelFixtures;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.store.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component's profile on a 5 × 6 matrix of hand-picked scores, and its weights in the demo model. */
class ComponentProfilesTest {
    /** Raw scores [component][example]: groups a (components 0, 1) and b (2, 3, 4). */
    static final float[][] RAW = {
            {0.5f, -1.0f, 2.0f, 0.0f, -0.25f, 1.5f},
            {0, 0, 0, 0, 0, 0},
            {3, 3, 3, 3, 3, 3},
            {-2, -1, 0, 1, 2, 4},
            {1, 2, 3, 4, 5, 6},
    };
    static final Components GROUPS = new Components(List.of(new ComponentGroup("a.weight", 2), new ComponentGroup("b.weight", 3)));

    /** A store whose run.json names {@code model}, and the attributions of RAW fitted on it. */
    static Path[] storeAndAttributions(Path tmp, float[][] raw, Components components, String model) throws Exception {
        Path store = Files.createDirectories(tmp.resolve("store"));
        RunConfig.builder().optModel(model).build().write(store);
        components.write(store);
        double[][] moments = AttributionsFixture.moments(raw.length, 0.1);
        Path dir = AttributionsFixture.write(store.resolve("attributions"), raw, new float[raw[0].length], moments[0], moments[1], "{}");
        components.write(dir);
        return new Path[] {store, dir};
    }

    @Test
    void histogramCountsEqualBinsFromTheSmallestToTheLargestScore() {
        // component 3: -2 .. 4 in 4 bins of 1.5: [-2, -0.5) holds -2, -1; [-0.5, 1) holds 0; [1, 2.5) holds 1, 2; [2.5, 4] holds 4
        ComponentProfiles.Histogram h = ComponentProfiles.histogram(RAW[3], 4);
        assertEquals(-2, h.low());
        assertEquals(4, h.high());
        assertEquals(1.5, h.binWidth(), 1e-12);
        assertArrayEquals(new int[] {2, 1, 2, 1}, h.counts());
        // one value everywhere: one unit wide around it, all in the upper bin
        ComponentProfiles.Histogram flat = ComponentProfiles.histogram(RAW[2], 2);
        assertEquals(2.5, flat.low());
        assertEquals(3.5, flat.high());
        assertArrayEquals(new int[] {0, 6}, flat.counts());
    }

    @Test
    void mostMovedExamplesRunFromTheStrongestEffectInEachDirectionAndSkipZeros() {
        assertEquals(List.of(new ComponentProfiles.Moved(2, 2.0f), new ComponentProfiles.Moved(5, 1.5f), new ComponentProfiles.Moved(0, 0.5f)),
                ComponentProfiles.raising(RAW[0], 10));
        assertEquals(List.of(new ComponentProfiles.Moved(1, -1.0f), new ComponentProfiles.Moved(4, -0.25f)), ComponentProfiles.lowering(RAW[0], 10));
        assertEquals(List.of(new ComponentProfiles.Moved(2, 2.0f)), ComponentProfiles.raising(RAW[0], 1));
        assertEquals(List.of(), ComponentProfiles.raising(RAW[1], 5), "a component that moves nothing raises nothing");
    }

    @Test
    void aProfileReadsTheComponentsRowAndSaysWhenTheModelIsMissing(@TempDir Path tmp) throws Exception {
        Path[] paths = storeAndAttributions(tmp, RAW, GROUPS, tmp.resolve("gone.pt").toString());
        try (ComponentProfiles profiles = ComponentProfiles.open(paths[0], paths[1])) {
            ComponentProfiles.Profile profile = profiles.profile(0, 4, 2);
            assertEquals("a #0", profile.name());
            // -1 .. 2 in bins of 0.75: -1 | 0, -0.25 | 0.5 | 1.5, 2
            assertArrayEquals(new int[] {1, 2, 1, 2}, profile.histogram().counts());
            assertEquals(2.75 / 6, profile.mean(), 1e-6);
            assertEquals(List.of(2, 5), profile.raising().stream().map(ComponentProfiles.Moved::example).toList());
            assertEquals(List.of(1, 4), profile.lowering().stream().map(ComponentProfiles.Moved::example).toList());
            assertNull(profile.weights());
            assertTrue(profile.weightsNote().contains(tmp.resolve("gone.pt") + " (the store's run.json names it) is missing"),
                    profile.weightsNote());
        }
    }

    @Test
    void aComponentIsFoundByIndexOrByItsNameAsTheTablesPrintIt(@TempDir Path tmp) throws Exception {
        Path[] paths = storeAndAttributions(tmp, RAW, GROUPS, tmp.resolve("gone.pt").toString());
        try (ComponentProfiles profiles = ComponentProfiles.open(paths[0], paths[1])) {
            assertEquals(OptionalInt.of(3), profiles.find("3"));
            assertEquals(OptionalInt.of(3), profiles.find("b #1"), "b starts at component 2");
            assertEquals(OptionalInt.of(4), profiles.find("B.weight #2"));
            assertEquals(OptionalInt.of(1), profiles.find("  a   #1 "));
            assertEquals(OptionalInt.empty(), profiles.find("a #2"), "a has 2 components");
            assertEquals(OptionalInt.empty(), profiles.find("5"));
            assertEquals(OptionalInt.empty(), profiles.find("conv1 #0"));
            assertEquals(OptionalInt.empty(), profiles.find(""));
        }
    }

    @Test
    void aConvFiltersWeightsBecomeOneTilePerInputChannel() {
        // 5 input channels of 2 × 2: a 3-column grid of tiles, 1 pixel apart, 2 rows of tiles: 8 × 5 pixels
        float[] values = new float[5 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = i - 10;
        }
        ComponentProfiles.FilterMosaic mosaic = ComponentProfiles.mosaic(values, new long[] {5, 2, 2});
        assertEquals(3, mosaic.tileColumns());
        assertEquals(8, mosaic.width());
        assertEquals(5, mosaic.height());
        assertEquals(-10, mosaic.at(0, 0)); // channel 0, (y 0, x 0)
        assertEquals(-9, mosaic.at(1, 0)); // channel 0, (0, 1)
        assertEquals(-8, mosaic.at(0, 1)); // channel 0, (1, 0)
        assertTrue(Float.isNaN(mosaic.at(2, 0)), "gap between tiles");
        assertEquals(-6, mosaic.at(3, 0)); // channel 1 starts at x 3
        assertEquals(1, mosaic.at(7, 1)); // channel 2 (values -2, -1, 0, 1), (1, 1)
        assertEquals(5, mosaic.at(1, 4)); // channel 3 (second row of tiles, from y 3; values 2 .. 5), (1, 1)
        assertEquals(6, mosaic.at(3, 3)); // channel 4 (values 6 .. 9), (0, 0)
        assertTrue(Float.isNaN(mosaic.at(6, 3)), "no sixth channel");
        assertEquals(10, mosaic.maxAbs());
    }

    @Test
    void weightsAreTheComponentsSliceOfItsParameterInTheModel(@TempDir Path tmp) throws Exception {
        Components demo = new Components(List.of(new ComponentGroup("conv1.weight", 32), new ComponentGroup("conv2.weight", 64),
                new ComponentGroup("conv3.weight", 64), new ComponentGroup("fc1.weight", 80)));
        Path[] paths = storeAndAttributions(tmp, new float[240][2], demo, ModelFixtures.demoModel().toString());
        float[] conv2;
        float[] fc1;
        try (TorchModel model = TorchModel.load(ModelFixtures.demoModel(), Device.cpu())) {
            conv2 = model.parameter("conv2.weight").toFloatArray(); // (64, 32, 3, 3), C order
            fc1 = model.parameter("fc1.weight").toFloatArray(); // (80, 1024)
        }
        try (ComponentProfiles profiles = ComponentProfiles.open(paths[0], paths[1])) {
            ComponentProfiles.Weights filter = profiles.weights(32 + 5); // conv2 #5
            assertEquals("conv2.weight", filter.parameter());
            assertEquals(5, filter.slice());
            assertArrayEquals(new long[] {32, 3, 3}, filter.shape());
            int offset = 5 * 32 * 9;
            assertArrayEquals(java.util.Arrays.copyOfRange(conv2, offset, offset + 288), filter.values());
            ComponentProfiles.FilterMosaic mosaic = filter.mosaic();
            assertNotNull(mosaic);
            assertEquals(6, mosaic.tileColumns(), "32 channels: 6 tiles across, 6 down");
            assertEquals(6 * 3 + 5, mosaic.width());
            assertEquals(6 * 3 + 5, mosaic.height());
            assertEquals(conv2[offset + 9 + 2 * 3 + 1], mosaic.at(4 + 1, 2), "channel 1 (tile at x 4), row 2, column 1");
            assertEquals(conv2[offset + 31 * 9 + 8], mosaic.at(1 * 4 + 2, 5 * 4 + 2), "channel 31: tile row 5, column 1, its last pixel");

            ComponentProfiles.Profile linear = profiles.profile(160 + 3, 4, 2); // fc1 #3
            assertArrayEquals(new long[] {1024}, linear.weights().shape());
            assertArrayEquals(java.util.Arrays.copyOfRange(fc1, 3 * 1024, 4 * 1024), linear.weights().values());
            assertNull(linear.weights().mosaic());
            assertTrue(linear.weightsNote().startsWith("fc1.weight slice 3: 1024 weights, L2 norm "), linear.weightsNote());
        }
    }
}
