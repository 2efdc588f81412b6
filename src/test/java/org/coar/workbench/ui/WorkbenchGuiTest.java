package org.coar.workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.store.Store;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.spec.ArrayRow;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.coar.workbench.model.WorkerStatus;

/**
 * The workbench as a user drives it, one test per panel: author a spec from the demo model and
 * initialise a store, build 30 rows, fit them, browse, evaluate and edit; the menus; the bad inputs
 * of the Spec and Build panels. A panel's test starts from what the panels before it make, made by
 * the command line (the same services), so each test drives only its own panel. Runs under a
 * (virtual) display; screenshots of each panel go to target/screenshots/.
 */
class WorkbenchGuiTest extends GuiTestSupport {
    @Start
    void start(Stage stage) throws IOException {
        startWorkbench(stage);
    }

    @Test
    void specPanelAuthorsASpecFromTheModelAndDataAndInitialisesTheStore(FxRobot robot) throws IOException {
        Path model = MODEL;
        Path images = IMAGES;
        TableView<ArrayRow> arrays = robot.lookup("#arraysTable").queryTableView();

        dialogs.answers.add(model);
        robot.clickOn("#openModelButton");
        waitFor("the model's component groups", () -> rowShape(arrays, "masks").equals("[240]"));
        assertEquals("240 components in 4 groups (fashion_cnn.pt)", robot.lookup("#componentSummary").queryAs(Label.class).getText());

        robot.clickOn("#dataLimitField").write("50");
        dialogs.answers.add(images);
        robot.clickOn("#dataFileButton");
        waitFor("the data's example count", () -> rowShape(arrays, "margins").equals("[50]"));

        TextField models = robot.lookup("#numModelsField").queryAs(TextField.class);
        robot.doubleClickOn(models).eraseText(6).write("30");
        TextArea json = robot.lookup("#jsonArea").queryAs(TextArea.class);
        assertTrue(json.getText().contains("\"num_models\" : 30"), json.getText());
        assertTrue(json.getText().contains("\"shape\" : [ 240 ]"), json.getText());

        // Unticking a group shrinks the mask; ticking it again restores it.
        CheckBox conv1 = robot.lookup(n -> n instanceof CheckBox c && c.getText().startsWith("conv1.weight")).queryAs(CheckBox.class);
        robot.clickOn(conv1);
        waitFor("the mask without conv1", () -> rowShape(arrays, "masks").equals("[208]"));
        robot.clickOn(conv1);
        waitFor("the mask with conv1", () -> rowShape(arrays, "masks").equals("[240]"));

        // A preset ticks its groups: the reference's ResNet rule takes the three convs, not fc1.
        robot.clickOn("#presetBox");
        robot.clickOn("reference-resnet");
        waitFor("the reference-resnet mask (conv1 32 + conv2 64 + conv3 64)", () -> rowShape(arrays, "masks").equals("[160]"));
        assertEquals("160 components in 3 groups (fashion_cnn.pt)", robot.lookup("#componentSummary").queryAs(Label.class).getText());
        assertEquals(org.coar.workbench.model.ComponentPreset.REFERENCE_RESNET, workbench.project().componentPresetProperty().get());
        screenshot(robot, "spec-preset");
        robot.clickOn("#presetBox");
        robot.clickOn("default");
        waitFor("the default mask again", () -> rowShape(arrays, "masks").equals("[240]"));

        // Bad input at the field: the service's message is shown and nothing can be initialised.
        robot.doubleClickOn(models).eraseText(6).write("-3");
        Label problem = robot.lookup("#jsonProblem").queryAs(Label.class);
        waitFor("the num_models problem", () -> problem.getText().contains("num_models: must be at least 1, got -3"));
        robot.doubleClickOn(models).eraseText(6).write("30");
        waitFor("a valid spec", () -> problem.getText().equals("Valid spec."));
        screenshot(robot, "spec");

        Path store = tmp.resolve("gui-store");
        dialogs.answers.add(store);
        robot.clickOn("#initialiseButton");
        waitFor("the store", () -> Files.exists(store.resolve(Store.COMPLETED_FILE)) && !dialogs.informations.isEmpty());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    @Test
    void buildPanelBuildsThirtyRowsWithTheSpecPanelsModelAndData(FxRobot robot) throws IOException {
        // A first build: a store 'coar init' made, with the model and data chosen in the Spec panel.
        Path store = initialisedStore("first-build-store");
        dialogs.answers.add(MODEL);
        robot.clickOn("#openModelButton");
        robot.clickOn("#dataLimitField").write("50");
        dialogs.answers.add(IMAGES);
        robot.clickOn("#dataFileButton");
        waitFor("model and data", () -> workbench.project().modelProperty().get() != null && workbench.project().dataProperty().get() != null
                && workbench.specViewModel().groups().size() > 0);
        robot.interact(() -> workbench.project().storeProperty().set(store));

        robot.clickOn("#nav-build");
        Button start = robot.lookup("#startButton").queryButton();
        waitFor("the Start button", () -> !start.isDisabled() && !workbench.buildViewModel().devices().isEmpty());
        waitFor("the store's settings", () -> workbench.buildViewModel().storeSummaryProperty().get().startsWith(store.toString()));
        // This machine's devices: where none is a GPU the panel says why, as 'coar doctor' does.
        boolean gpuListed = workbench.buildViewModel().devices().stream().anyMatch(d -> d.name().startsWith("cuda:"));
        Label deviceNote = robot.lookup("#deviceNote").queryAs(Label.class);
        assertEquals(!gpuListed, deviceNote.isVisible());
        assertEquals(!gpuListed, deviceNote.getText().contains("coar doctor") && (deviceNote.getText().contains("No GPU")
                || deviceNote.getText().contains("The driver shows")), deviceNote.getText());
        robot.clickOn(start);
        waitFor("30 built rows", () -> robot.lookup("#rowsLabel").queryAs(Label.class).getText().equals("30 / 30 rows")
                && !workbench.buildViewModel().runningProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        try (Store built = Store.open(store, false)) {
            assertEquals(30, built.completedCount());
        }
        TableView<BuildProgress.WorkerState> workers = robot.lookup("#workerTable").queryTableView();
        assertTrue(workers.getItems().stream().allMatch(w -> w.state() == WorkerStatus.FINISHED), workers.getItems().toString());
        assertEquals(30, workers.getItems().stream().mapToLong(BuildProgress.WorkerState::rowsBuilt).sum());
        LineChart<?, ?> chart = robot.lookup("#accuracyChart").queryAs(LineChart.class);
        assertTrue(chart.isVisible() && !chart.getData().getFirst().getData().isEmpty(), "accuracy chart has points");
        String result = robot.lookup("#resultLabel").queryAs(Label.class).getText();
        assertTrue(result.startsWith("Built 30 rows"), result);
        TableView<org.coar.workbench.ablation.TaskRecord> tasks = robot.lookup("#taskTable").queryTableView();
        waitFor("this build's task record", () -> tasks.getItems().size() == 1 && tasks.getItems().getFirst().state() == WorkerStatus.FINISHED);
        assertEquals(30, tasks.getItems().getFirst().rowsBuilt());
        screenshot(robot, "build");
        showsGpuWorkers(robot, workers);
    }

    @Test
    void regressionPanelFitsTheBuiltRowsAfterShowingItsPlan(FxRobot robot) throws IOException {
        Path store = builtStore("regression-store");
        robot.interact(() -> workbench.project().storeProperty().set(store));

        // Fit the 30 rows: 24 train, 6 validate (fewer rows than components: the min-norm solution).
        robot.clickOn("#nav-regression");
        TextField train = robot.lookup("#numTrainField").queryAs(TextField.class);
        TextField validation = robot.lookup("#numValField").queryAs(TextField.class);
        robot.doubleClickOn(train).eraseText(4).write("24");
        robot.doubleClickOn(validation).eraseText(4).write("6");
        // The memory plan follows the form before anything runs: 24 + 6 rows for 240 components is the dual.
        TextArea plan = robot.lookup("#planArea").queryAs(TextArea.class);
        waitFor("the plan for 24 + 6 rows", () -> plan.getText().startsWith("plan: 240 components × 50 outputs, 24 training + 6 validation rows"));
        assertTrue(plan.getText().contains("final fit:    dual (minimum norm), the 30 × 30 kernel"), plan.getText());
        robot.doubleClickOn(validation).eraseText(4).write("x");
        Label planSummary = robot.lookup("#planSummary").queryAs(Label.class);
        waitFor("the plan refusing a bad field", () -> planSummary.getText().startsWith("No plan: Validation rows: expected a row count"));
        robot.doubleClickOn(validation).eraseText(4).write("6");
        waitFor("the plan again", () -> plan.getText().startsWith("plan: "));
        robot.clickOn("#runButton");
        Label fitState = robot.lookup("#stateLabel").queryAs(Label.class);
        waitFor("the fit", () -> fitState.getText().startsWith("Done: ols on CPU (ND4J) in ")
                && !workbench.regressionViewModel().runningProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        assertTrue(fitState.getText().endsWith("written to " + store.resolve("attributions") + "."), fitState.getText());
        assertTrue(workbench.regressionViewModel().reportProperty().get().settings().contains(new org.coar.workbench.ui.regression.FitReport.Setting(
                "Rows", "24 training + 6 validation (ordered, as the reference); final fit on 30")));
        assertTrue(Files.exists(store.resolve("attributions/weight.npy")));
        assertEquals("λ = 0 for all 50 examples: exact least squares.", robot.lookup("#lambdaNote").queryAs(Label.class).getText());
        javafx.scene.chart.AreaChart<?, ?> r2 = robot.lookup("#r2Chart").queryAs(javafx.scene.chart.AreaChart.class);
        assertTrue(r2.isVisible());
        assertEquals(50, workbench.regressionViewModel().reportProperty().get().r2().total(), "every example is in the R² histogram");
        screenshot(robot, "regression");
    }

    @Test
    void attributionsPanelBrowsesTheFittedAttributions(FxRobot robot) throws IOException {
        Path store = fittedStore("attributions-store");
        robot.interact(() -> workbench.project().storeProperty().set(store));

        // Browse: the fitted attributions open by themselves.
        robot.clickOn("#nav-attributions");
        TableView<org.coar.workbench.attributions.ExampleBrowser.ExampleRow> examples = robot.lookup("#exampleTable").queryTableView();
        waitFor("the examples", () -> examples.getItems().size() == 50);
        long misclassified = examples.getItems().stream().filter(r -> r.label() != r.prediction()).count();
        robot.clickOn("#misclassifiedBox");
        waitFor("the misclassified filter", () -> examples.getItems().size() == misclassified);
        robot.clickOn("#misclassifiedBox");
        waitFor("all examples again", () -> examples.getItems().size() == 50);
        robot.interact(() -> examples.getSelectionModel().select(3));
        Label exampleLabel = robot.lookup("#exampleLabel").queryAs(Label.class);
        waitFor("the example view", () -> exampleLabel.getText().startsWith("Example 3 — label 1"));
        TableView<org.coar.workbench.attributions.ExampleBrowser.Contribution> components = robot.lookup("#componentTable").queryTableView();
        assertFalse(components.getItems().isEmpty());
        XYChart<Number, String> effects = robot.lookup("#componentChart").queryAs(XYChart.class);
        waitForNoProblem(robot, "every strongest component named beside its own bar", () -> barLabelProblem(effects));
        robot.interact(() -> components.getSelectionModel().select(0));
        TableView<?> moved = robot.lookup("#movedTable").queryTableView();
        waitFor("the examples the component moves", () -> moved.getItems().size() == 20);
        screenshot(robot, "attributions");
    }

    @Test
    void evaluatePanelComparesWithTheBaselinesAndReadsTheReportBack(FxRobot robot) throws IOException {
        Path store = fittedStore("evaluate-store");
        robot.interact(() -> workbench.project().storeProperty().set(store));
        waitFor("the attributions", () -> workbench.attributionsViewModel().browserProperty().get() != null);

        // Evaluate: fresh ablations at two α's against the three baselines, then the figures.
        robot.clickOn("#nav-evaluate");
        TextField alphas = robot.lookup("#alphasField").queryAs(TextField.class);
        robot.interact(() -> alphas.setText("0.05, 0.1"));
        TextField runs = robot.lookup("#runsField").queryAs(TextField.class);
        robot.interact(() -> runs.setText("6"));
        assertEquals(store.resolve("attributions/eval").toString(), robot.lookup("#evalOutField").queryAs(TextField.class).getText());
        robot.clickOn("#evaluateButton");
        TableView<org.coar.workbench.evaluation.EvaluationResult.AlphaResult> correlations = robot.lookup("#correlationTable").queryTableView();
        waitFor("the evaluation", () -> correlations.getItems().size() == 2 && !workbench.evaluationViewModel().runningProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        assertEquals(List.of("α", "COAR", "leave-one-out", "gradient x parameter", "weight norm"),
                correlations.getColumns().stream().map(c -> c.getGraphic() instanceof Label header ? header.getText() : c.getText()).toList());
        assertTrue(Files.exists(store.resolve("attributions/eval/report.json")));
        // Native charts of the evaluation's data (the PNG files stay for the command line).
        LineChart<?, ?> versusAlpha = robot.lookup("#versusAlphaChart").queryAs(LineChart.class);
        assertEquals(4, versusAlpha.getData().size());
        waitFor("the histograms and the scatter", () -> robot.lookup("#histogram-coar").tryQuery().isPresent()
                && robot.lookup("#scatter-coar").tryQuery().isPresent());
        assertTrue(robot.lookup(".image-view").queryAll().isEmpty(), "no scaled figure images");
        screenshot(robot, "evaluate");

        // Reopening the attributions shows the evaluation already on disk.
        Path attributionsDir = workbench.project().attributionsProperty().get();
        robot.interact(() -> workbench.project().attributionsProperty().set(null));
        assertTrue(correlations.getItems().isEmpty());
        robot.interact(() -> workbench.project().attributionsProperty().set(attributionsDir));
        waitFor("the evaluation read back", () -> correlations.getItems().size() == 2 && versusAlpha.getData().size() == 4
                && robot.lookup("#histogram-coar").tryQuery().isPresent());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
    }

    @Test
    void editPanelFixesAMisclassifiedExampleAndSavesTheModel(FxRobot robot) throws IOException {
        Path store = fittedStore("edit-store");
        robot.interact(() -> workbench.project().storeProperty().set(store));
        waitFor("the attributions", () -> workbench.attributionsViewModel().browserProperty().get() != null);
        robot.clickOn("#nav-evaluate");

        // Edit: a bad target is refused at the field; then fix a misclassified example (bottomk) with a sweep, saving the model.
        robot.clickOn("Edit the model");
        TableView<org.coar.workbench.attributions.ExampleBrowser.ExampleRow> editExamples = robot.lookup("#editExampleTable").queryTableView();
        waitFor("the edit examples", () -> editExamples.getItems().size() == 50);
        TextField target = robot.lookup("#targetField").queryAs(TextField.class);
        Label editProblem = robot.lookup("#editProblem").queryAs(Label.class);
        Button apply = robot.lookup("#editButton").queryButton();
        robot.interact(() -> target.setText("7, 50"));
        assertEquals("Target: example 50 is out of range; the evaluation data has 50 examples (0..49)", editProblem.getText());
        assertTrue(apply.isDisabled());
        var wrong = editExamples.getItems().stream().filter(r -> r.label() != r.prediction()).findFirst()
                .orElse(editExamples.getItems().getFirst());
        robot.interact(() -> editExamples.getSelectionModel().select(wrong));
        robot.clickOn("#targetButton");
        assertEquals(Integer.toString(wrong.index()), target.getText());
        assertEquals("", editProblem.getText());
        robot.interact(() -> {
            robot.lookup("#kField").queryAs(TextField.class).setText("3");
            robot.lookup("#sweepField").queryAs(TextField.class).setText("5");
        });
        robot.clickOn(apply);
        TableView<org.coar.workbench.ui.evaluate.EditViewModel.SubsetRow> comparison = robot.lookup("#comparisonTable").queryTableView();
        waitFor("the edit", () -> comparison.getItems().size() == 3 && !workbench.editViewModel().runningProperty().get());
        assertTrue(dialogs.errors.isEmpty(), dialogs.errors.toString());
        assertEquals(List.of(1, 49, 50), comparison.getItems().stream().map(org.coar.workbench.ui.evaluate.EditViewModel.SubsetRow::examples).toList());
        // Before the edit, the model is right exactly where the examples table says it is (margin > 0).
        long correct = editExamples.getItems().stream().filter(r -> r.cleanOutput() > 0).count();
        assertEquals(correct / 50.0, comparison.getItems().get(2).accuracyBefore(), 1e-9);
        assertEquals(wrong.cleanOutput() > 0 ? 1.0 : 0.0, comparison.getItems().get(0).accuracyBefore());
        assertTrue(comparison.getItems().get(0).marginAfter() > comparison.getItems().get(0).marginBefore(),
                "bottomk raises the target's margin: " + comparison.getItems().get(0));
        Path edited = store.resolve("attributions/edit/edited.pt");
        assertTrue(Files.size(edited) > 100_000, "edited model saved");
        assertTrue(robot.lookup("#editText").queryAs(Label.class).getText().contains("Edited model saved to " + edited));
        LineChart<?, ?> sweep = robot.lookup("#sweepChart").queryAs(LineChart.class);
        assertTrue(sweep.isVisible());
        assertEquals(List.of(6, 6), sweep.getData().stream().map(series -> series.getData().size()).toList(), "k = 0..5 per series");
        screenshot(robot, "edit");
    }

    @Test
    void theMenusRunThePanelsCommands(FxRobot robot) throws IOException {
        robot.push(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.R);
        assertEquals(List.of("Cannot start the build: No store is open: initialise one in the Spec panel or open one with Ctrl+O"),
                dialogs.errors);
        assertEquals(org.coar.workbench.ui.main.Panel.BUILD, workbench.main().shownPanel(), "Start build shows the Build panel");

        Path store = initialisedStore("menu-store");
        dialogs.answers.add(store);
        robot.push(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.O);
        assertEquals(store, workbench.project().storeProperty().get());
        Label status = robot.lookup("#statusLabel").queryAs(Label.class);
        waitFor("the store in the status bar", () -> status.getText().equals("Store: " + store)); // read off the FX thread first
        waitFor("the store's spec in the Spec panel", () -> workbench.specViewModel().numModelsProperty().get().equals("30"));

        // Save spec: a spec with a problem is refused with it; a valid one is written where the user says.
        robot.interact(() -> workbench.specViewModel().numModelsProperty().set("0"));
        robot.push(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.S);
        assertEquals(org.coar.workbench.ui.main.Panel.SPEC, workbench.main().shownPanel());
        assertEquals(2, dialogs.errors.size(), dialogs.errors.toString());
        assertTrue(dialogs.errors.get(1).startsWith("The spec has problems: num_models"), dialogs.errors.get(1));
        robot.interact(() -> workbench.specViewModel().numModelsProperty().set("12"));
        Path saved = tmp.resolve("menu-spec.json");
        dialogs.answers.add(saved);
        robot.push(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.S);
        assertEquals(2, dialogs.errors.size(), dialogs.errors.toString());
        assertEquals(12, new com.fasterxml.jackson.databind.ObjectMapper().readTree(saved.toFile()).get("num_models").asInt());
    }

    @Test
    void invalidJsonIsReportedWithItsPositionAndTheFormKeepsItsValues(FxRobot robot) {
        TextArea json = robot.lookup("#jsonArea").queryAs(TextArea.class);
        TextField models = robot.lookup("#numModelsField").queryAs(TextField.class);
        robot.interact(() -> json.setText("{\"num_models\": 77, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [5]}}}"));
        assertEquals("77", models.getText());
        robot.interact(() -> json.setText("{\"num_models\": 12,\n  \"schema\": "));
        Label problem = robot.lookup("#jsonProblem").queryAs(Label.class);
        assertTrue(problem.getText().startsWith("line 2, column"), problem.getText());
        assertTrue(problem.getText().contains("invalid JSON"), problem.getText());
        assertEquals("77", models.getText(), "the form keeps its last valid state");

        dialogs.answers.add(tmp.resolve("never-created"));
        robot.clickOn("#initialiseButton");
        assertEquals(1, dialogs.errors.size());
        assertTrue(dialogs.errors.getFirst().contains("invalid JSON"), dialogs.errors.getFirst());
        assertFalse(Files.exists(tmp.resolve("never-created")));
    }

    @Test
    void nonTorchScriptModelAndMismatchedStoreGetDialogsWithTheFix(FxRobot robot) throws IOException {
        dialogs.answers.add(Fixtures.resource("ablation/not_torchscript.pt"));
        robot.clickOn("#openModelButton");
        waitFor("the error dialog", () -> !dialogs.errors.isEmpty());
        assertTrue(dialogs.errors.getFirst().contains("not a TorchScript model"), dialogs.errors.getFirst());

        // A store whose mask width (7) does not fit the model (240 components): refused before any row.
        Path store = tmp.resolve("small-store");
        Store.create(store, new org.coar.workbench.spec.SpecCodec().read(Fixtures.resource("store/spec_small.json")));
        dialogs.answers.add(Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt"));
        robot.clickOn("#openModelButton");
        robot.clickOn("#dataLimitField").write("3");
        dialogs.answers.add(Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz"));
        robot.clickOn("#dataFileButton");
        waitFor("model and data", () -> workbench.project().modelProperty().get() != null && workbench.project().dataProperty().get() != null);
        robot.interact(() -> workbench.project().storeProperty().set(store));
        robot.clickOn("#nav-build");
        Button start = robot.lookup("#startButton").queryButton();
        waitFor("the Start button", () -> !start.isDisabled() && !workbench.buildViewModel().devices().isEmpty());
        waitFor("the store's settings", () -> workbench.buildViewModel().storeSummaryProperty().get().startsWith(store.toString()));
        robot.clickOn(start);
        waitFor("the second error dialog", () -> dialogs.errors.size() == 2);
        assertTrue(dialogs.errors.get(1).contains("each row holds 7 mask entries, but --components default selects 240 components"),
                dialogs.errors.get(1));
        try (Store opened = Store.open(store, false)) {
            assertEquals(0, opened.completedCount());
        }
        assertFalse(workbench.buildViewModel().runningProperty().get(), "the app keeps working");
    }
}
