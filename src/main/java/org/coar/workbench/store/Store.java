package org.coar.workbench.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.spec.ArraySpec;
import org.coar.workbench.spec.StoreSpec;

/**
 * A COAR store: a directory of memory-mapped .npy arrays, one row per ablated model, plus
 * {@code _completed.npy}. Layout and semantics match the reference {@code initialize_store.py}, so
 * numpy opens any store made here and this class opens any store numpy made.
 */
public final class Store implements AutoCloseable {

    public static final String COMPLETED_FILE = StoreSpec.COMPLETED + ".npy";

    private final Path dir;
    private final Map<String, NpyArray> arrays;
    private final NpyArray completed;

    private Store(Path dir, Map<String, NpyArray> arrays, NpyArray completed) {
        this.dir = dir;
        this.arrays = arrays;
        this.completed = completed;
    }

    /**
     * Initialises a store for {@code spec} in {@code dir} (created if absent). Refuses, changing
     * nothing, when {@code dir} already holds a store or any of the spec's files. Data is not
     * written: files are sparse, so initialising any size takes milliseconds.
     */
    public static void create(Path dir, StoreSpec spec) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new WorkbenchException(dir + ": is a file, not a directory; give --store a directory for the store "
                    + "(created if absent), e.g. " + dir.resolveSibling(dir.getFileName() + "-store"));
        }
        List<String> names = new ArrayList<>(spec.schema().keySet());
        names.add(StoreSpec.COMPLETED);
        List<String> existing = names.stream().filter(n -> Files.exists(dir.resolve(n + ".npy"))).toList();
        if (!existing.isEmpty()) {
            throw new WorkbenchException(dir + ": already holds " + String.join(", ", existing.stream().map(n -> n + ".npy").toList())
                    + "; nothing was changed. Use an empty directory, or open the existing store with 'coar info " + dir + "'");
        }
        boolean madeDir = !Files.exists(dir);
        // Each file is registered before it is created: a failure while writing its header or
        // setting its length (full disk, "File too large") must remove it too.
        List<Path> toRemove = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, ArraySpec> entry : spec.schema().entrySet()) {
                Path file = dir.resolve(entry.getKey() + ".npy");
                toRemove.add(file);
                NpyArray.create(file, entry.getValue().dtype(), prepend(spec.numModels(), entry.getValue().rowShape()));
            }
            // _completed.npy last: a store without it is recognisably half-initialised.
            Path completedFile = dir.resolve(COMPLETED_FILE);
            toRemove.add(completedFile);
            NpyArray.create(completedFile, Dtype.BOOL, spec.numModels());
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException taken) {
                // made by someone else since the check above: theirs, not ours to remove
                toRemove.remove(Path.of(taken.getFile()));
            }
            for (Path file : toRemove) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // Best effort: the message below says what happened.
                }
            }
            if (madeDir) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // not empty (someone else's files) or not ours to remove
                }
            }
            String reason = e instanceof IOException io ? describe(io) : String.valueOf(e.getMessage());
            throw new WorkbenchException(dir + ": cannot initialise the store (" + reason + "); check that the directory "
                    + "is writable and the disk has room. Files created so far were removed.", e);
        }
    }

    /** An I/O failure in words: the exception's own message names only the file, e.g. "File too large" comes as its reason. */
    private static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getFile() + ": " + fs.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /** Opens the store in {@code dir}; {@code writable} maps it read-write for filling rows. */
    public static Store open(Path dir, boolean writable) {
        if (!Files.isDirectory(dir)) {
            throw new WorkbenchException(dir + ": no such store directory");
        }
        Path completedFile = dir.resolve(COMPLETED_FILE);
        List<Path> npyFiles = listNpy(dir);
        if (!Files.exists(completedFile)) {
            if (npyFiles.isEmpty()) {
                throw new WorkbenchException(dir + ": not a store (no .npy files); create one with 'coar init --spec SPEC --store " + dir + "'");
            }
            throw new WorkbenchException(dir + ": half-initialised store: " + COMPLETED_FILE + " is missing (present: "
                    + String.join(", ", npyFiles.stream().map(p -> p.getFileName().toString()).toList())
                    + "). Initialisation was interrupted; delete the directory and run 'coar init' again");
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        NpyArray completed = null;
        try {
            completed = NpyArray.open(completedFile, writable);
            if (completed.dtype() != Dtype.BOOL || completed.header().shape().length != 1) {
                throw new WorkbenchException(completedFile + ": expected a 1-d bool array, found " + completed.dtype().numpyName()
                        + " of shape " + Arrays.toString(completed.header().shape()));
            }
            for (Path file : npyFiles) {
                String name = file.getFileName().toString().replaceFirst("\\.npy$", "");
                if (name.equals(StoreSpec.COMPLETED)) {
                    continue;
                }
                NpyArray array = NpyArray.open(file, writable);
                arrays.put(name, array);
                if (array.header().shape().length == 0 || array.rows() != completed.rows()) {
                    throw new WorkbenchException(file + ": has " + (array.header().shape().length == 0 ? "no rows (0-d)" : array.rows() + " rows")
                            + " but " + COMPLETED_FILE + " has " + completed.rows() + "; every array needs one row per model");
                }
            }
            return new Store(dir, arrays, completed);
        } catch (IOException | RuntimeException e) {
            arrays.values().forEach(NpyArray::close);
            if (completed != null) {
                completed.close();
            }
            if (e instanceof WorkbenchException we) {
                throw we;
            }
            throw new WorkbenchException(dir + ": cannot open the store (" + e.getMessage() + ")", e);
        }
    }

    private static List<Path> listNpy(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.npy")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new WorkbenchException(dir + ": cannot list the directory (" + e.getMessage() + ")", e);
        }
        files.sort(null);
        return files;
    }

    private static long[] prepend(long first, long[] rest) {
        long[] shape = new long[rest.length + 1];
        shape[0] = first;
        System.arraycopy(rest, 0, shape, 1, rest.length);
        return shape;
    }

    public Path dir() {
        return dir;
    }

    public long numModels() {
        return completed.rows();
    }

    /** Array names in file-name order, without {@code _completed}. */
    public List<String> arrayNames() {
        return List.copyOf(arrays.keySet());
    }

    public NpyArray array(String name) {
        NpyArray array = arrays.get(name);
        if (array == null) {
            throw new WorkbenchException(dir + ": the store has no array '" + name + "' (it has " + String.join(", ", arrays.keySet()) + ")");
        }
        return array;
    }

    /** The spec this store was made from, recovered from its files. */
    public StoreSpec spec() {
        Map<String, ArraySpec> schema = new LinkedHashMap<>();
        arrays.forEach((name, array) -> schema.put(name, new ArraySpec(array.dtype(),
                Arrays.stream(array.rowShape()).boxed().toList())));
        return new StoreSpec(numModels(), schema);
    }

    public boolean isCompleted(long row) {
        return completed.get(row) != 0;
    }

    public long completedCount() {
        long count = 0;
        for (long row = 0; row < numModels(); row++) {
            if (isCompleted(row)) {
                count++;
            }
        }
        return count;
    }

    /** Completed and pending runs of rows, in order. */
    public List<RowRange> rowRanges() {
        List<RowRange> ranges = new ArrayList<>();
        long start = 0;
        for (long row = 1; row <= numModels(); row++) {
            if (row == numModels() || isCompleted(row) != isCompleted(start)) {
                ranges.add(new RowRange(start, row - 1, isCompleted(start)));
                start = row;
            }
        }
        return ranges;
    }

    /**
     * Writes one row of every array, forces it to disk, and only then marks the row completed
     * (and forces that), so a crash never leaves a completed row with partial data.
     *
     * @param values one entry per schema array: {@code float[]}, {@code double[]} or {@code boolean[]}
     */
    public void writeRow(long row, Map<String, ?> values) {
        if (row < 0 || row >= numModels()) {
            throw new WorkbenchException(dir + ": row " + row + " is outside 0.." + (numModels() - 1));
        }
        List<String> missing = arrays.keySet().stream().filter(n -> !values.containsKey(n)).toList();
        List<String> unknown = values.keySet().stream().filter(n -> !arrays.containsKey(n)).toList();
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new WorkbenchException(dir + ": row " + row + " must give every array of the store"
                    + (missing.isEmpty() ? "" : "; missing: " + missing) + (unknown.isEmpty() ? "" : "; not in the store: " + unknown));
        }
        try {
            new TreeMap<String, Object>(values).forEach((name, data) -> {
                NpyArray array = arrays.get(name);
                switch (data) {
                    case float[] f -> array.writeRow(row, f);
                    case double[] d -> array.writeRow(row, d);
                    case boolean[] b -> array.writeRow(row, b);
                    default -> throw new IllegalArgumentException(name + ": unsupported row type " + data.getClass().getSimpleName());
                }
            });
            arrays.values().forEach(array -> array.forceRows(row, 1));
            completed.set(row, 1);
            completed.forceRows(row, 1);
        } catch (InternalError | UncheckedIOException e) {
            // The files are sparse memory maps: a full disk (or a file shrunk behind our back) surfaces
            // as a fault on the first write to an unbacked page, not as an IOException.
            throw new WorkbenchException(dir + ": cannot write row " + row + " (" + e.getMessage() + "); the disk is probably "
                    + "full (store files are sparse and take their space as rows are written). Free space, then resume with "
                    + "'coar build --store " + dir + "'; rows completed so far are kept", e);
        }
    }

    /** Clears a row's completion flag (e.g. before rebuilding it); the data stays until rewritten. */
    public void markPending(long row) {
        completed.set(row, 0);
        completed.forceRows(row, 1);
    }

    @Override
    public void close() {
        arrays.values().forEach(NpyArray::close);
        completed.close();
    }
}
