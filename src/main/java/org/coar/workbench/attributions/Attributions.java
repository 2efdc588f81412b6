package org.coar.workbench.attributions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.coar.workbench.Provenance;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.Components;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.npy.NpyHeader;

/**
 * An attributions directory as {@code coar fit} writes it (DESIGN.md, "Attributions"), read
 * through memory maps: {@code weight.npy} (components × examples) in the standardised mask
 * space, {@code bias.npy}, {@code mask_mean.npy}, {@code mask_std.npy}, and optionally
 * {@code raw_weight.npy}, {@code lam.npy}, {@code report.json} and a copy of the store's
 * {@code components.json}.
 * <p>
 * The prediction for keep-mask x (1 = kept) on example j is
 * {@code Σ_c (x_c − mask_mean_c) / mask_std_c · weight[c, j] + bias[j]}; a component whose
 * {@code mask_std} is 0 never varied in the fit and contributes nothing. Components are streamed
 * row by row, so attributions larger than the heap work. Not thread-safe for {@link #close()};
 * the read methods may run concurrently.
 */
public final class Attributions implements AutoCloseable {
    /** Where {@code coar fit} writes attributions by default: this folder in the store. */
    public static final String DEFAULT_DIR = "attributions";

    public static final String WEIGHT = "weight.npy";
    public static final String BIAS = "bias.npy";
    public static final String MASK_MEAN = "mask_mean.npy";
    public static final String MASK_STD = "mask_std.npy";
    public static final String RAW_WEIGHT = "raw_weight.npy";
    public static final String LAMBDA = "lam.npy";
    public static final String VAL_MSE = "val_mse.npy";
    public static final String VAL_R2 = "val_r2.npy";
    public static final String REPORT = "report.json";
    /** report.json's format name; version 2 added the {@link Provenance} object, version 1 reports still read. */
    public static final String FORMAT = "coar-attributions";
    public static final int VERSION = 2;

    private final Path dir;
    private final NpyArray weight;
    private final NpyArray rawWeight;
    private final double[] bias;
    private final double[] maskMean;
    private final double[] maskStd;
    private final int components;
    private final int examples;
    private final JsonNode report;

    private Attributions(Path dir, NpyArray weight, NpyArray rawWeight, double[] bias, double[] maskMean, double[] maskStd,
                         JsonNode report) {
        this.dir = dir;
        this.weight = weight;
        this.rawWeight = rawWeight;
        this.bias = bias;
        this.maskMean = maskMean;
        this.maskStd = maskStd;
        this.components = maskMean.length;
        this.examples = bias.length;
        this.report = report;
    }

    /**
     * The attributions fitted on {@code storeDir} by default: {@code STORE/attributions} (where
     * {@code coar fit} writes them), else {@code attributions} beside the store (the demo's layout).
     */
    public static java.util.Optional<Path> defaultFor(Path storeDir) {
        return java.util.stream.Stream.of(storeDir.resolve(DEFAULT_DIR), storeDir.resolveSibling(DEFAULT_DIR))
                .filter(Attributions::hasWeights).findFirst();
    }

    /** Whether {@code dir} holds fitted weights (is, or is becoming, an attributions directory). */
    public static boolean hasWeights(Path dir) {
        return Files.exists(dir.resolve(WEIGHT));
    }

    /** Each example's chosen λ ({@code lam.npy}); empty when the directory has none. */
    public static double[] readLambdas(Path dir) {
        return readOptionalVector(dir.resolve(LAMBDA));
    }

    /** Each example's validation R² ({@code val_r2.npy}, NaN without validation rows); empty when the directory has none. */
    public static double[] readValidationR2(Path dir) {
        return readOptionalVector(dir.resolve(VAL_R2));
    }

    private static double[] readOptionalVector(Path file) {
        if (!Files.isRegularFile(file)) {
            return new double[0];
        }
        try (NpyArray array = NpyArray.open(file, false)) {
            double[] values = new double[Math.toIntExact(array.rows() * array.rowLength())];
            array.readRows(0, Math.toIntExact(array.rows()), values);
            return values;
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + "); it should be a numpy .npy file as 'coar fit' writes", e);
        }
    }

    /** Opens and checks an attributions directory; every failure names the file and what it should hold. */
    public static Attributions load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new WorkbenchException(dir + ": no such attributions directory; make one with 'coar fit --store STORE --out " + dir + "'");
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of(WEIGHT, BIAS, MASK_MEAN, MASK_STD)) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new WorkbenchException(dir + ": not a complete attributions directory, missing " + String.join(", ", missing)
                    + " (an attributions directory holds weight.npy, bias.npy, mask_mean.npy, mask_std.npy as 'coar fit' writes them)");
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            NpyArray weight = open(dir.resolve(WEIGHT), opened);
            long[] shape = weight.header().shape();
            if (shape.length != 2) {
                throw new WorkbenchException(weight.file() + ": expected shape (num_components, num_examples), found "
                        + NpyHeader.shapeString(shape));
            }
            long p = shape[0];
            long m = shape[1];
            double[] bias = vector(dir.resolve(BIAS), m, "num_examples = " + m + ", from weight.npy " + NpyHeader.shapeString(shape));
            String fromWeight = "num_components = " + p + ", from weight.npy " + NpyHeader.shapeString(shape);
            double[] mean = vector(dir.resolve(MASK_MEAN), p, fromWeight);
            double[] std = vector(dir.resolve(MASK_STD), p, fromWeight);
            for (int c = 0; c < p; c++) {
                if (!Double.isFinite(mean[c]) || !Double.isFinite(std[c]) || std[c] < 0) {
                    throw new WorkbenchException(dir.resolve(Double.isFinite(mean[c]) ? MASK_STD : MASK_MEAN)
                            + ": component " + c + " has mask_mean " + mean[c] + " and mask_std " + std[c]
                            + "; expected finite values and std >= 0. Fit the attributions again");
                }
            }
            NpyArray raw = null;
            if (Files.isRegularFile(dir.resolve(RAW_WEIGHT))) {
                raw = open(dir.resolve(RAW_WEIGHT), opened);
                if (!java.util.Arrays.equals(raw.header().shape(), shape)) {
                    throw new WorkbenchException(raw.file() + ": shape " + NpyHeader.shapeString(raw.header().shape())
                            + " differs from weight.npy " + NpyHeader.shapeString(shape) + "; both are (num_components, num_examples)");
                }
            }
            if (Files.isRegularFile(dir.resolve(LAMBDA))) {
                vector(dir.resolve(LAMBDA), m, "num_examples = " + m + ", from weight.npy " + NpyHeader.shapeString(shape));
            }
            return new Attributions(dir, weight, raw, bias, mean, std, readReport(dir.resolve(REPORT)));
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the original failure is what matters
                }
            }
            throw e;
        }
    }

    private static NpyArray open(Path file, List<AutoCloseable> opened) {
        try {
            NpyArray array = NpyArray.open(file, false);
            opened.add(array);
            return array;
        } catch (IOException | RuntimeException e) {
            throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + "); it should be a numpy .npy file as 'coar fit' writes", e);
        }
    }

    private static double[] vector(Path file, long length, String why) {
        try (NpyArray array = NpyArray.open(file, false)) {
            long[] shape = array.header().shape();
            if (shape.length != 1 || shape[0] != length) {
                throw new WorkbenchException(file + ": shape " + NpyHeader.shapeString(shape) + ", expected (" + length + ",) ("
                        + why + ")");
            }
            double[] values = new double[Math.toIntExact(length)];
            array.readRows(0, values.length, values);
            return values;
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read (" + e.getMessage() + "); it should be a numpy .npy file as 'coar fit' writes", e);
        }
    }

    private static JsonNode readReport(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            // report.json is provenance; unreadable provenance must not stop evaluation.
            return null;
        }
    }

    public Path dir() {
        return dir;
    }

    public int components() {
        return components;
    }

    public int examples() {
        return examples;
    }

    /** The copy of the store's components.json written by the fit, if any. */
    public Optional<Components> componentList() {
        return Components.exists(dir) ? Optional.of(Components.read(dir)) : Optional.empty();
    }

    /** report.json as written by the fit, or null when absent or unreadable. */
    public JsonNode report() {
        return report;
    }

    /** What made these attributions, from report.json (any version); empty without a readable report. */
    public Optional<Provenance> provenance() {
        return report == null || !report.path("format").isTextual() ? Optional.empty() : Optional.of(Provenance.read(report));
    }

    /** The row split the fit recorded in report.json. */
    public FitSplit split() {
        return FitSplit.from(report);
    }

    /**
     * Refuses attributions that do not belong to a store with {@code storeComponents} mask entries
     * and {@code storeExamples} outputs per row (and, when both directories hold one, the same
     * components.json).
     */
    public void checkMatches(Path storeDir, int storeComponents, int storeExamples) {
        if (components != storeComponents) {
            throw new WorkbenchException(dir.resolve(WEIGHT) + ": attributions for " + components + " components, but the store "
                    + storeDir + " has " + storeComponents + " (mask width); these attributions were fitted on another store or "
                    + "component selection. Fit them on this store with 'coar fit --store " + storeDir + "'");
        }
        if (examples != storeExamples) {
            throw new WorkbenchException(dir.resolve(WEIGHT) + ": attributions for " + examples + " examples, but the store "
                    + storeDir + " records " + storeExamples + " outputs per row; these attributions were fitted on other "
                    + "evaluation data. Fit them on this store with 'coar fit --store " + storeDir + "'");
        }
        if (Components.exists(dir) && Components.exists(storeDir) && !Components.read(dir).equals(Components.read(storeDir))) {
            throw new WorkbenchException(dir.resolve(Components.FILE) + ": the component groups " + Components.read(dir)
                    + " differ from the store's " + Components.read(storeDir) + "; fit the attributions on this store");
        }
    }

    /** The standardised mask entry {@code (x_c − mean_c) / std_c}, 0 for components that never varied. */
    private double standardised(int c, boolean kept) {
        return maskStd[c] > 0 ? ((kept ? 1 : 0) - maskMean[c]) / maskStd[c] : 0;
    }

    /** Predicted output of every example for one keep-mask. */
    public float[] predict(boolean[] keep) {
        return predict(List.of(keep))[0];
    }

    /** Predicted outputs, {@code [mask][example]}, for a block of keep-masks (one pass over weight.npy). */
    public float[][] predict(List<boolean[]> keeps) {
        for (boolean[] keep : keeps) {
            checkMask(keep);
        }
        int n = keeps.size();
        double[][] sums = new double[n][examples];
        for (double[] row : sums) {
            System.arraycopy(bias, 0, row, 0, examples);
        }
        float[] weights = new float[examples];
        double[] z = new double[n];
        for (int c = 0; c < components; c++) {
            boolean any = false;
            for (int r = 0; r < n; r++) {
                z[r] = standardised(c, keeps.get(r)[c]);
                any |= z[r] != 0;
            }
            if (!any) {
                continue;
            }
            weight.readRows(c, 1, weights);
            for (int r = 0; r < n; r++) {
                if (z[r] != 0) {
                    double zr = z[r];
                    double[] sum = sums[r];
                    for (int j = 0; j < examples; j++) {
                        sum[j] += zr * weights[j];
                    }
                }
            }
        }
        float[][] out = new float[n][examples];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < examples; j++) {
                out[r][j] = (float) sums[r][j];
            }
        }
        return out;
    }

    private void checkMask(boolean[] keep) {
        if (keep.length != components) {
            throw new IllegalArgumentException("mask has " + keep.length + " entries for " + components + " components");
        }
    }

    /**
     * Per-component raw scores, {@code [example][component]}, of the given examples: the effect on
     * the output of keeping the component (raw_weight.npy, else weight / mask_std; 0 for components
     * that never varied). One pass over the components.
     */
    public float[][] rawScores(int[] exampleIndices) {
        for (int j : exampleIndices) {
            if (j < 0 || j >= examples) {
                throw new WorkbenchException("example " + j + " is outside 0.." + (examples - 1) + " (the attributions cover "
                        + examples + " examples)");
            }
        }
        float[][] out = new float[exampleIndices.length][components];
        float[] row = new float[examples];
        for (int c = 0; c < components; c++) {
            rawRow(c, row);
            for (int i = 0; i < exampleIndices.length; i++) {
                out[i][c] = row[exampleIndices[i]];
            }
        }
        return out;
    }

    /**
     * The fitted output of {@code example} with every component kept (the all-ones mask): one element
     * per component read from the memory map. Ablating a set S from there gives this minus the raw
     * scores of S, since a raw score is the fitted effect of keeping its component.
     */
    public double predictAllKept(int example) {
        if (example < 0 || example >= examples) {
            throw new WorkbenchException("example " + example + " is outside 0.." + (examples - 1));
        }
        double sum = bias[example];
        for (int c = 0; c < components; c++) {
            double z = standardised(c, true);
            if (z != 0) {
                sum += z * weight.get((long) c * examples + example);
            }
        }
        return sum;
    }

    /**
     * Raw scores of every component for one example: one element per component read from the
     * memory map, so selecting an example costs microseconds whatever the number of examples.
     */
    public float[] rawColumn(int example) {
        if (example < 0 || example >= examples) {
            throw new WorkbenchException("example " + example + " is outside 0.." + (examples - 1));
        }
        float[] column = new float[components];
        for (int c = 0; c < components; c++) {
            if (rawWeight != null) {
                column[c] = (float) rawWeight.get((long) c * examples + example);
            } else {
                column[c] = maskStd[c] > 0 ? (float) (weight.get((long) c * examples + example) / maskStd[c]) : 0f;
            }
        }
        return column;
    }

    /** Raw scores of component {@code c} for every example into {@code target}. */
    public void rawRow(int c, float[] target) {
        if (rawWeight != null) {
            rawWeight.readRows(c, 1, target);
            return;
        }
        if (!(maskStd[c] > 0)) {
            java.util.Arrays.fill(target, 0, examples, 0f);
            return;
        }
        weight.readRows(c, 1, target);
        for (int j = 0; j < examples; j++) {
            target[j] = (float) (target[j] / maskStd[c]);
        }
    }

    @Override
    public void close() {
        weight.close();
        if (rawWeight != null) {
            rawWeight.close();
        }
    }
}
