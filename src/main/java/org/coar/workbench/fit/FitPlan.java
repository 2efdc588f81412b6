package org.coar.workbench.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.coar.workbench.Sizes;
import org.coar.workbench.fit.linalg.Precision;

/**
 * How a fit will use memory, decided before any row is read (DESIGN.md, "Solving"): which
 * solution each fit uses (primal from the p × p Gram, or dual from the n × n kernel when rows are
 * fewer than components), the precision, how many outputs are solved per block, how the
 * validation error is computed, and every large allocation with its size. Printed by
 * {@code coar fit --plan}, shown by the Regression panel, recorded in report.json.
 *
 * @param shape         sizes of the problem
 * @param trainMethod   the fit on the training rows (for validation); NONE without validation rows
 * @param finalMethod   the fit on all rows, which is written
 * @param precision     of the Gram or kernel, its factorisation and the solves
 * @param blockWidth    outputs solved together
 * @param blocks        blocks of outputs (the outputs are read once per block)
 * @param validation    how the validation error is computed
 * @param budget        the memory the plan had to fit in
 * @param items         the large allocations at the plan's peak
 * @param peakBytes     their sum: the plan's peak beyond the process's own baseline
 * @param denseFlops    floating-point operations of the dense linear algebra (factorisations, solves)
 * @param notes         why the plan is what it is
 */
public record FitPlan(Shape shape, Method trainMethod, Method finalMethod, Precision precision, int blockWidth, int blocks,
                      Validation validation, MemoryBudget budget, List<Item> items, long peakBytes, double denseFlops,
                      List<String> notes) {

    /** @param components mask width p; examples m (outputs fitted); rows of each set */
    public record Shape(int components, int examples, long trainRows, long validationRows, Solver solver) {
        long allRows() {
            return trainRows + validationRows;
        }
    }

    public enum Method {
        /** Cholesky of the standardised Gram G = ZᵀZ/n (rows > components). */
        PRIMAL,
        /** Minimum-norm solution w = Zᵀ K⁺ (y − ȳ) from the kernel K = ZZᵀ (rows ≤ components). */
        DUAL,
        /** The Gram form of the lasso or ridge path (every λ from one Gram). */
        GRAM_PATH,
        /** No training-only fit: there are no validation rows. */
        NONE
    }

    public enum Validation {
        NONE("none (no validation rows)"),
        WEIGHTS("predictions of the training fit's weights on the validation rows"),
        PROJECTION("the validation rows projected through the training Gram once (Z_v G⁻¹), then one product per block"),
        KERNEL("the validation × training kernel times the dual coefficients"),
        GRAM("from the validation rows' own sufficient statistics");

        private final String text;

        Validation(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** One large allocation; {@code perBlock} ones scale with the block width. */
    public record Item(String what, long bytes, boolean perBlock) {
    }

    public FitPlan {
        items = List.copyOf(items);
        notes = List.copyOf(notes);
    }

    /** The plan as the CLI prints it: a few lines, then the allocations. */
    public String describe() {
        Shape s = shape;
        List<String> lines = new ArrayList<>();
        lines.add("plan: " + Sizes.count(s.components()) + " components × " + Sizes.count(s.examples()) + " outputs, "
                + Sizes.count(s.trainRows()) + " training + " + Sizes.count(s.validationRows()) + " validation rows, "
                + solverName());
        if (trainMethod != Method.NONE && trainMethod != Method.GRAM_PATH) {
            lines.add("  training fit: " + methodText(trainMethod, s.trainRows()) + "; validation: " + validation.text());
        }
        lines.add("  final fit:    " + methodText(finalMethod, s.allRows()));
        lines.add("  precision:    " + (precision == Precision.DOUBLE ? "float64" : "float32"));
        lines.add("  outputs:      " + (blocks == 1 ? "all " + Sizes.count(s.examples()) + " in one block"
                : blocks + " blocks of " + Sizes.count(blockWidth) + " (the outputs are read once per block)"));
        lines.add("  memory:       peak " + Sizes.human(peakBytes) + " of " + Sizes.human(budget.bytes()) + " (" + budget.source() + ")");
        for (Item item : items) {
            lines.add(String.format(Locale.ROOT, "    %-58s %10s", item.what(), Sizes.human(item.bytes())));
        }
        for (String note : notes) {
            lines.add("  note: " + note);
        }
        return String.join("\n", lines);
    }

    private String solverName() {
        return switch (shape.solver()) {
            case OLS -> "least squares";
            case LASSO -> "lasso path";
            case RIDGE -> "ridge path";
        };
    }

    private String methodText(Method m, long rows) {
        int p = shape.components();
        return switch (m) {
            case PRIMAL -> "primal, Cholesky of the " + Sizes.count(p) + " × " + Sizes.count(p) + " Gram of " + Sizes.count(rows) + " rows";
            case DUAL -> "dual (minimum norm), the " + Sizes.count(rows) + " × " + Sizes.count(rows) + " kernel of the rows";
            case GRAM_PATH -> "the " + solverName() + " on the Gram form, every λ from one Gram";
            case NONE -> "none";
        };
    }
}
