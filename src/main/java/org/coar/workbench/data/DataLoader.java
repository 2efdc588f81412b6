package org.coar.workbench.data;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.coar.workbench.WorkbenchException;

/**
 * Decodes evaluation data once into memory, as a {@link DataSpec} describes it: find the files,
 * read them ({@code idx}, {@code cifar10}, {@code npy} or {@code images}), keep every skip-th
 * example up to the limit, resize and center-crop, then normalise per channel.
 */
public final class DataLoader {

    public static final String IDX = "idx";
    public static final String CIFAR10 = "cifar10";
    public static final String NPY = "npy";
    public static final String IMAGES = "images";
    public static final String TOKENS = "tokens";
    public static final List<String> FORMATS = List.of(IDX, CIFAR10, NPY, IMAGES, TOKENS);

    /** Where the CIFAR-10 binary archive puts its batches; a folder holding it counts as CIFAR-10 too. */
    private static final String CIFAR_FOLDER = "cifar-10-batches-bin";

    public EvalData load(DataSpec spec) {
        DataSpec resolved = resolve(spec);
        Path path = Path.of(resolved.path());
        Subsample subsample = Subsample.of(resolved);
        ImageTransform transform = new ImageTransform(resolved.resize(), resolved.crop());
        EvalData data = switch (resolved.format()) {
            case IDX -> IdxReader.read(path, Path.of(resolved.labels()), subsample);
            case CIFAR10 -> Cifar10Reader.read(path, subsample);
            case NPY -> NpyDataReader.read(path, Path.of(resolved.labels()), subsample);
            case IMAGES -> ImageFolderReader.read(path, subsample, transform);
            case TOKENS -> TokenDataReader.read(path, resolved.attentionMask() == null ? null : Path.of(resolved.attentionMask()), subsample);
            default -> throw new IllegalStateException(resolved.format());
        };
        if (data.size() == 0) {
            throw new WorkbenchException(path + ": holds no examples; pass a file or folder with evaluation data");
        }
        if (!resolved.format().equals(IMAGES) && !transform.isIdentity()) {
            data = transform(data, transform, path);
        }
        if (resolved.mean() != null) {
            normalise(data, resolved.mean(), resolved.std(), path);
        }
        return new EvalData(data.description() + preprocessing(resolved), data.exampleShape(), data.inputs(), data.labels(),
                data.tokenLengths());
    }

    /**
     * The spec as it will be read: format detected, CIFAR-10 folder resolved to its test batch,
     * IDX labels file derived, paths absolute. This is the form to record in run.json.
     */
    public DataSpec resolve(DataSpec spec) {
        spec.validate();
        Path path = toPath(spec.path(), "--data");
        if (!Files.exists(path)) {
            throw new WorkbenchException(path + ": no such file or folder (--data); check the path");
        }
        String format = spec.format() != null ? spec.format().toLowerCase(Locale.ROOT)
                : spec.attentionMask() != null ? TOKENS : detectFormat(path);
        String labels = spec.labels() == null ? null : toPath(spec.labels(), "--labels").toString();
        String attentionMask = spec.attentionMask() == null ? null : toPath(spec.attentionMask(), "--attention-mask").toString();
        if (attentionMask != null && !format.equals(TOKENS)) {
            throw new WorkbenchException("--attention-mask " + spec.attentionMask() + " is for token data (--data-format tokens), not "
                    + format + " data; leave it out");
        }
        switch (format) {
            case IDX -> {
                if (labels == null) {
                    labels = derivedIdxLabels(path).toString();
                }
            }
            case NPY -> {
                if (labels == null) {
                    throw new WorkbenchException(path + ": npy inputs need their labels: pass --labels LABELS.npy "
                            + "(integer class indices, shape (N,)); for token ids of a language model pass --data-format tokens");
                }
            }
            case TOKENS -> {
                if (labels != null) {
                    throw new WorkbenchException("--labels " + spec.labels() + " is not used with token data (a language model's "
                            + "targets are the next tokens); give the padding with --attention-mask MASK.npy (or LENGTHS.npy) instead");
                }
                if (spec.resize() != null || spec.crop() != null || spec.mean() != null) {
                    throw new WorkbenchException("--resize, --crop, --mean and --std are for images, not token data; leave them out");
                }
            }
            case CIFAR10, IMAGES -> {
                if (labels != null) {
                    throw new WorkbenchException("--labels " + spec.labels() + " is not used with " + format
                            + " data (the labels come with " + path.getFileName() + "); leave it out");
                }
                if (format.equals(CIFAR10) && Files.isDirectory(path)) {
                    path = cifarTestBatch(path);
                }
            }
            default -> throw new IllegalStateException(format);
        }
        if (!format.equals(IMAGES) && Files.isDirectory(path)) {
            throw new WorkbenchException(path + ": is a folder, but " + format + " data is a file; pass the file, "
                    + "or --data-format images for a folder with one subfolder per class");
        }
        return spec.toBuilder().optFormat(format).setPath(path.toString()).optLabels(labels).optAttentionMask(attentionMask).build();
    }

    private static Path toPath(String text, String option) {
        try {
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new WorkbenchException(option + " " + text + ": not a valid path (" + e.getReason() + ")", e);
        }
    }

    /**
     * The format of the data at {@code path}, from its name and, for folders, its contents: a folder
     * holding {@code test_batch.bin} (or {@code cifar-10-batches-bin/test_batch.bin}) is cifar10, any
     * other folder images; a name with {@code idx3-ubyte} is idx, {@code .npy} npy, {@code .bin} cifar10.
     */
    public static String detectFormat(Path path) {
        if (Files.isDirectory(path)) {
            boolean cifar = Files.isRegularFile(path.resolve(Cifar10Reader.TEST_BATCH))
                    || Files.isRegularFile(path.resolve(CIFAR_FOLDER).resolve(Cifar10Reader.TEST_BATCH));
            return cifar ? CIFAR10 : IMAGES;
        }
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.contains("idx3-ubyte")) {
            return IDX;
        }
        if (name.endsWith(".npy")) {
            return NPY;
        }
        if (name.endsWith(".bin")) {
            return CIFAR10;
        }
        if (!Files.exists(path)) {
            throw new WorkbenchException(path + ": no such file or folder (--data); check the path");
        }
        throw new WorkbenchException(path + ": cannot tell the data format from the name. Pass --data-format with one of: "
                + "idx (MNIST-style *-images-idx3-ubyte[.gz] with its labels file), cifar10 (CIFAR-10 *.bin batch, "
                + "or the folder with test_batch.bin), npy (inputs .npy with --labels LABELS.npy), "
                + "images (a folder with one subfolder of images per class), tokens (token ids .npy (N, T) for a language model, "
                + "with --attention-mask)");
    }

    private static Path cifarTestBatch(Path dir) {
        for (Path candidate : List.of(dir.resolve(Cifar10Reader.TEST_BATCH), dir.resolve(CIFAR_FOLDER).resolve(Cifar10Reader.TEST_BATCH))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new WorkbenchException(dir + ": no " + Cifar10Reader.TEST_BATCH + " in this folder; pass a batch file, e.g. --data "
                + dir.resolve(Cifar10Reader.TEST_BATCH));
    }

    /** {@code x-images-idx3-ubyte[.gz]} -> {@code x-labels-idx1-ubyte[.gz]}, falling back to the other compression. */
    private static Path derivedIdxLabels(Path images) {
        String name = images.getFileName().toString();
        String labelsName = IdxReader.labelsNameFor(name);
        if (labelsName == null) {
            throw new WorkbenchException(images + ": cannot derive the labels file from this name (it has no "
                    + "'images-idx3-ubyte'); pass the labels file with --labels");
        }
        Path labels = images.resolveSibling(labelsName);
        Path otherCompression = images.resolveSibling(labelsName.endsWith(".gz")
                ? labelsName.substring(0, labelsName.length() - 3) : labelsName + ".gz");
        if (!Files.exists(labels) && Files.exists(otherCompression)) {
            return otherCompression;
        }
        if (!Files.exists(labels)) {
            throw new WorkbenchException(labels + ": no such labels file (derived from the images file name "
                    + name + "); pass the labels file with --labels");
        }
        return labels;
    }

    private static EvalData transform(EvalData data, ImageTransform transform, Path path) {
        long[] shape = data.exampleShape();
        if (shape.length != 3) {
            throw new WorkbenchException(path + ": --resize and --crop work on images of shape (channels, height, width), "
                    + "but these examples have shape " + Arrays.toString(shape) + "; leave the options out");
        }
        int channels = (int) shape[0];
        int height = (int) shape[1];
        int width = (int) shape[2];
        int[] size = transform.outputSize(height, width);
        int inLength = Math.toIntExact(data.exampleLength());
        int outLength = channels * size[0] * size[1];
        float[] inputs = new float[EvalData.inputsLength(data.size(), outLength, path.toString())];
        float[] example = new float[inLength];
        for (int i = 0; i < data.size(); i++) {
            data.copyBatch(i, 1, example);
            transform.apply(example, channels, height, width, inputs, i * outLength);
        }
        return new EvalData(data.description(), new long[] {channels, size[0], size[1]}, inputs, data.labels());
    }

    /** (x - mean[c]) / std[c] in place, as torchvision's Normalize; examples (C, H, W) have C channels, others one. */
    private static void normalise(EvalData data, float[] mean, float[] std, Path path) {
        long[] shape = data.exampleShape();
        int channels = shape.length == 3 ? (int) shape[0] : 1;
        if (mean.length != channels) {
            throw new WorkbenchException(path + ": examples of shape " + Arrays.toString(shape) + " have " + channels
                    + " channel" + (channels == 1 ? "" : "s") + ", but --mean and --std give " + mean.length
                    + " values; pass " + channels + " value" + (channels == 1 ? "" : "s") + " to each");
        }
        float[] inputs = data.inputs();
        int channelLength = Math.toIntExact(data.exampleLength() / channels);
        for (int start = 0; start < inputs.length; start += channelLength) {
            int c = start / channelLength % channels;
            float m = mean[c];
            float s = std[c];
            for (int i = start; i < start + channelLength; i++) {
                inputs[i] = (inputs[i] - m) / s;
            }
        }
    }

    private static String preprocessing(DataSpec spec) {
        StringBuilder text = new StringBuilder();
        if (spec.resize() != null) {
            text.append("; resized to shorter side ").append(spec.resize());
        }
        if (spec.crop() != null) {
            text.append("; center-cropped to ").append(spec.crop()).append('x').append(spec.crop());
        }
        if (spec.mean() != null) {
            text.append("; normalised with mean ").append(Arrays.toString(spec.mean())).append(" std ").append(Arrays.toString(spec.std()));
        }
        return text.toString();
    }
}
