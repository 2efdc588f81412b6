package org.coar.workbench.fit;

import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.Sizes;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.FitPlan.Item;
import org.coar.workbench.fit.FitPlan.Method;
import org.coar.workbench.fit.FitPlan.Shape;
import org.coar.workbench.fit.FitPlan.Validation;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.sparse.MaskBits;
import org.coar.workbench.fit.sparse.TileMatrix;

/**
 * Chooses a {@link FitPlan} for a shape and a memory budget, or refuses, naming the sizes, the
 * memory the smallest plan needs, and the ways out. Pure arithmetic: nothing is allocated.
 */
final class FitPlanner {
    /** Dense linear algebra above this many flops (~6 min at float64 on two cores) runs in float32 when that fits. */
    static final double FLOAT32_ABOVE_FLOPS = 2e13;
    /** Writer buffers: this many components' rows of a block at a time. */
    static final int WRITE_ROWS = AttributionsWriter.WRITE_ROWS;

    private FitPlanner() {
    }

    static FitPlan plan(Shape shape, PlanOptions options, MemoryBudget budget) {
        if (shape.solver() != Solver.OLS) {
            return gramPath(shape, budget);
        }
        List<Precision> order = switch (options.precision()) {
            case "float64" -> List.of(Precision.DOUBLE);
            case "float32" -> List.of(Precision.FLOAT);
            default -> List.of(Precision.DOUBLE, Precision.FLOAT);
        };
        FitPlan f64 = order.contains(Precision.DOUBLE) ? leastSquares(shape, Precision.DOUBLE, budget, options) : null;
        FitPlan f32 = order.contains(Precision.FLOAT) ? leastSquares(shape, Precision.FLOAT, budget, options) : null;
        if (f64 != null && (f32 == null || f64.denseFlops() <= FLOAT32_ABOVE_FLOPS || !options.precision().equals("auto"))) {
            return f64;
        }
        if (f32 != null) {
            if (options.precision().equals("auto")) {
                List<String> notes = new ArrayList<>(f32.notes());
                notes.add(f64 == null ? "float32: the float64 plan does not fit in the budget"
                        : String.format(java.util.Locale.ROOT, "float32: %.3g flops of dense linear algebra, about half the time "
                        + "of float64; accuracy is checked from the factor's condition number and refined where needed", f32.denseFlops()));
                return withNotes(f32, notes);
            }
            return f32;
        }
        throw refusal(shape, budget, smallest(shape, options));
    }

    private static FitPlan withNotes(FitPlan p, List<String> notes) {
        return new FitPlan(p.shape(), p.trainMethod(), p.finalMethod(), p.precision(), p.blockWidth(), p.blocks(), p.validation(),
                p.budget(), p.items(), p.peakBytes(), p.denseFlops(), notes);
    }

    /** The least-squares plan at one precision with the widest block that fits, or null. */
    static FitPlan leastSquares(Shape s, Precision precision, MemoryBudget budget, PlanOptions options) {
        for (boolean projection : new boolean[] {true, false}) {
            Layout layout = new Layout(s, precision, projection);
            if (projection && !layout.projectionPays()) {
                continue;
            }
            int width = layout.widestBlock(budget.bytes());
            if (width > 0) {
                return layout.plan(width, budget);
            }
        }
        return null;
    }

    /** The plan's peak for one block width (tests choose budgets that force blocks with it). */
    static long peakBytes(Shape s, Precision precision, boolean projection, int width) {
        return new Layout(s, precision, projection).peak(width);
    }

    /** The smallest least-squares plan whatever the budget (for the refusal message). */
    private static FitPlan smallest(Shape s, PlanOptions options) {
        Precision p = options.precision().equals("float64") ? Precision.DOUBLE : Precision.FLOAT;
        Layout layout = new Layout(s, p, false);
        return layout.plan(Math.min(s.examples(), TileMatrix.TILE), new MemoryBudget(Long.MAX_VALUE, "unbounded"));
    }

    /** The sizes of every allocation of a least-squares fit, as a function of the block width. */
    private static final class Layout {
        final Shape s;
        final Precision precision;
        final boolean projection;
        final long p;
        final long nt;
        final long nv;
        final long na;
        final Method train;
        final Method fin;
        final int b;

        Layout(Shape s, Precision precision, boolean projection) {
            this.s = s;
            this.precision = precision;
            this.p = s.components();
            this.nt = s.trainRows();
            this.nv = s.validationRows();
            this.na = nt + nv;
            this.train = nv == 0 ? Method.NONE : (nt - 1 >= p ? Method.PRIMAL : Method.DUAL);
            this.fin = na - 1 >= p ? Method.PRIMAL : Method.DUAL;
            this.projection = projection && train == Method.PRIMAL;
            this.b = precision.bytes();
        }

        /** Projection (Z_v G⁻¹ once) beats solving every output's training weights when the validation rows are few. */
        boolean projectionPays() {
            if (train != Method.PRIMAL) {
                return false;
            }
            double weights = 2.0 * p * p * s.examples();
            double projected = 2.0 * p * p * nv + 2.0 * nv * p * s.examples();
            return projected < weights;
        }

        Validation validation() {
            if (train == Method.NONE) {
                return Validation.NONE;
            }
            if (train == Method.DUAL) {
                return Validation.KERNEL;
            }
            return projection ? Validation.PROJECTION : Validation.WEIGHTS;
        }

        List<Item> fixed() {
            List<Item> items = new ArrayList<>();
            items.add(new Item("mask bits (the sparse side of the masks, bit-packed)",
                    MaskBits.bytesFor(p, nt) + MaskBits.bytesFor(p, nv), false));
            if (train == Method.PRIMAL || fin == Method.PRIMAL) {
                items.add(new Item("Gram " + p + " × " + p + (train == Method.PRIMAL ? " (training rows below, all rows above)" : ""),
                        p * p * b, false));
            }
            if (projection) {
                items.add(new Item("validation rows through the training Gram (Z_v G⁻¹)", nv * p * b, false));
            }
            if (train == Method.DUAL) {
                items.add(new Item("training kernel's eigenvectors", nt * nt * 8, false));
                items.add(new Item("validation × training kernel", nv * nt * 8, false));
            }
            if (fin == Method.DUAL) {
                items.add(new Item("final kernel's eigenvectors", na * na * 8, false));
            }
            return items;
        }

        /** Allocations that exist only while the kernels are made, before the blocks. */
        long setup() {
            long peak = 0;
            if (train == Method.DUAL) {
                peak = Math.max(peak, p * nt * b + 2 * nt * nt * 8 + p * nv * b);
            }
            if (fin == Method.DUAL) {
                peak = Math.max(peak, p * na * b + 2 * na * na * 8);
            }
            if (projection) {
                peak = Math.max(peak, nv * p * b);
            }
            return peak;
        }

        List<Item> perBlock(int w) {
            List<Item> items = new ArrayList<>();
            items.add(new Item("outputs of a block (float, all rows)", TileMatrix.bytesFor(nt, w, false) + TileMatrix.bytesFor(nv, w, false), true));
            if (train == Method.PRIMAL || fin == Method.PRIMAL) {
                items.add(new Item("Sᵀ Y of a block, training and validation rows", 2 * p * w * 8, true));
                if (precision == Precision.FLOAT) {
                    items.add(new Item("right-hand sides in float32", p * w * 4, true));
                    int cw = Math.min(w, Float32Refinement.REFINE_COLUMNS);
                    items.add(new Item("refinement scratch (" + cw + " outputs at a time)",
                            TileMatrix.bytesFor(nt, cw, true) + TileMatrix.bytesFor(nv, cw, true) + p * cw * 12, false));
                }
            }
            if (train != Method.NONE) {
                items.add(new Item("validation predictions of a block", projection ? nv * w * b + (b == 4 ? p * w * 4 : 0)
                        : TileMatrix.bytesFor(nv, w, true), true));
            }
            if (train == Method.DUAL) {
                items.add(new Item("training outputs and their projection (dual)", 2 * nt * w * 8, true));
            }
            if (fin == Method.DUAL) {
                items.add(new Item("outputs, projection and coefficients of all rows (dual)", 2 * na * w * 8 + TileMatrix.bytesFor(na, w, true), true));
                items.add(new Item("weights of a block (dual)", p * w * 8, true));
            }
            items.add(new Item("writer buffers", 2L * WRITE_ROWS * w * 4, true));
            return items;
        }

        long peak(int w) {
            long fixed = fixed().stream().mapToLong(Item::bytes).sum();
            long block = perBlock(w).stream().mapToLong(Item::bytes).sum();
            return fixed + Math.max(setup(), block);
        }

        /** The widest block (a multiple of the tile width, or all outputs) within {@code budget}, or 0. */
        int widestBlock(long budget) {
            int m = s.examples();
            if (peak(m) <= budget) {
                return m;
            }
            int step = TileMatrix.TILE;
            int lo = 0;
            int hi = (m - 1) / step; // in tiles
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (peak(mid * step) <= budget) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            if (lo == 0) {
                return m < step && peak(m) <= budget ? m : 0;
            }
            // Even blocks: as few as the widest allows, each as narrow as that count allows.
            int widest = lo * step;
            int blocks = (m + widest - 1) / widest;
            int even = (m + blocks - 1) / blocks;
            return Math.min(widest, (even + step - 1) / step * step);
        }

        double flops(int w) {
            double m = s.examples();
            double f = 0;
            if (train == Method.PRIMAL) {
                f += p * p * (double) p / 3;
                f += projection ? 2.0 * p * p * nv + 2.0 * nv * p * m : 2.0 * p * p * m;
            }
            if (fin == Method.PRIMAL) {
                f += p * p * (double) p / 3 + 2.0 * p * p * m;
            }
            if (train == Method.DUAL) {
                f += (double) nt * nt * p + 9.0 * nt * nt * nt + 4.0 * nt * nt * m + 2.0 * nv * nt * p + 2.0 * nv * nt * m;
            }
            if (fin == Method.DUAL) {
                f += (double) na * na * p + 9.0 * na * na * na + 4.0 * na * na * m;
            }
            return f;
        }

        FitPlan plan(int w, MemoryBudget budget) {
            List<Item> items = new ArrayList<>(fixed());
            List<Item> block = perBlock(w);
            long blockBytes = block.stream().mapToLong(Item::bytes).sum();
            if (setup() > blockBytes) {
                items.add(new Item("making the kernels (before the blocks)", setup(), false));
            } else {
                items.addAll(block);
            }
            List<String> notes = new ArrayList<>();
            if (fin == Method.DUAL) {
                notes.add("fewer rows (" + na + ") than components (" + p + "): the minimum-norm solution from the "
                        + na + " × " + na + " kernel, never a p × p matrix");
            }
            int blocks = (s.examples() + w - 1) / w;
            return new FitPlan(s, train, fin, precision, w, blocks, validation(), budget, items, peak(w), flops(w), notes);
        }
    }

    /** Lasso and ridge keep their Gram-form path: Grams and cross products of both sets, standardised copies, solver state. */
    private static FitPlan gramPath(Shape s, MemoryBudget budget) {
        long p = s.components();
        long m = s.examples();
        List<Item> items = new ArrayList<>();
        items.add(new Item("mask bits", MaskBits.bytesFor(p, s.trainRows()) + MaskBits.bytesFor(p, s.validationRows()), false));
        items.add(new Item("Grams XᵀX of both sets (float64)", 2 * p * p * 8, false));
        items.add(new Item("cross products ỸᵀX of both sets (float64)", 2 * m * p * 8, false));
        items.add(new Item("standardised problems and validation scorer", 3 * (p * p + m * p) * 8, false));
        items.add(new Item("path state (weights, best weights, eigenvectors)", (p * p + 4 * m * p) * 8, false));
        int width = gramPathBlock(s);
        items.add(new Item("outputs of a block (float, all rows)", TileMatrix.bytesFor(s.allRows(), width, false), false));
        items.add(new Item("Sᵀ Y of a block", p * width * 8, false));
        long peak = items.stream().mapToLong(Item::bytes).sum();
        FitPlan plan = new FitPlan(s, Method.GRAM_PATH, Method.GRAM_PATH, Precision.DOUBLE, width, (int) ((m + width - 1) / width),
                Validation.GRAM, budget, items, peak, 0, List.of());
        if (peak > budget.bytes()) {
            throw new WorkbenchException(s.solver().key() + " path: " + Sizes.count(p) + " components × " + Sizes.count(m)
                    + " outputs needs " + Sizes.human(peak) + " (p × p Grams and m × p cross products, in float64) but the budget is "
                    + Sizes.human(budget.bytes()) + " (" + budget.source() + "). Ways out: fit fewer outputs per run "
                    + "(data.target_start_ind / data.target_end_ind" + outputsHint(p, m, budget.bytes(), peak) + "), least squares "
                    + "(--solver ols: λ = 0, what every reference config asks for, plans any width), a machine with more memory, "
                    + "or --memory SIZE if more is free");
        }
        return plan;
    }

    /** Outputs read per block for the lasso and ridge statistics: about 512 MiB of tiles. */
    static int gramPathBlock(Shape s) {
        long perOutput = Math.max(1, s.allRows() * 4);
        long width = Math.max(TileMatrix.TILE, (512L << 20) / perOutput / TileMatrix.TILE * TileMatrix.TILE);
        return (int) Math.min(s.examples(), width);
    }

    private static String outputsHint(long p, long m, long budget, long peak) {
        long fixed = 7 * p * p * 8 + MaskBits.bytesFor(p, 1);
        if (fixed >= budget) {
            return "; not enough here: the " + p + " × " + p + " matrices alone need " + Sizes.human(fixed);
        }
        long perOutput = (peak - fixed) / Math.max(1, m);
        long fits = (budget - fixed) / Math.max(1, perOutput);
        return ", e.g. " + Sizes.count(Math.max(1, fits)) + " outputs at a time";
    }

    private static WorkbenchException refusal(Shape s, MemoryBudget budget, FitPlan smallest) {
        long fixed = smallest.items().stream().filter(i -> !i.perBlock()).mapToLong(Item::bytes).sum();
        StringBuilder m = new StringBuilder();
        m.append("no fit plan fits in ").append(Sizes.human(budget.bytes())).append(" (").append(budget.source()).append("): ")
                .append(Sizes.count(s.components())).append(" components × ").append(Sizes.count(s.examples())).append(" outputs, ")
                .append(Sizes.count(s.trainRows())).append(" + ").append(Sizes.count(s.validationRows()))
                .append(" rows need at least ").append(Sizes.human(smallest.peakBytes())).append(" (float32, ")
                .append(smallest.blockWidth()).append(" outputs per block; ");
        m.append(String.join(", ", smallest.items().stream().filter(i -> !i.perBlock())
                .map(i -> i.what() + " " + Sizes.human(i.bytes())).toList())).append("). Ways out: ");
        if (fixed < budget.bytes()) {
            m.append("fit fewer outputs per run (data.target_start_ind / data.target_end_ind), ");
        } else {
            m.append("fewer outputs per run do not help (the part above that does not depend on them is already ")
                    .append(Sizes.human(fixed)).append("); ");
            if (smallest.finalMethod() == Method.DUAL) {
                m.append("fewer rows (data.num_train / data.num_val: the dual's kernel grows with rows squared), ");
            } else if (smallest.trainMethod() == Method.DUAL) {
                // The final fit has more rows than components but the training fit has fewer: its n × n kernel is the cost.
                m.append("more training rows than components (data.num_train above ").append(Sizes.count(s.components()))
                        .append(", now ").append(Sizes.count(s.trainRows()))
                        .append(": the training fit then solves with the p × p Gram like the final fit, not the n × n kernel), ");
            }
        }
        m.append("a machine with more memory, or --memory SIZE if more is free than the budget says");
        return new WorkbenchException(m.toString());
    }
}
