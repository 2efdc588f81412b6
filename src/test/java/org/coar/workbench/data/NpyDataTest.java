package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs and labels made by numpy, with numpy's own scaled/normalised float32 results ({@code tools/make_data_fixtures.py}). */
class NpyDataTest {

    private static String resource(String name) {
        return Fixtures.resource("data/npy/" + name).toString();
    }

    private static float[] numpyArray(String name) throws IOException {
        try (NpyArray array = NpyArray.open(Fixtures.resource("data/npy/" + name), false)) {
            float[] values = new float[Math.toIntExact(array.rows() * array.rowLength())];
            array.readRows(0, Math.toIntExact(array.rows()), values);
            return values;
        }
    }

    private static DataSpec spec(String inputs, String labels) {
        return DataSpec.builder().setPath(inputs).optLabels(labels).build();
    }

    private static WorkbenchException failure(DataSpec spec) {
        return assertThrows(WorkbenchException.class, () -> new DataLoader().load(spec));
    }

    @Test
    void uint8InputsAreScaledLikeNumpysDivisionBy255() throws IOException {
        DataSpec spec = DataSpec.builder().setPath(resource("inputs_uint8.npy")).optLabels(resource("labels_int64.npy"))
                .optLimit(2).optSkip(3).build();
        EvalData data = new DataLoader().load(spec);

        assertArrayEquals(new long[] {1, 2, 3}, data.exampleShape());
        assertArrayEquals(new int[] {3, 1}, data.labels(), "labels [3, 0, 9, 1, 1, 7, 2][::3][:2]");
        assertArrayEquals(numpyArray("expected_uint8.npy"), data.inputs());
    }

    @Test
    void float64InputsAreNormalisedPerChannelLikeNumpyInFloat32() throws IOException {
        DataSpec spec = DataSpec.builder().setPath(resource("inputs_float64.npy")).optFormat("npy")
                .optLabels(resource("labels_uint8.npy")).optMean(new float[] {0.5f, 0.25f, -1f})
                .optStd(new float[] {0.5f, 2f, 0.125f}).build();
        EvalData data = new DataLoader().load(spec);

        assertArrayEquals(new long[] {3, 2, 2}, data.exampleShape());
        assertArrayEquals(new int[] {4, 4, 0, 2, 255}, data.labels());
        assertArrayEquals(numpyArray("expected_float64.npy"), data.inputs());
        assertTrue(data.description().contains("normalised with mean [0.5, 0.25, -1.0] std [0.5, 2.0, 0.125]"), data.description());
    }

    @Test
    void labelsAreRequired() {
        String message = failure(DataSpec.of(resource("inputs_uint8.npy"))).getMessage();
        assertTrue(message.contains("inputs_uint8.npy: npy inputs need their labels: pass --labels LABELS.npy"), message);
    }

    @Test
    void negativeLabelsAreRefusedWithTheirIndex(@TempDir Path dir) throws IOException {
        Path labels = dir.resolve("labels.npy");
        NpyArray.create(labels, Dtype.INT64, 7);
        try (NpyArray array = NpyArray.open(labels, true)) {
            array.setLong(5, -1);
        }
        String message = failure(spec(resource("inputs_uint8.npy"), labels.toString())).getMessage();
        assertTrue(message.contains(labels + ": label -1 at index 5 is negative; labels must be class indices 0, 1, 2, ..."), message);
    }

    @Test
    void countsShapesAndDtypesMustFit(@TempDir Path dir) throws IOException {
        String message = failure(spec(resource("inputs_uint8.npy"), resource("labels_uint8.npy"))).getMessage();
        assertTrue(message.contains(resource("inputs_uint8.npy") + " holds 7 examples but " + resource("labels_uint8.npy")
                + " holds 5 labels"), message);

        Path floatLabels = dir.resolve("float_labels.npy");
        NpyArray.create(floatLabels, Dtype.FLOAT32, 7);
        message = failure(spec(resource("inputs_uint8.npy"), floatLabels.toString())).getMessage();
        assertTrue(message.contains(floatLabels + ": labels are float32; use an integer dtype"), message);

        Path intInputs = dir.resolve("int_inputs.npy");
        NpyArray.create(intInputs, Dtype.INT32, 7, 4);
        message = failure(spec(intInputs.toString(), resource("labels_int64.npy"))).getMessage();
        assertTrue(message.contains(intInputs + ": inputs are int32; use float32, float64, float16 or uint8"), message);

        Path twoDimLabels = dir.resolve("labels_2d.npy");
        NpyArray.create(twoDimLabels, Dtype.INT64, 7, 1);
        message = failure(spec(resource("inputs_uint8.npy"), twoDimLabels.toString())).getMessage();
        assertTrue(message.contains(twoDimLabels + ": labels have shape [7, 1]; expected (N,)"), message);

        Path missing = dir.resolve("absent.npy");
        message = failure(spec(resource("inputs_uint8.npy"), missing.toString())).getMessage();
        assertTrue(message.contains(missing + ": no such labels .npy file (--labels)"), message);
    }

    @Test
    void examplesThatAreNotImagesHaveOneChannel(@TempDir Path dir) throws IOException {
        Path inputs = dir.resolve("flat.npy");
        NpyArray.create(inputs, Dtype.FLOAT32, 2, 4);
        try (NpyArray array = NpyArray.open(inputs, true)) {
            array.writeRow(1, new float[] {1, 2, 3, 4});
        }
        Path labels = dir.resolve("labels.npy");
        NpyArray.create(labels, Dtype.INT32, 2);
        DataSpec normalised = DataSpec.builder().setPath(inputs.toString()).optLabels(labels.toString())
                .optMean(new float[] {1}).optStd(new float[] {2}).build();
        assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f, -0.5f, 0f, 0.5f, 1f, 1.5f}, new DataLoader().load(normalised).inputs());

        DataSpec resized = DataSpec.builder().setPath(inputs.toString()).optLabels(labels.toString()).optResize(2).build();
        String message = failure(resized).getMessage();
        assertTrue(message.contains("--resize and --crop work on images of shape (channels, height, width), but these examples "
                + "have shape [4]"), message);
        assertEquals(4, new DataLoader().load(spec(inputs.toString(), labels.toString())).exampleLength());
    }
}
