package org.coar.workbench.ui.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.fit.FitConfigReader;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.fit.FitRequest;
import org.coar.workbench.fit.FitService;
import org.coar.workbench.fit.Solver;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.DeferredTaskExecutor;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxThread;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.regression.RegressionViewModel.FitState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Regression panel's state: the memory plan worked out in the background, the solver hint after
 * a YAML import, the fit's state while it runs and how it ended, and the fit each store holds.
 * Stores are copies of the 240-row store numpy wrote (24 components, one always kept; 6 outputs).
 */
class RegressionViewModelTest {
    @TempDir
    Path tmp;

    private final FakeDialogs dialogs = new FakeDialogs();
    private final DeferredTaskExecutor tasks = new DeferredTaskExecutor(new JobReporter(dialogs, "the log"));
    private final ProjectState project = new ProjectState();
    private final List<String> statesDuringTheFit = new ArrayList<>();
    private RegressionViewModel viewModel;
    private RegressionViewModel.Fitter fitter = (backend, request, listener, cancel) -> backend.service().fit(request, listener, cancel);

    @BeforeAll
    static void toolkit() {
        FxThread.start();
    }

    private RegressionViewModel viewModel() {
        viewModel = FxThread.call(() -> new RegressionViewModel(new FitDevices(null), tasks, project,
                (backend, request, listener, cancel) -> fitter.fit(backend, request, listener, cancel)));
        return viewModel;
    }

    private Path store(String name) throws IOException {
        Path store = Files.createDirectories(tmp.resolve(name));
        try (var files = Files.list(Fixtures.resource("fit/numpy_store"))) {
            for (Path file : files.toList()) {
                Files.copy(file, store.resolve(file.getFileName()));
            }
        }
        return store;
    }

    /** A store with attributions fitted by the service (the reference config: 150 training, 50 validation rows). */
    private Path fittedStore(String name) throws IOException {
        Path store = store(name);
        new FitService().fit(new FitRequest(store, store.resolve("attributions"),
                new FitConfigReader().read(Fixtures.resource("fit/regression_config.yaml"))), p -> { }, new Cancellation());
        return store;
    }

    private Map<String, String> shownSettings() {
        return viewModel.reportProperty().get().settings().stream()
                .collect(Collectors.toMap(FitReport.Setting::name, FitReport.Setting::value));
    }

    @Test
    void thePlanIsWorkedOutInTheBackgroundAndABadFieldIsNamedAtOnce() throws Exception {
        Path store = store("store");
        viewModel();
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
            assertEquals(-1, viewModel.planMemoryUseProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void thePlanSaysHowEachFitIsSolvedAndThePeakAgainstTheBudget() throws Exception {
        Path store = store("store");
        viewModel();
        FxThread.run(() -> {
            project.storeProperty().set(store);
            viewModel.numTrainProperty().set("150");
            viewModel.numValProperty().set("50");
            viewModel.refreshPlan();
            tasks.run("Planning the fit");
            // 150 rows for 24 components: the primal solution, from the 24 × 24 Gram; the 6 outputs fit in one block.
            String plan = viewModel.planTextProperty().get();
            assertTrue(plan.startsWith("Least squares, final fit primal (Cholesky of the 24 × 24 Gram), validation fit primal "
                    + "(Cholesky of the 24 × 24 Gram); float64; all 6 outputs in one block.\nPredicted peak "), plan);
            assertTrue(plan.contains(" beyond the process's baseline, of a "), plan);
            assertTrue(viewModel.planDetailsProperty().get().startsWith("plan: 24 components × 6 outputs, 150 training + 50 validation rows"),
                    viewModel.planDetailsProperty().get());
            double use = viewModel.planMemoryUseProperty().get();
            assertTrue(use > 0 && use < 0.01, "a few KiB of a budget of GiB: " + use);

            // Asking for more training rows than the store has is refused by the plan, in the panel, before anything runs.
            viewModel.numTrainProperty().set("1000");
            viewModel.refreshPlan();
            tasks.run("Planning the fit");
            assertTrue(viewModel.planTextProperty().get().startsWith("No plan fits: "), viewModel.planTextProperty().get());
            assertEquals("", viewModel.planDetailsProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }

    @Test
    void theReferenceYamlFillsTheForm() {
        viewModel();
        FxThread.run(() -> {
            viewModel.solverProperty().set(Solver.LASSO);
            viewModel.importConfig(Fixtures.resource("fit/regression_config.yaml"));
            // k: 1, manual_max_lambda: 0 in every reference config: plain least squares.
            assertEquals(Solver.OLS, viewModel.solverProperty().get());
            assertEquals("150", viewModel.numTrainProperty().get());
            assertEquals("50", viewModel.numValProperty().get());
            assertEquals("1", viewModel.kProperty().get());
            assertEquals("1.0E-4", viewModel.epsProperty().get());
            assertEquals("Least squares (λ = 0), solved exactly: what every reference config asks for (k: 1, manual_max_lambda: 0). "
                    + "Solver from the imported config: the config asks for λ = 0 (cfg.k = 1, cfg.manual_max_lambda = 0).",
                    viewModel.solverHintProperty().get());
        });
    }

    @Test
    void afterALassoYamlImportTheHintDescribesTheLassoAndWhyThenFollowsTheUsersChoice() throws IOException {
        Path yaml = tmp.resolve("lasso.yaml");
        Files.writeString(yaml, """
                data:
                  num_train: 150
                  num_val: 50
                  target_start_ind: 2
                cfg:
                  k: 10
                  eps: 1e-3
                  manual_max_lambda: -1
                """);
        viewModel();
        FxThread.run(() -> {
            assertTrue(viewModel.solverHintProperty().get().startsWith("Least squares (λ = 0)"), viewModel.solverHintProperty().get());
            viewModel.importConfig(yaml);
            assertEquals(Solver.LASSO, viewModel.solverProperty().get());
            assertEquals("Lasso path: k λ's from λ_max down to eps · λ_max (or the λ grid), each example keeping the λ with the least "
                    + "validation error, then refitted on all rows, as the reference does. Solver from the imported config: the config "
                    + "asks for a λ path (cfg.k = 10, cfg.manual_max_lambda = -1.0).", viewModel.solverHintProperty().get());
            // What the form does not show stays as the YAML set it, and the fit records why it is a lasso.
            assertEquals(2, viewModel.config().targetStart());
            assertEquals(10, viewModel.config().k());
            assertEquals("the config asks for a λ path (cfg.k = 10, cfg.manual_max_lambda = -1.0)", viewModel.config().solverReason());

            viewModel.numValProperty().set("0");
            assertTrue(viewModel.solverHintProperty().get().endsWith(" It needs validation rows to choose λ: set Validation rows above 0."),
                    viewModel.solverHintProperty().get());
            viewModel.solverProperty().set(Solver.RIDGE);
            assertTrue(viewModel.solverHintProperty().get().startsWith("Ridge path: "), viewModel.solverHintProperty().get());
            viewModel.solverProperty().set(Solver.OLS);
            assertEquals("Least squares (λ = 0), solved exactly: what every reference config asks for (k: 1, manual_max_lambda: 0). "
                    + "Solver: chosen here.", viewModel.solverHintProperty().get());
            assertEquals(RegressionViewModel.CHOSEN_HERE, viewModel.config().solverReason());
        });
    }

    @Test
    void duringAFitTheStateSaysRunningWithItsStageThenDoneWithTheReport() throws Exception {
        Path store = store("store");
        viewModel();
        fitter = (backend, request, listener, cancel) -> backend.service().fit(request, progress -> {
            listener.accept(progress);
            viewModel.showProgress(); // what the 100 ms timer does
            statesDuringTheFit.add(viewModel.stateProperty().get() + " " + viewModel.stateTextProperty().get());
        }, cancel);
        FxThread.run(() -> {
            project.storeProperty().set(store);
            tasks.run("Reading the fit");
            assertEquals(FitState.NO_FIT, viewModel.stateProperty().get());
            assertEquals("No fit of this store yet: choose the settings and press Run fit.", viewModel.stateTextProperty().get());
            viewModel.numTrainProperty().set("150");
            viewModel.numValProperty().set("50");
            viewModel.run();
            assertEquals(FitState.RUNNING, viewModel.stateProperty().get());
            assertEquals("Running the fit of store: starting…", viewModel.stateTextProperty().get());
            tasks.run("Fitting");
        });
        assertEquals(List.of(), dialogs.errors);
        // The stages as the fit reports them, each shown while it runs.
        assertTrue(statesDuringTheFit.stream().anyMatch(s -> s.startsWith("RUNNING Running the fit of store: reading rows: ")), statesDuringTheFit.toString());
        assertTrue(statesDuringTheFit.stream().anyMatch(s -> s.startsWith("RUNNING Running the fit of store: solving")), statesDuringTheFit.toString());
        assertTrue(statesDuringTheFit.stream().allMatch(s -> s.startsWith("RUNNING ")), statesDuringTheFit.toString());
        FxThread.run(() -> {
            assertEquals(FitState.DONE, viewModel.stateProperty().get());
            String done = viewModel.stateTextProperty().get();
            assertTrue(done.startsWith("Done: ols on CPU (ND4J) in ") && done.endsWith("; written to " + store.resolve("attributions") + "."), done);
            assertEquals(store.resolve("attributions"), project.attributionsProperty().get());
            assertEquals("150 training + 50 validation (ordered, as the reference); final fit on 200", shownSettings().get("Rows"));
            // The attributions are never overwritten, so the next fit goes to a new directory.
            assertEquals(store.resolve("attributions-2").toString(), viewModel.outDirProperty().get());
            assertEquals(6, viewModel.reportProperty().get().r2().total(), "every example's R² is in the histogram");
            assertNull(viewModel.reportProperty().get().logLambda(), "λ = 0 everywhere: no λ histogram");
        });
    }

    @Test
    void aFailedFitSaysWhyAndACancelledOneSaysNothingWasWritten() throws Exception {
        Path store = store("store");
        viewModel();
        fitter = (backend, request, listener, cancel) -> {
            throw new WorkbenchException("store: only 1 training row(s) with finite outputs; raise data.num_train");
        };
        FxThread.run(() -> {
            project.storeProperty().set(store);
            viewModel.run();
            tasks.run("Fitting");
            assertEquals(FitState.FAILED, viewModel.stateProperty().get());
            assertEquals("Failed: store: only 1 training row(s) with finite outputs; raise data.num_train", viewModel.stateTextProperty().get());
        });
        assertEquals(List.of("Fitting attributions for store failed: store: only 1 training row(s) with finite outputs; raise data.num_train"),
                dialogs.errors);
        fitter = (backend, request, listener, cancel) -> {
            assertTrue(cancel.isCancelled(), "the service was asked to stop");
            throw new JobCancelledException();
        };
        FxThread.run(() -> {
            viewModel.run();
            viewModel.cancel();
            tasks.run("Fitting");
            assertEquals(FitState.CANCELLED, viewModel.stateProperty().get());
            assertEquals("Cancelled: nothing was written to " + store.resolve("attributions") + ".", viewModel.stateTextProperty().get());
            assertTrue(!viewModel.runningProperty().get());
        });
        assertEquals(1, dialogs.errors.size(), "a cancel is no error");
    }

    @Test
    void anExistingFitIsShownWhenItsStoreOpens() throws Exception {
        Path store = fittedStore("fitted");
        viewModel();
        FxThread.run(() -> {
            project.storeProperty().set(store);
            assertEquals(FitState.LOOKING, viewModel.stateProperty().get());
            tasks.run("Reading the fit");
            assertEquals(FitState.DONE, viewModel.stateProperty().get());
            assertEquals("Fitted earlier: the report of " + store.resolve("attributions") + ".", viewModel.stateTextProperty().get());
            Map<String, String> shown = shownSettings();
            assertEquals(store.resolve("attributions").toString(), shown.get("Attributions"));
            assertEquals("ols — the config asks for λ = 0 (cfg.k = 1, cfg.manual_max_lambda = 0)", shown.get("Solver"));
            assertEquals("150 training + 50 validation (ordered, as the reference); final fit on 200", shown.get("Rows"));
            // Component 5 is kept in every row of the numpy store: 23 of 24 vary.
            assertEquals("24 components (23 vary in the rows) × 6 examples", shown.get("Size"));
            assertTrue(shown.get("Validation R²").startsWith("median ") && shown.get("Validation R²").endsWith(" over 6 examples"), shown.toString());
            assertEquals("λ = 0 for all 6 examples: exact least squares.", viewModel.reportProperty().get().lambdaNote());
            assertEquals(store.resolve("attributions-2").toString(), viewModel.outDirProperty().get());
        });
    }

    @Test
    void anAttributionsDirectoryOpenedElsewhereIsShown() throws Exception {
        Path fitted = fittedStore("fitted");
        Path store = store("other");
        viewModel();
        FxThread.run(() -> {
            project.storeProperty().set(store);
            tasks.run("Reading the fit");
            assertEquals(FitState.NO_FIT, viewModel.stateProperty().get());
            project.attributionsProperty().set(fitted.resolve("attributions"));
            tasks.run("Reading the fit");
            assertEquals(FitState.DONE, viewModel.stateProperty().get());
            assertEquals(fitted.resolve("attributions"), viewModel.reportProperty().get().dir());
        });
    }

    @Test
    void switchingStoresClearsThePreviousFitAndShowsOnlyTheNewStoresOwn() throws Exception {
        Path fitted = fittedStore("fitted");
        Path bare = store("bare");
        viewModel();
        FxThread.run(() -> {
            project.storeProperty().set(fitted);
            tasks.run("Reading the fit");
            assertEquals(fitted.resolve("attributions"), viewModel.reportProperty().get().dir());

            project.storeProperty().set(bare);
            assertNull(viewModel.reportProperty().get(), "cleared at once");
            assertEquals(bare.resolve("attributions").toString(), viewModel.outDirProperty().get());
            tasks.run("Reading the fit");
            assertNull(viewModel.reportProperty().get());
            assertEquals(FitState.NO_FIT, viewModel.stateProperty().get());

            // A look-up of the previous store that ends after the switch must not bring its fit back.
            project.storeProperty().set(fitted);
            project.storeProperty().set(bare);
            tasks.run("Reading the fit of fitted");
            assertNull(viewModel.reportProperty().get());
            assertEquals(FitState.LOOKING, viewModel.stateProperty().get());
            tasks.run("Reading the fit");
            assertEquals(FitState.NO_FIT, viewModel.stateProperty().get());

            project.storeProperty().set(null);
            assertEquals(FitState.NO_STORE, viewModel.stateProperty().get());
            assertEquals("", viewModel.outDirProperty().get());
        });
    }

    @Test
    void aStoreThatCannotBeOpenedOrAFitThatCannotBeReadSaysWhyInsteadOfAFit() throws Exception {
        Path notAStore = Files.createDirectories(tmp.resolve("not-a-store"));
        Path store = store("store");
        Path broken = Files.createDirectories(store.resolve("attributions"));
        Files.writeString(broken.resolve("weight.npy"), "not numpy");
        viewModel();
        FxThread.run(() -> {
            project.storeProperty().set(notAStore);
            tasks.run("Reading the fit");
            assertNull(viewModel.reportProperty().get());
            assertEquals(FitState.NO_STORE, viewModel.stateProperty().get());
            assertTrue(viewModel.stateTextProperty().get().startsWith("No fit to show: the store cannot be opened: " + notAStore),
                    viewModel.stateTextProperty().get());

            project.storeProperty().set(store);
            tasks.run("Reading the fit");
            assertNull(viewModel.reportProperty().get());
            assertEquals(FitState.NO_FIT, viewModel.stateProperty().get());
            assertTrue(viewModel.stateTextProperty().get().startsWith("The fit in " + broken + " cannot be shown: "), viewModel.stateTextProperty().get());
            // The broken directory is not empty, so the next fit goes beside it.
            assertEquals(store.resolve("attributions-2").toString(), viewModel.outDirProperty().get());
        });
        assertEquals(List.of(), dialogs.errors);
    }
}
