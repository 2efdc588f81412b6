package org.coar.workbench.ui.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.DeferredTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Regression panel's form: the memory plan worked out in the background, bad fields named at once, the reference YAML read in. */
class RegressionViewModelTest {
    @TempDir
    Path tmp;

    private final FakeDialogs dialogs = new FakeDialogs();
    private final DeferredTaskExecutor tasks = new DeferredTaskExecutor(new JobReporter(dialogs, "the log"));
    private final ProjectState project = new ProjectState();
    private RegressionViewModel viewModel;

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    @BeforeEach
    void create() {
        viewModel = FxThread.call(() -> new RegressionViewModel(new FitDevices(null), tasks, project));
    }

    @Test
    void thePlanIsWorkedOutInTheBackgroundAndABadFieldIsNamedAtOnce() throws Exception {
        Path store = Files.createDirectories(tmp.resolve("store"));
        FxThread.run(() -> {
            assertEquals("Open a store to see the fit's memory plan.", viewModel.planTextProperty().get());
            project.storeProperty().set(store);
            assertEquals(store.resolve("attributions").toString(), viewModel.outDirProperty().get());
            viewModel.refreshPlan();
            assertEquals("Planning the fit…", viewModel.planTextProperty().get());
            assertTrue(tasks.pendingTitles().contains("Planning the fit"), tasks.pendingTitles().toString());

            viewModel.numValProperty().set("x");
            viewModel.refreshPlan();
            String refusal = viewModel.planTextProperty().get();
            // The field and what was typed; the wording of the rule is RowCount's.
            assertTrue(refusal.startsWith("No plan: Validation rows: ") && (refusal.endsWith("x\"") || refusal.endsWith("'x'")), refusal);
            // The plan asked for before the bad field ends later and must not replace what the form says now.
            tasks.run("Planning the fit");
            assertEquals(refusal, viewModel.planTextProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void theReferenceYamlFillsTheForm() {
        FxThread.run(() -> {
            viewModel.solverProperty().set(Solver.LASSO);
            viewModel.importConfig(Fixtures.resource("fit/regression_config.yaml"));
            // k: 1, manual_max_lambda: 0 in every reference config: plain least squares.
            assertEquals(Solver.OLS, viewModel.solverProperty().get());
            assertEquals("150", viewModel.numTrainProperty().get());
            assertEquals("50", viewModel.numValProperty().get());
            assertEquals("1", viewModel.kProperty().get());
            assertEquals("1.0E-4", viewModel.epsProperty().get());
        });
    }
}
