package org.coar.workbench.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.coar.workbench.WorkbenchException;

/**
 * A folder with one subfolder per class, as torchvision's {@code ImageFolder} reads it: class
 * index = position of the subfolder name in sorted order; within a class, image files found at
 * any depth, ordered like {@code sorted(os.walk(...))} then by file name; files are recognised by
 * torchvision's image extensions (others are ignored). Images are decoded with javax.imageio
 * (PNG, JPEG, BMP, GIF, TIFF), converted to RGB like Pillow's {@code convert("RGB")} (gray
 * replicated to three channels, alpha dropped), scaled to [0, 1] and transformed by
 * {@link ImageTransform}. Decoding runs on all cores.
 */
final class ImageFolderReader {

    /** torchvision's IMG_EXTENSIONS, plus .gif; .ppm, .pgm and .webp are listed so that they fail loudly. */
    private static final Set<String> IMAGE_EXTENSIONS = Set.of(
            "jpg", "jpeg", "png", "ppm", "bmp", "pgm", "tif", "tiff", "webp", "gif");

    private ImageFolderReader() {
    }

    private record Example(Path file, int label) {
    }

    static EvalData read(Path root, Subsample subsample, ImageTransform transform) {
        List<Path> classDirs = classFolders(root);
        List<Example> examples = new ArrayList<>();
        List<String> emptyClasses = new ArrayList<>();
        for (int label = 0; label < classDirs.size(); label++) {
            List<Path> files = imageFiles(classDirs.get(label));
            if (files.isEmpty()) {
                emptyClasses.add(classDirs.get(label).getFileName().toString());
            }
            for (Path file : files) {
                examples.add(new Example(file, label));
            }
        }
        if (!emptyClasses.isEmpty()) {
            // torchvision refuses these too: an empty class would still take a class index.
            throw new WorkbenchException(root + ": class folder" + (emptyClasses.size() > 1 ? "s " : " ")
                    + String.join(", ", emptyClasses) + " hold" + (emptyClasses.size() > 1 ? "" : "s")
                    + " no image files (" + String.join(", ", IMAGE_EXTENSIONS.stream().sorted().map(e -> "." + e).toList())
                    + "); add images or remove the folder");
        }
        int kept = subsample.count(examples.size());
        List<Example> selected = IntStream.range(0, kept).mapToObj(k -> examples.get((int) subsample.sourceIndex(k))).toList();

        // The first image fixes the example shape; every other image must come out the same.
        Decoded first = decode(selected.getFirst().file());
        int[] size = transform.outputSize(first.height(), first.width());
        int exampleLength = 3 * size[0] * size[1];
        float[] inputs = new float[EvalData.inputsLength(kept, exampleLength, root.toString())];
        store(first, selected.getFirst().file(), transform, size, inputs, 0);
        try {
            IntStream.range(1, kept).parallel().forEach(k -> {
                Path file = selected.get(k).file();
                store(decode(file), file, transform, size, inputs, k * exampleLength);
            });
        } catch (RuntimeException e) {
            throw unwrap(e);
        }
        int[] labels = selected.stream().mapToInt(Example::label).toArray();
        String description = "images " + root + " (" + classDirs.size() + " classes): " + subsample.describe(examples.size());
        return new EvalData(description, new long[] {3, size[0], size[1]}, inputs, labels);
    }

    private static List<Path> classFolders(Path root) {
        if (!Files.isDirectory(root)) {
            throw new WorkbenchException(root + ": no such folder; the images format reads a folder with one subfolder per class");
        }
        List<Path> dirs;
        try (Stream<Path> entries = Files.list(root)) {
            dirs = entries.filter(Files::isDirectory).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new WorkbenchException(root + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        if (dirs.isEmpty()) {
            throw new WorkbenchException(root + ": no class subfolders. The images format reads one subfolder per class, "
                    + "e.g. " + root.resolve("cat").resolve("001.png") + " and " + root.resolve("dog").resolve("001.png")
                    + "; class indices follow the sorted folder names");
        }
        return dirs;
    }

    private static List<Path> imageFiles(Path classDir) {
        try (Stream<Path> walk = Files.walk(classDir, FileVisitOption.FOLLOW_LINKS)) {
            // os.walk order after sorting: by folder path, then by file name.
            return walk.filter(Files::isRegularFile).filter(ImageFolderReader::hasImageExtension)
                    .sorted(Comparator.<Path, String>comparing(p -> p.getParent().toString())
                            .thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new WorkbenchException(classDir + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
    }

    private static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** An image as RGB planes scaled to [0, 1], C order (3, height, width). */
    private record Decoded(float[] planes, int height, int width) {
    }

    static Decoded decode(Path file) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new WorkbenchException(file + ": cannot decode the image (" + e.getMessage()
                    + "); the file may be damaged. Replace it, or move it out of the data folder", e);
        }
        if (image == null) {
            throw new WorkbenchException(file + ": not an image javax.imageio can read (it reads PNG, JPEG, BMP, GIF, TIFF); "
                    + "convert it to PNG, or move it out of the data folder");
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        float[] planes = new float[3 * plane];
        int[] row = new int[width];
        ColorModel colorModel = image.getColorModel();
        if (colorModel.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(colorModel instanceof IndexColorModel)) {
            // Gray samples as stored: getRGB would send them through Java's linear-gray to sRGB conversion and brighten them.
            float max = (1 << colorModel.getComponentSize(0)) - 1;
            for (int y = 0; y < height; y++) {
                image.getRaster().getSamples(0, y, width, 1, 0, row);
                for (int x = 0; x < width; x++) {
                    float value = row[x] / max;
                    planes[y * width + x] = value;
                    planes[plane + y * width + x] = value;
                    planes[2 * plane + y * width + x] = value;
                }
            }
        } else {
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    int argb = row[x];
                    planes[y * width + x] = (argb >> 16 & 0xff) / 255f;
                    planes[plane + y * width + x] = (argb >> 8 & 0xff) / 255f;
                    planes[2 * plane + y * width + x] = (argb & 0xff) / 255f;
                }
            }
        }
        return new Decoded(planes, height, width);
    }

    private static void store(Decoded image, Path file, ImageTransform transform, int[] size, float[] inputs, int offset) {
        int[] mine = transform.outputSize(image.height(), image.width());
        if (!Arrays.equals(mine, size)) {
            throw new WorkbenchException(file + ": becomes a 3x" + mine[0] + "x" + mine[1] + " example, but the first image "
                    + "became 3x" + size[0] + "x" + size[1] + "; examples must share one size. Pass --crop N (with --resize M >= N "
                    + "for images of different sizes) so that every image comes out N x N");
        }
        transform.apply(image.planes(), 3, image.height(), image.width(), inputs, offset);
    }

    /** Parallel streams may wrap what a worker threw; the user needs the worker's own message. */
    private static RuntimeException unwrap(RuntimeException e) {
        Throwable cause = e;
        while (!(cause instanceof WorkbenchException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof WorkbenchException we ? we : e;
    }
}
