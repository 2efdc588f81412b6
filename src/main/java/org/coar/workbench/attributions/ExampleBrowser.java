package org.coar.workbench.attributions;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.data.ClassNames;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.TorchModel;

/**
 * Per-example browsing of attributions: every evaluation example with its label, the clean model's
 * prediction and output, and its validation R²; for one example its strongest components and the
 * attribution mass per layer; for one component the examples it moves most; queries over the
 * examples; what-ifs on the fitted linear model.
 * <p>
 * The scores need only the attributions directory. The model gives the predictions and clean
 * outputs and the evaluation data gives labels and images; when either file is gone the browser
 * opens without what it gives and {@link #unavailable()} says what is missing.
 */
public final class ExampleBrowser implements AutoCloseable {

    /**
     * One evaluation example as the table lists it; {@link #UNKNOWN} label or prediction where the data or the model
     * is unavailable, and a NaN output without the model.
     */
    public record ExampleRow(int index, int label, int prediction, float cleanOutput, double validationR2) {
        public static final int UNKNOWN = Integer.MIN_VALUE;

        public boolean misclassified() {
            return label != UNKNOWN && prediction != UNKNOWN && label != prediction;
        }
    }

    /** A component's score for an example: the effect on the output of keeping it. */
    public record Contribution(int component, String name, float score) {
    }

    /** Attribution mass (sum of |score|) of one layer for an example, and its share of the total. */
    public record LayerMass(String layer, double mass, double share) {
    }

    /** Everything shown for a selected example. {@code image} is null when the inputs are not images. */
    public record ExampleView(ExampleRow example, List<Contribution> positive, List<Contribution> negative, List<LayerMass> layers,
                              float[] image, long[] imageShape) {
    }

    private final Attributions attributions;
    private final Components components;
    private final EvalData data;
    private final List<ExampleRow> rows;
    private final String outputName;
    private final ClassNames classNames;
    private final List<String> unavailable;
    /** Each example's strongest component (largest |score|), found on the first query that needs it. */
    private int[] strongest;

    private ExampleBrowser(Attributions attributions, Components components, EvalData data, List<ExampleRow> rows, String outputName,
                           ClassNames classNames, List<String> unavailable) {
        this.attributions = attributions;
        this.components = components;
        this.data = data;
        this.rows = rows;
        this.outputName = outputName;
        this.classNames = classNames;
        this.unavailable = List.copyOf(unavailable);
    }

    /**
     * Opens the attributions of a store; runs the unablated model once for the predictions when the
     * model file is there. Components are named from the attributions' copy of components.json, else
     * the store's.
     */
    public static ExampleBrowser open(Path storeDir, Path attributionsDir) {
        Attributions attributions = Attributions.load(attributionsDir);
        try {
            RunConfig run = RunConfig.exists(storeDir) ? RunConfig.read(storeDir) : null;
            List<String> unavailable = new ArrayList<>();
            Components components = componentsOf(storeDir, attributions, unavailable);
            EvalData data = null;
            if (run == null) {
                unavailable.add("the run settings (no run.json in " + storeDir + "): labels, predictions and images");
            } else {
                try {
                    data = new DataLoader().load(run.data());
                } catch (WorkbenchException e) {
                    unavailable.add("the evaluation data (" + e.getMessage() + "): labels, predictions and images");
                }
            }
            attributions.checkMatches(storeDir, components.total(), data != null ? data.size() : attributions.examples());
            float[] outputs = null;
            int[] predictions = null;
            if (data != null) {
                Path model = Path.of(run.model());
                if (Files.isRegularFile(model)) {
                    AblatedEvaluator.Result clean = cleanRun(run, model, components, data);
                    outputs = clean.outputs();
                    predictions = clean.predictions();
                } else {
                    unavailable.add("the model (" + model + " is missing): predictions and clean outputs");
                }
            }
            double[] r2 = validationR2(attributionsDir, attributions.examples());
            List<ExampleRow> rows = new ArrayList<>(attributions.examples());
            for (int j = 0; j < attributions.examples(); j++) {
                rows.add(new ExampleRow(j, data == null ? ExampleRow.UNKNOWN : data.labels()[j],
                        predictions == null ? ExampleRow.UNKNOWN : predictions[j], outputs == null ? Float.NaN : outputs[j], r2[j]));
            }
            ClassNames names = run == null || data == null || data.isTokens() ? ClassNames.NONE : ClassNames.of(run.data());
            return new ExampleBrowser(attributions, components, data, List.copyOf(rows), run == null ? "output" : run.output(), names,
                    unavailable);
        } catch (RuntimeException e) {
            attributions.close();
            throw e;
        }
    }

    private static AblatedEvaluator.Result cleanRun(RunConfig run, Path model, Components components, EvalData data) {
        try (TorchModel torch = TorchModel.load(model, Device.cpu()).selectOutput(run.modelOutput());
             AblatedEvaluator evaluator = new AblatedEvaluator(torch, components, data, 100, OutputFunction.parse(run.output()))) {
            boolean[] keepAll = new boolean[components.total()];
            Arrays.fill(keepAll, true);
            return evaluator.evaluate(keepAll, () -> false);
        }
    }

    /** The attributions' copy of components.json, else the store's, else one unnamed group (and a note saying so). */
    private static Components componentsOf(Path storeDir, Attributions attributions, List<String> unavailable) {
        Optional<Components> own = attributions.componentList();
        if (own.isPresent()) {
            return own.get();
        }
        if (Components.exists(storeDir)) {
            return Components.read(storeDir);
        }
        unavailable.add("the component names (no components.json in " + attributions.dir() + " or " + storeDir + "): layers");
        return new Components(List.of(new ComponentGroup("component", attributions.components())));
    }

    /** Each example's validation R², NaN where the directory has none for it. */
    private static double[] validationR2(Path attributionsDir, int length) {
        double[] read = Attributions.readValidationR2(attributionsDir);
        if (read.length == length) {
            return read;
        }
        double[] values = new double[length];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    public List<ExampleRow> examples() {
        return rows;
    }

    public Components components() {
        return components;
    }

    /** Whether the examples are token sequences of a language model (no class labels; see {@link #tokens(int)}). */
    public boolean languageModel() {
        return data != null && data.isTokens();
    }

    /** The number of real tokens of sequence {@code example}; only for a language model. */
    public int tokens(int example) {
        return data.tokenLengths()[example];
    }

    /** What opening could not read, each as "what (why): what it would have given"; empty when everything was there. */
    public List<String> unavailable() {
        return unavailable;
    }

    /** Whether the clean model ran, so rows carry predictions and clean outputs. */
    public boolean hasPredictions() {
        return rows.isEmpty() || rows.getFirst().prediction() != ExampleRow.UNKNOWN;
    }

    /** Whether the evaluation data was read, so rows carry labels (and image views their inputs). */
    public boolean hasData() {
        return data != null;
    }

    /** The class names the data says (empty for unnamed classes; a labels file chosen by the user overrides them). */
    public ClassNames classNames() {
        return classNames;
    }

    /** The layer a component belongs to: its group's name without ".weight". */
    public String layerOf(int component) {
        String name = components.groups().get(components.groupOf(component)).name();
        return name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name;
    }

    /** The fitted output of {@code example} with every component kept, where a what-if starts. */
    public double fittedOutput(int example) {
        return attributions.predictAllKept(example);
    }

    /**
     * The fitted output with {@code ablated} removed, from the fitted output with every component kept: each
     * score is the fitted effect of keeping its component, so ablating it takes its score away.
     */
    public static double outputWithout(double fittedAllKept, Collection<Contribution> ablated) {
        double output = fittedAllKept;
        for (Contribution c : ablated) {
            output -= c.score();
        }
        return output;
    }

    /** Component {@code component}'s score for every example. */
    public float[] scoresOf(int component) {
        float[] row = new float[attributions.examples()];
        attributions.rawRow(component, row);
        return row;
    }

    /** The component with a label (as {@link Components#label} writes it, case ignored) or -1. */
    public int componentNamed(String label) {
        for (int c = 0; c < components.total(); c++) {
            if (components.label(c).equalsIgnoreCase(label.strip())) {
                return c;
            }
        }
        return -1;
    }

    /** The examples matching {@code query}, in index order; a condition on components reads their scores (one row each). */
    public List<ExampleRow> query(ExampleQuery query) {
        float[] scores = null;
        int[] strongestOf = null;
        if (query.component() != null) {
            if (query.component().kind() == ExampleQuery.Kind.STRONGEST) {
                strongestOf = strongest();
            } else {
                scores = scoresOf(query.component().component());
            }
        }
        List<ExampleRow> matching = new ArrayList<>();
        for (ExampleRow row : rows) {
            if (query.matches(row, scores, strongestOf)) {
                matching.add(row);
            }
        }
        return matching;
    }

    /** Every example's strongest component: one pass over the components, kept for later queries. */
    private int[] strongest() {
        if (strongest == null) {
            int m = attributions.examples();
            int[] best = new int[m];
            float[] largest = new float[m];
            Arrays.fill(largest, -1);
            float[] row = new float[m];
            for (int c = 0; c < components.total(); c++) {
                attributions.rawRow(c, row);
                for (int j = 0; j < m; j++) {
                    if (Math.abs(row[j]) > largest[j]) {
                        largest[j] = Math.abs(row[j]);
                        best[j] = c;
                    }
                }
            }
            strongest = best;
        }
        return strongest;
    }

    /** What the scores measure, e.g. "margin". */
    public String outputName() {
        return outputName;
    }

    public ExampleView view(int example, int topK) {
        Summary summary = summarise(attributions.rawColumn(example), components, topK);
        long[] shape = data == null ? new long[0] : data.exampleShape();
        boolean image = data != null && shape.length == 3 && (shape[0] == 1 || shape[0] == 3);
        return new ExampleView(rows.get(example), summary.positive(), summary.negative(), summary.layers(),
                image ? data.batch(example, 1) : null, image ? shape : null);
    }

    /** The strongest components of one example's scores, and the attribution mass per layer. */
    public record Summary(List<Contribution> positive, List<Contribution> negative, List<LayerMass> layers) {
    }

    public static Summary summarise(float[] scores, Components components, int topK) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(c -> -scores[c]));
        List<Contribution> positive = new ArrayList<>();
        List<Contribution> negative = new ArrayList<>();
        for (int i = 0; i < Math.min(topK, order.length) && scores[order[i]] > 0; i++) {
            positive.add(new Contribution(order[i], components.label(order[i]), scores[order[i]]));
        }
        for (int i = order.length - 1; i >= Math.max(0, order.length - topK) && scores[order[i]] < 0; i--) {
            negative.add(new Contribution(order[i], components.label(order[i]), scores[order[i]]));
        }
        Map<String, Double> mass = new LinkedHashMap<>();
        double total = 0;
        for (int c = 0; c < scores.length; c++) {
            String name = components.groups().get(components.groupOf(c)).name();
            String layer = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : name;
            mass.merge(layer, (double) Math.abs(scores[c]), Double::sum);
            total += Math.abs(scores[c]);
        }
        double sum = total;
        List<LayerMass> layers = mass.entrySet().stream()
                .map(e -> new LayerMass(e.getKey(), e.getValue(), sum > 0 ? e.getValue() / sum : 0)).toList();
        return new Summary(positive, negative, layers);
    }

    /** The examples whose output component {@code component} moves most (largest |score|), strongest first. */
    public List<Contribution> examplesMovedBy(int component, int topK) {
        float[] row = new float[attributions.examples()];
        attributions.rawRow(component, row);
        return IntStream.range(0, row.length).boxed().sorted(Comparator.comparingDouble(j -> -Math.abs(row[j]))).limit(topK)
                .map(j -> new Contribution(j, "example " + j, row[j])).toList();
    }

    /** The view as CSV: one line per listed component and per layer. */
    public static String csv(ExampleView view) {
        StringBuilder csv = new StringBuilder("example,kind,name,component,score_or_mass,share\n");
        int j = view.example().index();
        for (Contribution c : view.positive()) {
            csv.append(String.format(Locale.ROOT, "%d,top_positive,%s,%d,%.6g,%n", j, c.name(), c.component(), c.score()));
        }
        for (Contribution c : view.negative()) {
            csv.append(String.format(Locale.ROOT, "%d,top_negative,%s,%d,%.6g,%n", j, c.name(), c.component(), c.score()));
        }
        for (LayerMass m : view.layers()) {
            csv.append(String.format(Locale.ROOT, "%d,layer_mass,%s,,%.6g,%.4f%n", j, m.layer(), m.mass(), m.share()));
        }
        return csv.toString();
    }

    @Override
    public void close() {
        attributions.close();
    }
}
