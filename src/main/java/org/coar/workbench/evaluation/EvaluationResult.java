package org.coar.workbench.evaluation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an evaluation found: per α, each method's per-example correlation summary; the check on
 * the store's held-out rows; and where the report and figures are.
 *
 * @param methods        COAR first, then the baselines, in report order
 * @param alphas         one entry per evaluated α
 * @param validation     correlation on store rows the fit did not train on (no model runs); rows 0 when none are known
 * @param evaluationSeed seed of the fresh ablations
 * @param scatterExample example shown in the predicted-vs-actual figure
 */
public record EvaluationResult(Path outDir, List<String> methods, List<AlphaResult> alphas, ValidationCheck validation,
                               long evaluationSeed, int runs, int scatterExample, Path report, List<Path> figures) {
    public static final String COAR = "COAR";

    /** One α: the masks' seed and each method's summary. */
    public record AlphaResult(double alpha, long maskSeed, Map<String, Correlation.Summary> byMethod) {
    }

    /** Correlation over store rows, predictions only. */
    public record ValidationCheck(int rows, boolean inSample, String description, Correlation.Summary summary) {
    }

    /** A plain-text table: one row per α, mean (median) correlation per method. */
    public String table() {
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-8s", "alpha"));
        for (String method : methods) {
            header.append(String.format(Locale.ROOT, " | %-22s", method));
        }
        lines.add(header.toString());
        lines.add("-".repeat(header.length()));
        for (AlphaResult a : alphas) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s", trim(a.alpha())));
            for (String method : methods) {
                Correlation.Summary s = a.byMethod().get(method);
                line.append(String.format(Locale.ROOT, " | %-22s", s == null ? "-"
                        : String.format(Locale.ROOT, "%.3f (median %.3f)", s.mean(), s.median())));
            }
            lines.add(line.toString());
        }
        if (validation != null && validation.rows() > 0) {
            lines.add(String.format(Locale.ROOT, "store rows (%d, %s): COAR %.3f (median %.3f)", validation.rows(),
                    validation.description(), validation.summary().mean(), validation.summary().median()));
        }
        return String.join(System.lineSeparator(), lines);
    }

    static String trim(double alpha) {
        String s = String.format(Locale.ROOT, "%.6f", alpha).replaceAll("0+$", "");
        return s.endsWith(".") ? s + "0" : s;
    }
}
