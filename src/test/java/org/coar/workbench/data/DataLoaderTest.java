package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.WorkbenchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format detection, spec validation and the JSON form of {@link DataSpec}; preprocessing applied to non-image formats. */
class DataLoaderTest {

    private static String message(Runnable action) {
        return assertThrows(WorkbenchException.class, action::run).getMessage();
    }

    @Test
    void detectsTheFormatFromNameAndFolderContents(@TempDir Path dir) throws IOException {
        assertEquals("idx", DataLoader.detectFormat(dir.resolve("t10k-images-idx3-ubyte.gz")));
        assertEquals("idx", DataLoader.detectFormat(dir.resolve("train-images.idx3-ubyte")));
        assertEquals("npy", DataLoader.detectFormat(dir.resolve("x_test.NPY")));
        assertEquals("cifar10", DataLoader.detectFormat(dir.resolve("data_batch_3.bin")));
        Path cifar = Files.createDirectories(dir.resolve("cifar"));
        Files.write(cifar.resolve("test_batch.bin"), new byte[0]);
        assertEquals("cifar10", DataLoader.detectFormat(cifar));
        assertEquals("images", DataLoader.detectFormat(Files.createDirectories(dir.resolve("imagenet-val"))));

        Path csv = Files.writeString(dir.resolve("data.csv"), "1,2,3");
        String message = message(() -> DataLoader.detectFormat(csv));
        assertTrue(message.contains("data.csv: cannot tell the data format from the name. Pass --data-format with one of: idx"), message);
        for (String format : DataLoader.FORMATS) {
            assertTrue(message.contains(format + " ("), message);
        }
        message = message(() -> DataLoader.detectFormat(dir.resolve("absent")));
        assertTrue(message.contains(dir.resolve("absent") + ": no such file or folder (--data); check the path"), message);
    }

    @Test
    void optionValuesAreCheckedBeforeAnyFileIsRead() throws IOException {
        DataLoader loader = new DataLoader();
        // Only a run.json can leave the path out; the builder refuses a spec without one.
        DataSpec noPath = new ObjectMapper().readValue("{\"format\": \"npy\"}", DataSpec.class);
        assertTrue(message(() -> loader.load(noPath)).contains("no evaluation data given: pass --data FILE_OR_FOLDER"));
        assertThrows(IllegalStateException.class, () -> DataSpec.builder().optFormat("npy").build());
        assertTrue(message(() -> loader.load(DataSpec.builder().setPath("x.npy").optSkip(0).build()))
                .contains("--skip must be at least 1, got 0"));
        assertTrue(message(() -> loader.load(DataSpec.builder().setPath("x.npy").optLimit(-5).build()))
                .contains("--limit must be at least 1, got -5"));
        assertTrue(message(() -> loader.load(DataSpec.builder().setPath("x.npy").optCrop(0).build()))
                .contains("--crop must be at least 1, got 0"));
        assertTrue(message(() -> loader.load(DataSpec.builder().setPath("x").optFormat("png").build()))
                .contains("--data-format png is not a data format; use one of idx, cifar10, npy, images"));
        assertTrue(message(() -> loader.load(DataSpec.builder().setPath("x.npy").optMean(new float[] {0.5f}).build()))
                .contains("--mean and --std go together"));
        assertTrue(message(() -> loader.load(DataSpec.builder().setPath("x.npy").optMean(new float[] {0.5f})
                .optStd(new float[] {0f}).build()))
                .contains("--std value 1 is 0.0; standard deviations must be positive numbers"));
        assertTrue(message(() -> loader.load(DataSpec.builder().setPath("x.npy").optMean(new float[] {0.5f, 1})
                .optStd(new float[] {1}).build()))
                .contains("--mean has 2 values but --std has 1"));
    }

    @Test
    void labelsAreRefusedWhereTheDataCarriesThemAndFoldersWhereFilesBelong(@TempDir Path dir) throws IOException {
        Path batch = Files.write(dir.resolve("test_batch.bin"), Cifar10DataTest.batch(1));
        String text = message(() -> new DataLoader().load(DataSpec.builder().setPath(batch.toString()).optLabels("labels.npy")
                .build()));
        assertTrue(text.contains("--labels labels.npy is not used with cifar10 data (the labels come with test_batch.bin); leave it out"), text);

        Path folder = Files.createDirectories(dir.resolve("folder"));
        text = message(() -> new DataLoader().load(DataSpec.builder().setPath(folder.toString()).optFormat("npy")
                .optLabels("y.npy").build()));
        assertTrue(text.contains(folder + ": is a folder, but npy data is a file"), text);
    }

    @Test
    void specRoundTripsThroughJsonWithAbsentFieldsLeftOut() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        DataSpec full = DataSpec.builder().setPath("/data/val").optFormat("images").optLimit(1000).optSkip(10).optResize(256)
                .optCrop(224).optMean(new float[] {0.485f, 0.456f, 0.406f}).optStd(new float[] {0.229f, 0.224f, 0.225f})
                .build();
        String json = mapper.writeValueAsString(full);
        assertEquals("{\"format\":\"images\",\"path\":\"/data/val\",\"limit\":1000,\"skip\":10,\"resize\":256,\"crop\":224,"
                + "\"mean\":[0.485,0.456,0.406],\"std\":[0.229,0.224,0.225]}", json);
        assertEquals(full, mapper.readValue(json, DataSpec.class));

        DataSpec minimal = mapper.readValue("{\"path\": \"t10k-images-idx3-ubyte.gz\"}", DataSpec.class);
        assertEquals(DataSpec.of("t10k-images-idx3-ubyte.gz"), minimal);
        assertEquals(1, minimal.effectiveSkip());
        assertEquals(Integer.MAX_VALUE, minimal.effectiveLimit());
        assertEquals("{\"path\":\"t10k-images-idx3-ubyte.gz\"}", mapper.writeValueAsString(minimal));
    }

    @Test
    void resolveRecordsWhatWillBeRead(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("t-images-idx3-ubyte.gz"), new byte[0]);
        Files.write(dir.resolve("t-labels-idx1-ubyte.gz"), new byte[0]);
        DataSpec given = DataSpec.builder().setPath(dir.resolve("sub/../t-images-idx3-ubyte.gz").toString()).optLimit(5)
                .optSkip(2).build();

        DataSpec resolved = new DataLoader().resolve(given);

        assertEquals(DataSpec.builder().setPath(dir.resolve("t-images-idx3-ubyte.gz").toString()).optFormat("idx")
                .optLabels(dir.resolve("t-labels-idx1-ubyte.gz").toString()).optLimit(5).optSkip(2).build(), resolved);
    }

    @Test
    void resizeCropAndNormaliseApplyToIdxExamplesToo(@TempDir Path dir) throws IOException {
        // Two 2x2 images: constant 51 and constant 204; resized to 4x4 and cropped to 3x3 they stay constant.
        Path images = Files.write(dir.resolve("c-images-idx3-ubyte"),
                IdxDataTest.idxImages(2, 2, new int[] {51, 51, 51, 51}, new int[] {204, 204, 204, 204}));
        Files.write(dir.resolve("c-labels-idx1-ubyte"), IdxDataTest.idxLabels(1, 2));
        DataSpec spec = DataSpec.builder().setPath(images.toString()).optResize(4).optCrop(3).optMean(new float[] {0.2f})
                .optStd(new float[] {0.5f}).build();

        EvalData data = new DataLoader().load(spec);

        assertArrayEquals(new long[] {1, 3, 3}, data.exampleShape());
        for (int i = 0; i < 9; i++) {
            assertEquals((51 / 255f - 0.2f) / 0.5f, data.inputs()[i], 1e-6f);
            assertEquals((204 / 255f - 0.2f) / 0.5f, data.inputs()[9 + i], 1e-6f);
        }
        assertTrue(data.description().endsWith("; resized to shorter side 4; center-cropped to 3x3; normalised with mean [0.2] std [0.5]"),
                data.description());

        DataSpec rgbMean = DataSpec.builder().setPath(images.toString()).optMean(new float[] {0.1f, 0.2f, 0.3f})
                .optStd(new float[] {1, 1, 1}).build();
        String text = message(() -> new DataLoader().load(rgbMean));
        assertTrue(text.contains("examples of shape [1, 2, 2] have 1 channel, but --mean and --std give 3 values; pass 1 value to each"), text);
    }
}
