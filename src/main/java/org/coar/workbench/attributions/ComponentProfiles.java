package org.coar.workbench.attributions;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.TorchModel;
import org.coar.workbench.store.RunConfig;

/**
 * One component across every example: the distribution of its scores, the examples it moves most
 * in each direction, and its weights in the model (the slice along dim 0 of its parameter that an
 * ablation zeroes; a conv filter as a mosaic of its input channels). Scores are the raw effects of
 * keeping the component, as {@link Attributions#rawRow} gives them. The model is loaded once, on
 * the first weights asked for; the read methods may run concurrently.
 */
public final class ComponentProfiles implements AutoCloseable {

    /** Counts of scores in equal-width bins over [low, high]; the last bin includes high. */
    public record Histogram(double low, double high, int[] counts) {
        public double binWidth() {
            return (high - low) / counts.length;
        }

        public int total() {
            return Arrays.stream(counts).sum();
        }
    }

    /** An example and the component's score for it. */
    public record Moved(int example, float score) {
    }

    /**
     * A component's weights: {@code values} of the slice, C order, of {@code shape} (the parameter's
     * shape without dim 0). {@code mosaic} is set for a conv filter (shape {@code (in, kh, kw)}).
     */
    public record Weights(String parameter, int slice, long[] shape, float[] values, FilterMosaic mosaic) {
        public double norm() {
            double sum = 0;
            for (float v : values) {
                sum += (double) v * v;
            }
            return Math.sqrt(sum);
        }
    }

    /**
     * A conv filter laid out as an image: one {@code kh × kw} tile per input channel, channel i in
     * row {@code i / tileColumns}, column {@code i % tileColumns}, tiles one pixel apart. Pixels
     * between tiles (and after the last tile) are NaN. Row-major, {@code width × height}.
     */
    public record FilterMosaic(int width, int height, int tileColumns, float[] pixels, float maxAbs) {
        public float at(int x, int y) {
            return pixels[y * width + x];
        }
    }

    /** Everything the Component page shows; {@code weights} is null with {@code weightsNote} saying why. */
    public record Profile(int component, String name, Histogram histogram, double mean, List<Moved> raising, List<Moved> lowering,
                          Weights weights, String weightsNote) {
    }

    private final Attributions attributions;
    private final Components components;
    private final Path model;
    private TorchModel loaded;

    private ComponentProfiles(Attributions attributions, Components components, Path model) {
        this.attributions = attributions;
        this.components = components;
        this.model = model;
    }

    /**
     * Opens the attributions in {@code attributionsDir} of the store {@code storeDir}; the components
     * come from the attributions' copy of components.json, else the store's, and the model from the
     * store's run.json (null without one: the weights are then not shown).
     */
    public static ComponentProfiles open(Path storeDir, Path attributionsDir) {
        Attributions attributions = Attributions.load(attributionsDir);
        try {
            Components components = attributions.componentList().orElseGet(() -> {
                if (!Components.exists(storeDir)) {
                    throw new WorkbenchException(attributionsDir + ": no components.json here or in the store " + storeDir
                            + ", so the components have no names; fit the attributions with 'coar fit', which copies it");
                }
                return Components.read(storeDir);
            });
            if (components.total() != attributions.components()) {
                throw new WorkbenchException(attributionsDir.resolve(Components.FILE) + ": lists " + components.total()
                        + " components, but weight.npy has " + attributions.components() + "; fit the attributions again");
            }
            Path model = RunConfig.exists(storeDir) ? Path.of(RunConfig.read(storeDir).model()) : null;
            return new ComponentProfiles(attributions, components, model);
        } catch (RuntimeException e) {
            attributions.close();
            throw e;
        }
    }

    public Components components() {
        return components;
    }

    public int examples() {
        return attributions.examples();
    }

    /**
     * The component a person means by {@code query}: a flat index ("17"), a label as the tables
     * print it ("conv2 #5", any case), or a parameter name with a slice ("conv2.weight #5").
     */
    public OptionalInt find(String query) {
        String text = query == null ? "" : query.trim();
        if (text.matches("\\d+")) {
            try {
                int index = Integer.parseInt(text);
                return index < components.total() ? OptionalInt.of(index) : OptionalInt.empty();
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }
        String wanted = text.replaceAll("\\s+", " ").replace(".weight #", " #").toLowerCase(Locale.ROOT);
        for (int g = 0; g < components.groups().size(); g++) {
            String name = components.groups().get(g).name();
            String layer = (name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name).toLowerCase(Locale.ROOT);
            if (wanted.startsWith(layer + " #")) {
                String slice = wanted.substring(layer.length() + 2).trim();
                if (slice.matches("\\d+") && slice.length() < 10 && Integer.parseInt(slice) < components.groups().get(g).size()) {
                    return OptionalInt.of(Math.toIntExact(components.start(g) + Integer.parseInt(slice)));
                }
            }
        }
        return OptionalInt.empty();
    }

    /** The profile of {@code component}: its scores in {@code bins} bins, the {@code topK} examples it moves most each way, its weights. */
    public Profile profile(int component, int bins, int topK) {
        if (component < 0 || component >= components.total()) {
            throw new WorkbenchException("component " + component + " is outside 0.." + (components.total() - 1) + " (the attributions cover "
                    + components.total() + " components)");
        }
        float[] scores = new float[attributions.examples()];
        attributions.rawRow(component, scores);
        double mean = IntStream.range(0, scores.length).mapToDouble(j -> scores[j]).average().orElse(Double.NaN);
        Weights weights = null;
        String note;
        try {
            weights = weights(component);
            note = weights.mosaic() == null ? describeNonConv(weights) : null;
        } catch (WorkbenchException e) {
            note = e.getMessage();
        }
        return new Profile(component, components.label(component), histogram(scores, bins), mean, raising(scores, topK),
                lowering(scores, topK), weights, note);
    }

    private static String describeNonConv(Weights weights) {
        return String.format(Locale.ROOT, "%s slice %d: %s weights, L2 norm %.4g (drawn as an image for conv filters only)",
                weights.parameter(), weights.slice(), weights.shape().length == 1 ? weights.shape()[0] + "" : Arrays.toString(weights.shape()),
                weights.norm());
    }

    /** Counts of {@code values} in {@code bins} equal bins from their minimum to their maximum (one bin of width 1 around a single value). */
    public static Histogram histogram(float[] values, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        if (low > high) {
            return new Histogram(0, 1, new int[bins]);
        }
        if (low == high) {
            low -= 0.5;
            high += 0.5;
        }
        int[] counts = new int[bins];
        double width = (high - low) / bins;
        for (float v : values) {
            if (Float.isFinite(v)) {
                counts[Math.min(bins - 1, (int) ((v - low) / width))]++;
            }
        }
        return new Histogram(low, high, counts);
    }

    /** The {@code k} examples with the largest positive scores, largest first (keeping the component raises their output most). */
    public static List<Moved> raising(float[] scores, int k) {
        return IntStream.range(0, scores.length).filter(j -> scores[j] > 0).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -scores[j]).thenComparingInt(j -> j)).limit(k)
                .map(j -> new Moved(j, scores[j])).toList();
    }

    /** The {@code k} examples with the most negative scores, most negative first (keeping the component lowers their output most). */
    public static List<Moved> lowering(float[] scores, int k) {
        return IntStream.range(0, scores.length).filter(j -> scores[j] < 0).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> scores[j]).thenComparingInt(j -> j)).limit(k)
                .map(j -> new Moved(j, scores[j])).toList();
    }

    /** The weights of {@code component} in the store's model; fails with what to do when the model is unknown, missing or another one. */
    public Weights weights(int component) {
        int group = components.groupOf(component);
        String parameter = components.groups().get(group).name();
        int slice = Math.toIntExact(component - components.start(group));
        float[] all;
        long[] shape;
        synchronized (this) {
            TorchModel torch = model();
            NDArray weight = torch.parameter(parameter);
            shape = weight.getShape().getShape();
            if (shape[0] != components.groups().get(group).size()) {
                throw new WorkbenchException(model + ": parameter " + parameter + " has " + shape[0] + " slices along dim 0, but the "
                        + "component list says " + components.groups().get(group).size() + "; this is not the model the store was built with");
            }
            try (NDManager scratch = torch.manager().newSubManager()) {
                NDArray row = weight.get(slice);
                row.attach(scratch);
                NDArray floats = row.getDataType() == DataType.FLOAT32 ? row : row.toType(DataType.FLOAT32, false);
                floats.attach(scratch);
                all = floats.toFloatArray();
            }
        }
        long[] sliceShape = Arrays.copyOfRange(shape, 1, shape.length);
        return new Weights(parameter, slice, sliceShape, all, sliceShape.length == 3 ? mosaic(all, sliceShape) : null);
    }

    private TorchModel model() {
        if (loaded == null) {
            if (model == null) {
                throw new WorkbenchException("The store has no run.json, so its model is unknown and the weights cannot be shown.");
            }
            if (!Files.isRegularFile(model)) {
                throw new WorkbenchException("The model file " + model + " (the store's run.json names it) is missing, so the weights cannot be "
                        + "shown; put the model back at that path to see them.");
            }
            loaded = TorchModel.load(model, Device.cpu());
        }
        return loaded;
    }

    /** Lays out a conv filter {@code (in, kh, kw)} as tiles in a near-square grid (see {@link FilterMosaic}). */
    public static FilterMosaic mosaic(float[] values, long[] shape) {
        int channels = Math.toIntExact(shape[0]);
        int kh = Math.toIntExact(shape[1]);
        int kw = Math.toIntExact(shape[2]);
        int columns = (int) Math.ceil(Math.sqrt(channels));
        int rows = (channels + columns - 1) / columns;
        int width = columns * kw + columns - 1;
        int height = rows * kh + rows - 1;
        float[] pixels = new float[width * height];
        Arrays.fill(pixels, Float.NaN);
        float maxAbs = 0;
        for (int c = 0; c < channels; c++) {
            int left = (c % columns) * (kw + 1);
            int top = (c / columns) * (kh + 1);
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    float v = values[(c * kh + y) * kw + x];
                    pixels[(top + y) * width + left + x] = v;
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
            }
        }
        return new FilterMosaic(width, height, columns, pixels, maxAbs);
    }

    @Override
    public synchronized void close() {
        attributions.close();
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }
}
