package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Image folders: against Pillow + torchvision's rules ({@code tools/make_data_fixtures.py}), and
 * against closed-form answers on images written here with javax.imageio.
 */
class ImageFolderDataTest {

    private static DataSpec spec(Path folder, Integer resize, Integer crop) {
        return DataSpec.builder().setPath(folder.toString()).optResize(resize).optCrop(crop).build();
    }

    private static EvalData load(Path folder, Integer resize, Integer crop) {
        return new DataLoader().load(spec(folder, resize, crop));
    }

    private static WorkbenchException failure(DataSpec spec) {
        return assertThrows(WorkbenchException.class, () -> new DataLoader().load(spec));
    }

    private static BufferedImage rgb(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** A palette image: the GIF writer would otherwise quantise an RGB colour to its own palette. */
    private static BufferedImage indexed(int width, int height, int rgb) {
        byte[] r = {(byte) (rgb >> 16), 0};
        byte[] g = {(byte) (rgb >> 8), 0};
        byte[] b = {(byte) rgb, 0};
        return new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(1, 2, r, g, b));
    }

    private static Path save(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String format = file.getFileName().toString().replaceFirst(".*\\.", "");
        assertTrue(ImageIO.write(image, format, file.toFile()), "javax.imageio writes " + format);
        return file;
    }

    static Stream<Arguments> pillowCases() throws IOException {
        JsonNode expected = new ObjectMapper().readTree(Fixtures.resource("data/images/expected.json").toFile());
        List<Arguments> cases = new ArrayList<>();
        expected.get("cases").properties().forEach(e -> cases.add(Arguments.of(e.getKey(),
                e.getValue().get("resize").isNull() ? null : e.getValue().get("resize").asInt(),
                e.getValue().get("crop").isNull() ? null : e.getValue().get("crop").asInt())));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pillowCases")
    void matchesPillowWithTorchvisionsOrderSizesAndOffsets(String name, Integer resize, Integer crop) throws IOException {
        EvalData data = load(Fixtures.resource("data/images/folder"), resize, crop);

        float[] expected;
        long[] expectedShape;
        try (NpyArray array = NpyArray.open(Fixtures.resource("data/images/expected_" + name + ".npy"), false)) {
            expected = new float[Math.toIntExact(array.rows() * array.rowLength())];
            array.readRows(0, Math.toIntExact(array.rows()), expected);
            expectedShape = array.header().shape();
        }
        long[] expectedLabels;
        try (NpyArray labels = NpyArray.open(Fixtures.resource("data/images/expected_labels.npy"), false)) {
            expectedLabels = new long[Math.toIntExact(labels.rows())];
            for (int i = 0; i < expectedLabels.length; i++) {
                expectedLabels[i] = labels.getLong(i);
            }
        }
        assertArrayEquals(expectedShape, data.shape());
        assertArrayEquals(expectedLabels, Arrays.stream(data.labels()).asLongStream().toArray());
        // Cropping moves decoded pixels: exact. Pillow resizes in 8 bits with fixed-point weights, rounding after
        // each of its two passes: within one 8-bit level (the fixtures reach 1.00002 levels).
        float tolerance = resize == null ? 0f : 1.01f / 255;
        float[] actual = data.inputs();
        for (int i = 0; i < expected.length; i++) {
            int example = (int) (i / data.exampleLength());
            assertEquals(expected[i], actual[i], tolerance, name + ": example " + example + ", element " + i % data.exampleLength());
        }
    }

    @Test
    void constantImagesStayConstantInEveryFormatAndSize(@TempDir Path dir) throws IOException {
        int color = 0x40C020; // r 64, g 192, b 32
        save(rgb(9, 7, color), dir.resolve("a/one.png"));
        save(rgb(31, 12, color), dir.resolve("a/two.bmp"));
        save(indexed(6, 6, color), dir.resolve("b/three.gif"));
        save(rgb(16, 20, color), dir.resolve("b/four.jpg"));

        EvalData data = load(dir, 6, 4);

        assertArrayEquals(new long[] {4, 3, 4, 4}, data.shape());
        assertArrayEquals(new int[] {0, 0, 1, 1}, data.labels());
        float[] expected = {64 / 255f, 192 / 255f, 32 / 255f};
        for (int i = 0; i < data.size(); i++) {
            float[] example = data.batch(i, 1);
            // JPEG is lossy (YCbCr rounding); the lossless formats decode exactly and resampling keeps a constant.
            float tolerance = i == 2 ? 3 / 255f : 1e-6f; // b/four.jpg sorts before b/three.gif
            for (int j = 0; j < example.length; j++) {
                assertEquals(expected[j / 16], example[j], tolerance, "example " + i + " element " + j);
            }
        }
    }

    @Test
    void imagesAlreadyAtTheTargetSizeAreUnchanged(@TempDir Path dir) throws IOException {
        BufferedImage image = new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                image.setRGB(x, y, (x * 50) << 16 | (y * 60) << 8 | (x * y * 10));
            }
        }
        save(image, dir.resolve("only/pic.png"));

        float[] values = load(dir, 5, 5).inputs();

        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(x * 50 / 255f, values[y * 5 + x]);
                assertEquals(y * 60 / 255f, values[25 + y * 5 + x]);
                assertEquals(x * y * 10 / 255f, values[50 + y * 5 + x]);
            }
        }
    }

    @Test
    void centerCropStartsAtRoundHalfToEvenOfTheMargin(@TempDir Path dir) throws IOException {
        // 8 wide, 7 high; red = 10 * column, green = 10 * row, so each pixel says where it came from.
        BufferedImage image = new BufferedImage(8, 7, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, (10 * x) << 16 | (10 * y) << 8);
            }
        }
        save(image, dir.resolve("c/coords.png"));

        // crop 3: left = round(5 / 2) = round(2.5) = 2, top = round(4 / 2) = 2
        float[] three = load(dir, null, 3).inputs();
        assertEquals(20 / 255f, three[0], "first column is source column 2");
        assertEquals(20 / 255f, three[9], "first row is source row 2");
        // crop 2: left = round(3) = 3, top = round(2.5) = 2
        float[] two = load(dir, null, 2).inputs();
        assertEquals(30 / 255f, two[0]);
        assertEquals(20 / 255f, two[4]);
        // crop 5: left = round(1.5) = 2, top = 1
        float[] five = load(dir, null, 5).inputs();
        assertEquals(20 / 255f, five[0]);
        assertEquals(10 / 255f, five[25]);
    }

    @Test
    void cropLargerThanTheImagePadsWithZeros(@TempDir Path dir) throws IOException {
        save(rgb(2, 2, 0xFFFFFF), dir.resolve("c/white.png"));
        float[] red = load(dir, null, 4).batch(0, 1); // the red plane comes first
        float[] expected = {
            0, 0, 0, 0,
            0, 1, 1, 0,
            0, 1, 1, 0,
            0, 0, 0, 0,
        };
        assertArrayEquals(expected, Arrays.copyOf(red, 16));
    }

    @Test
    void upsamplingInterpolatesLinearlyBetweenPixelCentres(@TempDir Path dir) throws IOException {
        BufferedImage ramp = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        ramp.setRGB(0, 0, 0x000000);
        ramp.setRGB(1, 0, 0xFFFFFF);
        save(ramp, dir.resolve("r/ramp.png"));

        // Shorter side 1 -> 2, longer side 2 -> 4; [0, 1] becomes [0, 1/4, 3/4, 1] on every row.
        EvalData data = load(dir, 2, null);

        assertArrayEquals(new long[] {3, 2, 4}, data.exampleShape());
        float[] row = Arrays.copyOfRange(data.inputs(), 4, 8);
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, row, 1e-6f);
    }

    @Test
    void grayImagesBecomeThreeEqualChannelsWithTheirStoredValues(@TempDir Path dir) throws IOException {
        BufferedImage gray = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] samples = {0, 50, 128, 200, 254, 255};
        gray.getRaster().setPixels(0, 0, 3, 2, samples);
        save(gray, dir.resolve("g/gray.png"));

        float[] values = load(dir, null, null).inputs();

        assertEquals(18, values.length);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 6; i++) {
                assertEquals(samples[i] / 255f, values[c * 6 + i], "channel " + c + " pixel " + i);
            }
        }
    }

    @Test
    void meanAndStdNormaliseEachChannel(@TempDir Path dir) throws IOException {
        save(rgb(2, 2, 0x00FF33), dir.resolve("n/x.png"));
        DataSpec spec = DataSpec.builder().setPath(dir.toString()).optMean(new float[] {0.5f, 0.5f, 0.1f})
                .optStd(new float[] {0.25f, 0.5f, 0.2f}).build();
        float[] values = new DataLoader().load(spec).inputs();
        assertEquals(-2f, values[0]);
        assertEquals(1f, values[4]);
        assertEquals((0x33 / 255f - 0.1f) / 0.2f, values[8]);

        DataSpec twoValues = DataSpec.builder().setPath(dir.toString()).optMean(new float[] {0.5f, 0.5f})
                .optStd(new float[] {1f, 1f}).build();
        String message = failure(twoValues).getMessage();
        assertTrue(message.contains("examples of shape [3, 2, 2] have 3 channels, but --mean and --std give 2 values; "
                + "pass 3 values to each"), message);
    }

    @Test
    void emptyFoldersAreRefused(@TempDir Path dir) throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String message = failure(spec(empty, null, null)).getMessage();
        assertTrue(message.contains(empty + ": no class subfolders. The images format reads one subfolder per class"), message);

        Path classes = dir.resolve("classes");
        save(rgb(2, 2, 0), classes.resolve("ant/1.png"));
        Files.createDirectories(classes.resolve("bee"));
        Files.writeString(classes.resolve("bee/readme.txt"), "no images here");
        message = failure(spec(classes, null, null)).getMessage();
        assertTrue(message.contains(classes + ": class folder bee holds no image files (.bmp, .gif, .jpeg, .jpg, .pgm, .png, .ppm, "
                + ".tif, .tiff, .webp); add images or remove the folder"), message);
    }

    @Test
    void anUnreadableImageIsNamed(@TempDir Path dir) throws IOException {
        save(rgb(2, 2, 0), dir.resolve("ant/1.png"));
        Path broken = dir.resolve("ant/2.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'});
        String message = failure(spec(dir, null, null)).getMessage();
        assertTrue(message.contains(broken + ": cannot decode the image ("), message);
        assertTrue(message.contains("Replace it, or move it out of the data folder"), message);

        Files.writeString(broken, "just text");
        message = failure(spec(dir, null, null)).getMessage();
        assertTrue(message.contains(broken + ": not an image javax.imageio can read"), message);
    }

    @Test
    void imagesOfDifferentSizesNeedACrop(@TempDir Path dir) throws IOException {
        save(rgb(4, 4, 0), dir.resolve("a/1.png"));
        Path odd = save(rgb(4, 6, 0), dir.resolve("a/2.png"));
        String message = failure(spec(dir, 4, null)).getMessage();
        assertTrue(message.contains(odd + ": becomes a 3x6x4 example, but the first image became 3x4x4"), message);
        assertTrue(message.contains("--crop"), message);
        assertArrayEquals(new long[] {2, 3, 4, 4}, load(dir, 4, 4).shape());
    }
}
