package org.coar.workbench.edit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an edit did.
 *
 * @param ablated   the ablated components, best first
 * @param before    the unedited model on the target, reference and all examples
 * @param after     the edited model
 * @param sweep     k = 1..sweepMax, empty without a sweep
 * @param saved     the edited TorchScript model, or null
 * @param reloadMaxAbsDifference largest |margin difference| between the saved file reloaded and the edited model in memory (NaN when not saved)
 * @param marginsBefore the unedited model's margin per example; empty when unknown (an edit report older than version 3)
 * @param marginsAfter  the edited model's margin per example; empty when unknown
 */
public record EditResult(int[] target, int[] reference, EditMode mode, List<AblatedComponent> ablated, Metrics before, Metrics after,
                         List<SweepRow> sweep, Path saved, double reloadMaxAbsDifference, Path report, List<Path> figures,
                         float[] marginsBefore, float[] marginsAfter) {

    /** An example the edit flipped: wrong before and right after ({@link #fixed()}), or right before and wrong after. */
    public record Flip(int example, float marginBefore, float marginAfter) {
        public boolean fixed() {
            return marginAfter > 0;
        }
    }

    /** Whether the per-example margins are known, so {@link #flipped()} can be listed. */
    public boolean hasMargins() {
        return marginsBefore.length > 0 && marginsBefore.length == marginsAfter.length;
    }

    /**
     * The examples whose correctness (margin > 0, as accuracy counts it) the edit changed, in example order;
     * empty when the margins are unknown.
     */
    public List<Flip> flipped() {
        List<Flip> flips = new ArrayList<>();
        if (!hasMargins()) {
            return flips;
        }
        for (int j = 0; j < marginsBefore.length; j++) {
            if ((marginsBefore[j] > 0) != (marginsAfter[j] > 0)) {
                flips.add(new Flip(j, marginsBefore[j], marginsAfter[j]));
            }
        }
        return flips;
    }

    /** Every example's margin before and after, as CSV with its label. */
    public String marginsCsv(int[] labels) {
        StringBuilder csv = new StringBuilder("example,label,margin_before,margin_after\n");
        for (int j = 0; j < marginsBefore.length; j++) {
            csv.append(String.format(Locale.ROOT, "%d,%d,%.7g,%.7g%n", j, labels[j], marginsBefore[j], marginsAfter[j]));
        }
        return csv.toString();
    }

    /** One ablated component: flat index, readable name, Welch t-score. */
    public record AblatedComponent(int index, String label, double score) {
    }

    /** Accuracy (margin > 0, as the reference computes it) and mean margin of a set of examples. */
    public record SubsetMetrics(int examples, double accuracy, double meanMargin) {
        static SubsetMetrics of(float[] margins, int[] subset) {
            double sum = 0;
            int correct = 0;
            for (int j : subset) {
                sum += margins[j];
                correct += margins[j] > 0 ? 1 : 0;
            }
            return new SubsetMetrics(subset.length, subset.length == 0 ? Double.NaN : (double) correct / subset.length,
                    subset.length == 0 ? Double.NaN : sum / subset.length);
        }
    }

    public record Metrics(SubsetMetrics target, SubsetMetrics reference, SubsetMetrics all) {
    }

    /** The model with the k best components ablated. */
    public record SweepRow(int k, Metrics metrics) {
    }

    /** What the user should know about this edit: e.g. target and reference sets that are one set. */
    public List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        if (java.util.Arrays.equals(java.util.Arrays.stream(target).sorted().toArray(), java.util.Arrays.stream(reference).sorted().toArray())) {
            warnings.add("--target and --reference are the same " + target.length + " example(s), so every component's t-statistic "
                    + "is 0 and the ablated components are an arbitrary choice; give a --reference other than the target "
                    + "(the default 'rest' is every other example)");
        }
        return warnings;
    }

    /** A plain-text summary table. */
    public String table() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-24s %-22s %-22s", "", "before", "after (" + ablated.size() + " ablated, " + mode.cliName() + ")"));
        row(lines, "target (" + target.length + ")", before.target(), after.target());
        row(lines, "reference (" + reference.length + ")", before.reference(), after.reference());
        row(lines, "all (" + before.all().examples() + ")", before.all(), after.all());
        return String.join(System.lineSeparator(), lines);
    }

    private static void row(List<String> lines, String name, SubsetMetrics before, SubsetMetrics after) {
        lines.add(String.format(Locale.ROOT, "%-24s acc %.3f, margin %7.3f    acc %.3f, margin %7.3f", name, before.accuracy(),
                before.meanMargin(), after.accuracy(), after.meanMargin()));
    }

    /** The sweep as CSV: k, then accuracy and mean margin of target, reference and all examples. */
    public String sweepCsv() {
        StringBuilder csv = new StringBuilder("k,target_accuracy,reference_accuracy,all_accuracy,target_mean_margin,"
                + "reference_mean_margin,all_mean_margin\n");
        for (SweepRow r : sweep) {
            Metrics m = r.metrics();
            csv.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f%n", r.k(), m.target().accuracy(),
                    m.reference().accuracy(), m.all().accuracy(), m.target().meanMargin(), m.reference().meanMargin(),
                    m.all().meanMargin()));
        }
        return csv.toString();
    }
}
