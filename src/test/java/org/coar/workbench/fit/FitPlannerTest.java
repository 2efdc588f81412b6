package org.coar.workbench.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.FitPlan.Method;
import org.coar.workbench.fit.FitPlan.Shape;
import org.coar.workbench.fit.linalg.Precision;
import org.junit.jupiter.api.Test;

/** The plans of the reference's four setups on a 24 GiB machine (a 20 GiB budget), and what no budget can hold. */
class FitPlannerTest {
    private static final MemoryBudget TWENTY_GIB = new MemoryBudget(20L << 30, "test");

    private static FitPlan plan(int p, int m, long train, long val, Solver solver) {
        FitPlan plan = FitPlanner.plan(new Shape(p, m, train, val, solver), PlanOptions.AUTO, TWENTY_GIB);
        System.out.println(plan.describe());
        assertTrue(plan.peakBytes() <= TWENTY_GIB.bytes(), plan.describe());
        long sum = plan.items().stream().mapToLong(FitPlan.Item::bytes).sum();
        assertEquals(sum, plan.peakBytes(), "the peak is the sum of the allocations listed");
        return plan;
    }

    @Test
    void cifarFitsInOneFloat64Block() {
        FitPlan plan = plan(2304, 10_000, 45_000, 5_000, Solver.OLS);
        assertEquals(Method.PRIMAL, plan.trainMethod());
        assertEquals(Method.PRIMAL, plan.finalMethod());
        assertEquals(Precision.DOUBLE, plan.precision());
        assertEquals(1, plan.blocks());
    }

    @Test
    void resnet50SolvesItsFiftyThousandOutputsInBlocks() {
        FitPlan plan = plan(22_720, 50_000, 45_000, 5_000, Solver.OLS);
        assertEquals(Method.PRIMAL, plan.finalMethod());
        assertEquals(FitPlan.Validation.PROJECTION, plan.validation(), "5,000 validation rows against 50,000 outputs");
        assertTrue(plan.blocks() >= 2, plan.describe());
    }

    @Test
    void vitUsesTheDual() {
        FitPlan plan = plan(82_944, 5_000, 4_500, 500, Solver.OLS);
        assertEquals(Method.DUAL, plan.trainMethod());
        assertEquals(Method.DUAL, plan.finalMethod());
        assertTrue(plan.items().stream().noneMatch(i -> i.what().startsWith("Gram")), "never a p × p matrix");
    }

    @Test
    void gpt2HoldsOneFloat32GramForBothFits() {
        FitPlan plan = plan(64_512, 500, 90_000, 10_000, Solver.OLS);
        assertEquals(Precision.FLOAT, plan.precision(), "64,512² float64 is 31 GiB");
        assertEquals(1, plan.items().stream().filter(i -> i.what().startsWith("Gram")).count());
    }

    @Test
    void lassoAtResnetWidthIsRefusedWithWhatWouldFit() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> FitPlanner.plan(new Shape(22_720, 50_000, 45_000, 5_000, Solver.LASSO), PlanOptions.AUTO, TWENTY_GIB));
        assertTrue(e.getMessage().startsWith("lasso path: 22,720 components × 50,000 outputs needs "), e.getMessage());
        assertTrue(e.getMessage().contains("--solver ols"), e.getMessage());
        FitPlan cifar = plan(2304, 10_000, 45_000, 5_000, Solver.LASSO);
        assertEquals(Method.GRAM_PATH, cifar.finalMethod());
    }

    @Test
    void aWidthNoBudgetHoldsIsRefusedNamingTheGram() {
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> FitPlanner.plan(new Shape(200_000, 100, 300_000, 10_000, Solver.OLS), PlanOptions.AUTO, TWENTY_GIB));
        assertTrue(e.getMessage().contains("Gram 200000 × 200000"), e.getMessage());
        assertTrue(e.getMessage().contains("fewer outputs per run do not help"), e.getMessage());
    }

    @Test
    void aTrainingSplitWithFewerRowsThanComponentsNamesTheRowsThatWouldFit() {
        // GPT-2's width with 70,000 rows split 63,000 + 7,000: the final fit is primal, the training fit's kernel is 63,000².
        WorkbenchException e = assertThrows(WorkbenchException.class,
                () -> FitPlanner.plan(new Shape(64_512, 500, 63_000, 7_000, Solver.OLS), PlanOptions.AUTO, TWENTY_GIB));
        assertTrue(e.getMessage().contains("more training rows than components (data.num_train above 64,512, now 63,000"),
                e.getMessage());
    }
}
