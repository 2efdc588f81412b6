package org.coar.workbench.attributions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.coar.workbench.store.Store;

/**
 * The store rows a fit trained and validated on, as far as its report.json tells. Read
 * defensively: every key may be missing. Recognised, under {@code "split"}:
 * <ul>
 *   <li>{@code held_out_rows}: store rows the final fit never saw (the best evidence);</li>
 *   <li>{@code validation_row_indices} (or {@code validation_rows} given as an array): the validation rows;</li>
 *   <li>{@code train_rows}, {@code validation_rows}, {@code final_fit_rows} as counts with a
 *       {@code method} that starts with "ordered": the reference's split, i.e. the first
 *       train_rows completed rows train and the next validation_rows validate.</li>
 * </ul>
 * When {@code final_fit_rows} exceeds {@code train_rows}, the final fit was refitted on training
 * plus validation rows (as the reference does), so the validation rows are in-sample for it.
 */
public record FitSplit(boolean reportFound, List<Long> heldOut, List<Long> validation, Long trainCount, Long validationCount,
                       Long finalFitCount, String method) {

    /** Rows to score predictions on without running the model, and what they are. */
    public record Rows(long[] rows, boolean inSample, String description) {
    }

    public FitSplit {
        heldOut = heldOut == null ? null : List.copyOf(heldOut);
        validation = validation == null ? null : List.copyOf(validation);
    }

    static FitSplit from(JsonNode report) {
        JsonNode split = report == null ? null : report.get("split");
        if (split == null || !split.isObject()) {
            return new FitSplit(report != null, null, null, null, null, null, null);
        }
        List<Long> heldOut = longs(split.get("held_out_rows"));
        List<Long> validation = longs(split.get("validation_row_indices"));
        if (validation == null) {
            validation = longs(split.get("validation_rows"));
        }
        return new FitSplit(true, heldOut, validation, count(split.get("train_rows")), count(split.get("validation_rows")),
                count(split.get("final_fit_rows")), split.hasNonNull("method") ? split.get("method").asText() : null);
    }

    private static List<Long> longs(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        List<Long> values = new ArrayList<>();
        for (JsonNode n : node) {
            if (n.canConvertToLong()) {
                values.add(n.asLong());
            }
        }
        return values;
    }

    private static Long count(JsonNode node) {
        return node != null && node.isIntegralNumber() ? node.asLong() : null;
    }

    private boolean refittedOnValidation() {
        return finalFitCount != null && trainCount != null && finalFitCount > trainCount;
    }

    /**
     * The rows of {@code store} to check predictions on: rows the final fit never saw when they
     * can be told, else the validation rows flagged as in-sample, else none (with the reason).
     */
    public Rows rowsToCheck(Store store) {
        if (heldOut != null) {
            return new Rows(completedOnly(store, heldOut), false, "held-out rows listed in report.json");
        }
        if (validation != null) {
            return new Rows(completedOnly(store, validation), refittedOnValidation(), refittedOnValidation()
                    ? "validation rows listed in report.json (in-sample: the final fit was refitted on them)"
                    : "validation rows listed in report.json");
        }
        if (trainCount != null && method != null && method.toLowerCase(Locale.ROOT).startsWith("ordered")) {
            long val = validationCount == null ? 0 : validationCount;
            List<Long> validationRows = new ArrayList<>();
            List<Long> unused = new ArrayList<>();
            long seen = 0;
            for (long row = 0; row < store.numModels(); row++) {
                if (!store.isCompleted(row)) {
                    continue;
                }
                if (seen >= trainCount + val) {
                    unused.add(row);
                } else if (seen >= trainCount) {
                    validationRows.add(row);
                }
                seen++;
            }
            if (!unused.isEmpty()) {
                return new Rows(toArray(unused), false, "completed rows after the fit's training and validation rows "
                        + "(ordered split), never seen by the fit");
            }
            if (!validationRows.isEmpty()) {
                return new Rows(toArray(validationRows), refittedOnValidation(), refittedOnValidation()
                        ? "validation rows of the ordered split (in-sample: the final fit was refitted on them)"
                        : "validation rows of the ordered split");
            }
            return new Rows(new long[0], false, "the fit used every completed row for training");
        }
        return new Rows(new long[0], false, reportFound ? "report.json does not say which rows the fit held out"
                : "no report.json beside the attributions, so no rows are known to be held out");
    }

    private static long[] completedOnly(Store store, List<Long> rows) {
        return rows.stream().filter(r -> r >= 0 && r < store.numModels() && store.isCompleted(r)).mapToLong(Long::longValue).toArray();
    }

    private static long[] toArray(List<Long> rows) {
        return rows.stream().mapToLong(Long::longValue).toArray();
    }
}
