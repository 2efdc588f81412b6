package org.coar.workbench.edit;

import java.util.Locale;
import java.util.TreeSet;
import org.coar.workbench.WorkbenchException;

/**
 * Parses example sets for COAR-Edit: comma-separated terms, each an index ({@code 17}), an
 * inclusive range ({@code 10-20}), {@code misclassified} or {@code correct} (by the unedited
 * model's margin: correct iff margin > 0), {@code label:K} (examples whose label is K), or
 * {@code all}; for the reference also {@code rest} (every example not in the target).
 */
public final class ExampleSet {
    private ExampleSet() {
    }

    /**
     * Checks syntax and index ranges before any model run; sets that do not depend on the model's
     * margins (no misclassified, correct or rest) are also checked for emptiness.
     */
    public static void check(String option, String spec, int[] labels, boolean reference) {
        if (spec == null || spec.isBlank()) {
            parse(option, spec, labels, new float[labels.length], null); // throws with the usage
        }
        boolean dependsOnModel = false;
        for (String raw : spec.split(",")) {
            String term = raw.trim().toLowerCase(Locale.ROOT);
            if (term.startsWith("misclassified:")) {
                count(option, term);
                dependsOnModel = true;
                continue;
            }
            switch (term) {
                case "", "all" -> { }
                case "misclassified", "correct" -> dependsOnModel = true;
                case "rest" -> {
                    if (!reference) {
                        parse(option, term, labels, new float[labels.length], null); // throws: rest is for the reference
                    }
                    dependsOnModel = true;
                }
                default -> parseTerm(option, term, labels, new TreeSet<>());
            }
        }
        if (!dependsOnModel) {
            parse(option, spec, labels, new float[labels.length], null);
        }
    }

    /**
     * @param option  the option being parsed, for messages ("--target")
     * @param margins the unedited model's margin per example
     * @param target  the target set when parsing the reference (for "rest"), else null
     */
    public static int[] parse(String option, String spec, int[] labels, float[] margins, int[] target) {
        if (spec == null || spec.isBlank()) {
            throw new WorkbenchException(option + ": give examples, e.g. 17, 10-20, misclassified, correct, label:3 or all");
        }
        int m = labels.length;
        TreeSet<Integer> chosen = new TreeSet<>();
        for (String raw : spec.split(",")) {
            String term = raw.trim().toLowerCase(Locale.ROOT);
            if (term.isEmpty()) {
                continue;
            }
            if (term.startsWith("misclassified:")) {
                int n = count(option, term);
                for (int j = 0, taken = 0; j < m && taken < n; j++) {
                    if (!(margins[j] > 0)) {
                        chosen.add(j);
                        taken++;
                    }
                }
                continue;
            }
            switch (term) {
                case "all" -> addRange(chosen, 0, m - 1);
                case "misclassified", "correct" -> {
                    for (int j = 0; j < m; j++) {
                        if ((margins[j] > 0) == term.equals("correct")) {
                            chosen.add(j);
                        }
                    }
                }
                case "rest" -> {
                    if (target == null) {
                        throw new WorkbenchException(option + ": 'rest' means every example outside the target set, so it is "
                                + "only for --reference");
                    }
                    TreeSet<Integer> inTarget = new TreeSet<>();
                    for (int j : target) {
                        inTarget.add(j);
                    }
                    for (int j = 0; j < m; j++) {
                        if (!inTarget.contains(j)) {
                            chosen.add(j);
                        }
                    }
                }
                default -> parseTerm(option, term, labels, chosen);
            }
        }
        if (chosen.isEmpty()) {
            throw new WorkbenchException(option + " " + spec + ": selects no example (of " + m + "); COAR-Edit needs at least one");
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Writes indices in this syntax, consecutive runs as ranges: {3, 5, 6, 7} becomes "3,5-7".
     * Duplicates and order do not matter.
     */
    public static String format(int[] indices) {
        int[] sorted = java.util.Arrays.stream(indices).distinct().sorted().toArray();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < sorted.length; ) {
            int end = i;
            while (end + 1 < sorted.length && sorted[end + 1] == sorted[end] + 1) {
                end++;
            }
            if (!text.isEmpty()) {
                text.append(',');
            }
            text.append(sorted[i]);
            if (end > i) {
                text.append('-').append(sorted[end]);
            }
            i = end + 1;
        }
        return text.toString();
    }

    private static int count(String option, String term) {
        try {
            int n = Integer.parseInt(term.substring(term.indexOf(':') + 1).trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new WorkbenchException(option + ": '" + term + "' needs a count of at least 1, e.g. misclassified:1");
    }

    private static void parseTerm(String option, String term, int[] labels, TreeSet<Integer> chosen) {
        int m = labels.length;
        try {
            if (term.startsWith("label:") || term.startsWith("label=")) {
                int label = Integer.parseInt(term.substring(6).trim());
                for (int j = 0; j < m; j++) {
                    if (labels[j] == label) {
                        chosen.add(j);
                    }
                }
                return;
            }
            int dash = term.indexOf('-', 1);
            if (dash > 0) {
                int from = Integer.parseInt(term.substring(0, dash).trim());
                int to = Integer.parseInt(term.substring(dash + 1).trim());
                checkIndex(option, from, m);
                checkIndex(option, to, m);
                if (to < from) {
                    throw new WorkbenchException(option + ": range " + term + " runs backwards; write it as " + to + "-" + from);
                }
                addRange(chosen, from, to);
                return;
            }
            int index = Integer.parseInt(term);
            checkIndex(option, index, m);
            chosen.add(index);
        } catch (NumberFormatException e) {
            throw new WorkbenchException(option + ": cannot read '" + term + "'; use indices (17), ranges (10-20), misclassified, "
                    + "misclassified:N, correct, label:K or all" + (option.equals("--reference") ? " or rest" : ""), e);
        }
    }

    private static void checkIndex(String option, int index, int m) {
        if (index < 0 || index >= m) {
            throw new WorkbenchException(option + ": example " + index + " is out of range; the evaluation data has " + m
                    + " examples (0.." + (m - 1) + ")");
        }
    }

    private static void addRange(TreeSet<Integer> chosen, int from, int to) {
        for (int j = from; j <= to; j++) {
            chosen.add(j);
        }
    }
}
