package org.coar.workbench.attributions;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.TorchModel;

/**
 * Per-example browsing of attributions: every evaluation example with its label, the clean model's
 * prediction and output, and its validation R²; for one example its strongest components and the
 * attribution mass per layer; for one component the examples it moves most.
 */
public final class ExampleBrowser implements AutoCloseable {

    /** One evaluation example as the table lists it. */
    public record ExampleRow(int index, int label, int prediction, float cleanOutput, double validationR2) {
        public boolean misclassified() {
            return label != prediction;
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

    private ExampleBrowser(Attributions attributions, Components components, EvalData data, List<ExampleRow> rows, String outputName) {
        this.attributions = attributions;
        this.components = components;
        this.data = data;
        this.rows = rows;
        this.outputName = outputName;
    }

    /** Opens the attributions of a store; runs the unablated model once for the predictions. */
    public static ExampleBrowser open(Path storeDir, Path attributionsDir) {
        if (!RunConfig.exists(storeDir)) {
            throw new WorkbenchException(storeDir + ": no run.json, so the model and data behind these attributions are unknown; "
                    + "browse attributions of a store built by the workbench");
        }
        RunConfig run = RunConfig.read(storeDir);
        Components components = Components.read(storeDir);
        EvalData data = new DataLoader().load(run.data());
        Attributions attributions = Attributions.load(attributionsDir);
        try {
            attributions.checkMatches(storeDir, components.total(), data.size());
            AblatedEvaluator.Result clean;
            try (TorchModel model = TorchModel.load(Path.of(run.model()), Device.cpu()).selectOutput(run.modelOutput());
                 AblatedEvaluator evaluator = new AblatedEvaluator(model, components, data, 100, OutputFunction.parse(run.output()))) {
                boolean[] keepAll = new boolean[components.total()];
                Arrays.fill(keepAll, true);
                clean = evaluator.evaluate(keepAll, () -> false);
            }
            double[] r2 = validationR2(attributionsDir, data.size());
            List<ExampleRow> rows = new ArrayList<>(data.size());
            for (int j = 0; j < data.size(); j++) {
                rows.add(new ExampleRow(j, data.labels()[j], clean.predictions()[j], clean.outputs()[j], r2[j]));
            }
            return new ExampleBrowser(attributions, components, data, List.copyOf(rows), run.output());
        } catch (RuntimeException e) {
            attributions.close();
            throw e;
        }
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
        return data.isTokens();
    }

    /** The number of real tokens of sequence {@code example}; only for a language model. */
    public int tokens(int example) {
        return data.tokenLengths()[example];
    }

    /** What the scores measure, e.g. "margin". */
    public String outputName() {
        return outputName;
    }

    public ExampleView view(int example, int topK) {
        Summary summary = summarise(attributions.rawColumn(example), components, topK);
        long[] shape = data.exampleShape();
        boolean image = shape.length == 3 && (shape[0] == 1 || shape[0] == 3);
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
