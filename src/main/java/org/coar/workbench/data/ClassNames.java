package org.coar.workbench.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.coar.workbench.WorkbenchException;

/**
 * The names of the classes behind integer labels: label i is {@code names().get(i)}. Known from the
 * data where it carries them (an image folder's class folders, CIFAR-10), from a data set identified
 * by its labels file (Fashion-MNIST), or read from a file with one name per line.
 */
public record ClassNames(List<String> names, String source) {
    public static final ClassNames NONE = new ClassNames(List.of(), "");

    static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
            "Sneaker", "Bag", "Ankle boot");
    static final List<String> CIFAR10 = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    /**
     * SHA-256 of the uncompressed IDX labels files that are Fashion-MNIST's: its test set, its training set and the
     * bundled demo's first 1,000 test labels. MNIST's files have the same names, so only the contents tell them apart.
     */
    private static final Set<String> FASHION_MNIST_LABELS = Set.of(
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "b40abac7ec8228f434940f579deb7cf7b6e3103b5274cb91d1545771f5ef1c8b");

    public ClassNames {
        names = List.copyOf(names);
    }

    public boolean known() {
        return !names.isEmpty();
    }

    /** The name of {@code label}, or null where none is known. */
    public String of(int label) {
        return label >= 0 && label < names.size() ? names.get(label) : null;
    }

    /** {@code label} as a person reads it: "9 Ankle boot", or "9" without a name. */
    public String describe(int label) {
        String name = of(label);
        return name == null ? Integer.toString(label) : label + " " + name;
    }

    /** A file with one class name per line, in label order; trailing blank lines are ignored. */
    public static ClassNames read(Path file) {
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read the class names (" + e.getMessage() + "); choose a text file with "
                    + "one class name per line", e);
        }
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        if (lines.isEmpty()) {
            throw new WorkbenchException(file + ": holds no class names; write one name per line, the name of label 0 first");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty()) {
                throw new WorkbenchException(file + ": line " + (i + 1) + " is empty, so the labels after it would get the wrong "
                        + "names; write one class name per line, the name of label 0 first");
            }
            names.add(name);
        }
        return new ClassNames(names, file.getFileName().toString());
    }

    /** The class names the data itself says, as {@link DataLoader#resolve} records it in run.json; NONE when it says none. */
    public static ClassNames of(DataSpec resolved) {
        if (resolved == null || resolved.format() == null || resolved.path() == null) {
            return NONE;
        }
        Path path = Path.of(resolved.path());
        try {
            return switch (resolved.format()) {
                case DataLoader.IMAGES -> imageFolders(path);
                case DataLoader.CIFAR10 -> cifar10(path);
                case DataLoader.IDX -> resolved.labels() != null && fashionMnist(Path.of(resolved.labels()))
                        ? new ClassNames(FASHION_MNIST, "Fashion-MNIST's classes") : NONE;
                default -> NONE;
            };
        } catch (IOException e) {
            return NONE; // the data is gone or unreadable: names are a convenience, opening reports the data itself
        }
    }

    /** The class folders in sorted order, as {@link ImageFolderReader} (and torchvision) number them. */
    private static ClassNames imageFolders(Path root) throws IOException {
        try (var entries = Files.list(root)) {
            List<String> names = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            return names.isEmpty() ? NONE : new ClassNames(names, "the class folders of " + root.getFileName());
        }
    }

    /** batches.meta.txt where the archive put it beside the batch, else CIFAR-10's published class order. */
    private static ClassNames cifar10(Path batch) throws IOException {
        Path meta = batch.resolveSibling("batches.meta.txt");
        if (Files.isRegularFile(meta)) {
            List<String> names = Files.readAllLines(meta, StandardCharsets.UTF_8).stream().map(String::strip).filter(s -> !s.isEmpty())
                    .toList();
            if (!names.isEmpty()) {
                return new ClassNames(names, meta.getFileName().toString());
            }
        }
        return new ClassNames(CIFAR10, "CIFAR-10's classes");
    }

    private static boolean fashionMnist(Path labels) throws IOException {
        if (!Files.isRegularFile(labels)) {
            return false;
        }
        try (InputStream raw = Files.newInputStream(labels);
             InputStream in = labels.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
            return FASHION_MNIST_LABELS.contains(HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
