package org.coar.workbench.fit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.coar.workbench.StagingDirectories;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.model.Components;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;

/**
 * Writes an attributions directory (DESIGN.md, "Attributions"; the files {@link Attributions}
 * names and reads) all or nothing: everything goes into a hidden temporary directory beside the
 * target, which is renamed into place only when complete, so a failure or a cancel never leaves a
 * half-written directory.
 */
final class AttributionsWriter implements AutoCloseable {
    /** Components per positional write of the weight files; each of the two buffers holds this many rows. */
    public static final int WRITE_ROWS = 256;
    private static final int TRANSPOSE_BLOCK = 64;

    private final Path target;
    private final Path staging;
    private boolean committed;

    /** Checks the target and makes the staging directory now, before any long work, so bad paths fail fast. */
    public AttributionsWriter(Path target) {
        this.target = target.toAbsolutePath().normalize();
        if (Files.exists(this.target) && !StagingDirectories.isEmptyDirectory(this.target)) {
            throw new WorkbenchException(target + ": already exists and is not an empty directory; choose another --out "
                    + "or remove it (attributions are never overwritten)");
        }
        Path parent = this.target.getParent();
        try {
            Files.createDirectories(parent);
            // A fit killed with kill -9 cannot remove its staging directory; the next fit to this target does.
            StagingDirectories.removeStale(this.target);
            this.staging = StagingDirectories.create(this.target);
        } catch (IOException e) {
            throw new WorkbenchException(target + ": cannot write the attributions directory (" + e + "); choose a writable "
                    + "--out directory", e);
        }
    }

    /**
     * {@code weight.npy} (components × examples) from the example-major standardised {@code weights}:
     * component {@code active[a]} takes column a; the other components get 0.
     */
    public void writeWeight(Matrix weights, int[] active, int components) throws IOException {
        double[] ones = new double[components];
        java.util.Arrays.fill(ones, 1);
        writeWeights(Attributions.WEIGHT, weights, active, components, ones);
    }

    /** {@code raw_weight.npy}: as {@link #writeWeight}, component i's row times {@code inverseStd[i]}. */
    public void writeRawWeight(Matrix weights, int[] active, int components, double[] inverseStd) throws IOException {
        writeWeights(Attributions.RAW_WEIGHT, weights, active, components, inverseStd);
    }

    private void writeWeights(String name, Matrix weights, int[] active, int components, double[] scale) throws IOException {
        int examples = weights.rows();
        Path file = staging.resolve(name);
        NpyArray.create(file, Dtype.FLOAT32, components, examples);
        int[] activeIndexOf = new int[components];
        java.util.Arrays.fill(activeIndexOf, -1);
        for (int a = 0; a < active.length; a++) {
            activeIndexOf[active[a]] = a;
        }
        try (NpyArray array = NpyArray.open(file, true)) {
            float[][] block = new float[TRANSPOSE_BLOCK][examples];
            double[] slice = new double[TRANSPOSE_BLOCK];
            int q = weights.cols();
            for (int first = 0; first < components; first += TRANSPOSE_BLOCK) {
                int count = Math.min(TRANSPOSE_BLOCK, components - first);
                // Active components of this block form one contiguous run of columns (active is sorted).
                int from = -1;
                int to = -1;
                for (int i = 0; i < count; i++) {
                    java.util.Arrays.fill(block[i], 0f);
                    int a = activeIndexOf[first + i];
                    if (a >= 0) {
                        from = from < 0 ? a : from;
                        to = a + 1;
                    }
                }
                if (from >= 0) {
                    for (int j = 0; j < examples; j++) {
                        java.lang.foreign.MemorySegment.copy(weights.segment(), java.lang.foreign.ValueLayout.JAVA_DOUBLE,
                                ((long) j * q + from) * 8, slice, 0, to - from);
                        for (int i = 0; i < count; i++) {
                            int a = activeIndexOf[first + i];
                            if (a >= 0) {
                                block[i][j] = (float) (slice[a - from] * scale[first + i]);
                            }
                        }
                    }
                }
                for (int i = 0; i < count; i++) {
                    array.writeRow(first + i, block[i]);
                }
            }
            array.forceRows(0, components);
        }
    }

    /**
     * Opens {@code weight.npy} and {@code raw_weight.npy} (components × examples, float32) to be
     * written a block of example columns at a time, through positional writes (not a memory map,
     * whose dirty pages would count in the fit's resident memory: 4.5 GiB each at ResNet-50 size).
     */
    public WeightColumns weightColumns(int components, int examples) throws IOException {
        return new WeightColumns(components, examples);
    }

    /** The two weight files of a least-squares fit, filled block by block. */
    public final class WeightColumns implements AutoCloseable {
        private final int components;
        private final NpyArray weightArray;
        private final NpyArray rawArray;
        private final org.coar.workbench.npy.NpyStream weight;
        private final org.coar.workbench.npy.NpyStream raw;

        private WeightColumns(int components, int examples) throws IOException {
            this.components = components;
            NpyArray.create(staging.resolve(Attributions.WEIGHT), Dtype.FLOAT32, components, examples);
            NpyArray.create(staging.resolve(Attributions.RAW_WEIGHT), Dtype.FLOAT32, components, examples);
            this.weightArray = NpyArray.open(staging.resolve(Attributions.WEIGHT), false);
            this.rawArray = NpyArray.open(staging.resolve(Attributions.RAW_WEIGHT), false);
            this.weight = org.coar.workbench.npy.NpyStream.open(weightArray, true);
            this.raw = org.coar.workbench.npy.NpyStream.open(rawArray, true);
        }

        /**
         * Writes examples [first, first + w) from {@code weights} (order.length × w, standardised,
         * one row per component of {@code order}), times {@code sign}; raw weights divide by
         * {@code std}. Components outside {@code order} keep the zeros the files start with.
         */
        public void write(int first, Matrix weights, int[] order, double sign, double[] std) {
            int w = weights.cols();
            int chunk = WRITE_ROWS;
            float[] wv = new float[chunk * w];
            float[] rv = new float[chunk * w];
            double[] row = new double[w];
            int a = 0;
            for (int c0 = 0; c0 < components; c0 += chunk) {
                int rows = Math.min(chunk, components - c0);
                java.util.Arrays.fill(wv, 0, rows * w, 0f);
                java.util.Arrays.fill(rv, 0, rows * w, 0f);
                boolean any = false;
                while (a < order.length && order[a] < c0 + rows) {
                    int i = order[a];
                    weights.getRow(a, row);
                    double inv = 1 / std[i];
                    int at = (i - c0) * w;
                    for (int j = 0; j < w; j++) {
                        double v = sign * row[j];
                        wv[at + j] = (float) v;
                        rv[at + j] = (float) (v * inv);
                    }
                    any = true;
                    a++;
                }
                if (any) {
                    weight.writeFloatSlices(c0, rows, first, w, wv);
                    raw.writeFloatSlices(c0, rows, first, w, rv);
                }
            }
        }

        /** Forces both files to disk. */
        public void finish() throws IOException {
            weight.force();
            raw.force();
        }

        @Override
        public void close() throws IOException {
            try {
                weight.close();
                raw.close();
            } finally {
                weightArray.close();
                rawArray.close();
            }
        }
    }

    /** {@code bias.npy}, (examples,). */
    public void writeBias(double[] bias) throws IOException {
        writeVector(Attributions.BIAS, bias);
    }

    /** {@code lam.npy}: each example's chosen λ. */
    public void writeLambda(double[] lambda) throws IOException {
        writeVector(Attributions.LAMBDA, lambda);
    }

    /** {@code mask_mean.npy} and {@code mask_std.npy}, (components,): the standardisation of the fit's rows. */
    public void writeStandardisation(double[] mean, double[] std) throws IOException {
        writeVector(Attributions.MASK_MEAN, mean);
        writeVector(Attributions.MASK_STD, std);
    }

    /** {@code val_mse.npy} and {@code val_r2.npy}, (examples,): NaN without validation rows. */
    public void writeValidation(double[] mse, double[] r2) throws IOException {
        writeVector(Attributions.VAL_MSE, mse);
        writeVector(Attributions.VAL_R2, r2);
    }

    private void writeVector(String name, double[] values) throws IOException {
        Path file = staging.resolve(name);
        NpyArray.create(file, Dtype.FLOAT32, values.length);
        try (NpyArray array = NpyArray.open(file, true)) {
            for (int i = 0; i < values.length; i++) {
                array.set(i, values[i]);
            }
            array.forceRows(0, values.length);
        }
    }

    public void writeReport(ObjectNode report) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(staging.resolve(Attributions.REPORT).toFile(), report);
    }

    /** Copies the store's components.json, when it has one, so the attributions name their components wherever they go. */
    public void copyComponents(Path storeDir) throws IOException {
        if (Components.exists(storeDir)) {
            Files.copy(storeDir.resolve(Components.FILE), staging.resolve(Components.FILE));
        }
    }

    /** Renames the staging directory into place. */
    public void commit() {
        try {
            if (Files.isDirectory(target)) {
                Files.delete(target); // empty, checked in the constructor
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        } catch (DirectoryNotEmptyException e) {
            throw new WorkbenchException(target + ": something else was written there during the fit; nothing of this fit was "
                    + "kept. Fit again with another --out", e);
        } catch (IOException e) {
            throw new WorkbenchException(target + ": cannot move the finished attributions into place (" + e + ")", e);
        }
    }

    /** Removes the staging directory unless committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        // Best effort; the hidden directory name says what it is, and the next fit removes it.
        StagingDirectories.deleteTree(staging);
    }
}
