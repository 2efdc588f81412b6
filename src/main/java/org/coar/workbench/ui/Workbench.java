package org.coar.workbench.ui;

import atlantafx.base.theme.PrimerLight;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.coar.workbench.Version;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.demo.DemoProject;
import org.coar.workbench.edit.EditService;
import org.coar.workbench.edit.EditedModelEvaluation;
import org.coar.workbench.evaluation.EvaluationService;
import org.coar.workbench.fit.FitDevices;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.ui.attributions.AttributionsController;
import org.coar.workbench.ui.attributions.AttributionsPagesController;
import org.coar.workbench.ui.attributions.AttributionsViewModel;
import org.coar.workbench.ui.attributions.ComponentPageController;
import org.coar.workbench.ui.attributions.ComponentPageViewModel;
import org.coar.workbench.ui.attributions.LayerHeatmapController;
import org.coar.workbench.ui.attributions.LayerHeatmapViewModel;
import org.coar.workbench.ui.ablation.BuildChartController;
import org.coar.workbench.ui.ablation.BuildController;
import org.coar.workbench.ui.ablation.BuildProgressController;
import org.coar.workbench.ui.ablation.BuildSettingsController;
import org.coar.workbench.ui.ablation.BuildTasksController;
import org.coar.workbench.ui.ablation.BuildViewModel;
import org.coar.workbench.ui.ablation.SlurmScriptController;
import org.coar.workbench.ui.common.AppSettings;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.FxmlFile;
import org.coar.workbench.ui.common.FxmlLoaderFactory;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.evaluate.EditComparisonController;
import org.coar.workbench.ui.evaluate.EditExamplesController;
import org.coar.workbench.ui.evaluate.EditSettingsController;
import org.coar.workbench.ui.evaluate.EditSweepController;
import org.coar.workbench.ui.evaluate.EditOutcomeController;
import org.coar.workbench.ui.evaluate.EditedModelController;
import org.coar.workbench.ui.common.TaskExecutor;
import org.coar.workbench.ui.evaluate.EditViewModel;
import org.coar.workbench.ui.evaluate.EvaluationResultsController;
import org.coar.workbench.ui.evaluate.EvaluationSettingsController;
import org.coar.workbench.ui.evaluate.EvaluationViewModel;
import org.coar.workbench.ui.main.MainController;
import org.coar.workbench.ui.main.Panel;
import org.coar.workbench.ui.main.StoreSessionViewModel;
import org.coar.workbench.ui.regression.RegressionController;
import org.coar.workbench.ui.regression.RegressionViewModel;
import org.coar.workbench.ui.spec.SpecController;
import org.coar.workbench.ui.spec.SpecViewModel;

/** Composition root of the GUI: services, view models and controllers, wired by constructor. */
public final class Workbench {
    private final Stage stage;
    private final AppSettings settings;
    private final ProjectState project = new ProjectState();
    private final TaskExecutor tasks;
    private final SpecViewModel specViewModel;
    private final BuildViewModel buildViewModel;
    private final RegressionViewModel regressionViewModel;
    private final AttributionsViewModel attributionsViewModel;
    private final ComponentPageViewModel componentPageViewModel;
    private final LayerHeatmapViewModel layerHeatmapViewModel;
    private final EvaluationViewModel evaluationViewModel;
    private final EditViewModel editViewModel;
    private final StoreSessionViewModel storeSession;
    private final MainController main;
    private final Parent root;

    public Workbench(Stage stage, DialogService dialogs, TaskExecutor tasks, AppSettings settings) {
        this.stage = stage;
        this.settings = settings;
        this.tasks = tasks;
        SpecCodec codec = new SpecCodec();
        specViewModel = new SpecViewModel(codec, tasks, project, dialogs);
        buildViewModel = new BuildViewModel(new BuildService(), tasks, project, dialogs);
        regressionViewModel = new RegressionViewModel(new FitDevices(null), tasks, project);
        attributionsViewModel = new AttributionsViewModel(tasks, project);
        componentPageViewModel = new ComponentPageViewModel(tasks, project, attributionsViewModel.browserProperty());
        layerHeatmapViewModel = new LayerHeatmapViewModel(tasks, project, attributionsViewModel.browserProperty());
        evaluationViewModel = new EvaluationViewModel(new EvaluationService()::evaluate, tasks, project);
        editViewModel = new EditViewModel(new EditService()::edit, (store, edited, out, progress, cancel) ->
                new EditedModelEvaluation().evaluate(store, edited, out, java.util.List.of(), 0, 100, progress, cancel),
                tasks, project, attributionsViewModel.browserProperty(), dialogs);
        SpecController spec = new SpecController(specViewModel, dialogs);
        BuildController build = new BuildController(buildViewModel, project, dialogs);
        RegressionController regression = new RegressionController(regressionViewModel, project, dialogs);
        AttributionsController attributions = new AttributionsController(attributionsViewModel, project, dialogs);
        // One controller per FXML file; the sub-panels a panel includes get theirs here too.
        FxmlLoaderFactory panelLoader = new FxmlLoaderFactory(Map.ofEntries(
                Map.entry(SpecController.class, () -> spec),
                Map.entry(BuildController.class, () -> build),
                Map.entry(BuildSettingsController.class, () -> new BuildSettingsController(buildViewModel)),
                Map.entry(BuildTasksController.class, () -> new BuildTasksController(buildViewModel)),
                Map.entry(SlurmScriptController.class, () -> new SlurmScriptController(buildViewModel, dialogs)),
                Map.entry(BuildProgressController.class, () -> new BuildProgressController(buildViewModel)),
                Map.entry(BuildChartController.class, () -> new BuildChartController(buildViewModel)),
                Map.entry(RegressionController.class, () -> regression),
                Map.entry(AttributionsPagesController.class, () -> new AttributionsPagesController(project)),
                Map.entry(AttributionsController.class, () -> attributions),
                Map.entry(ComponentPageController.class, () -> new ComponentPageController(componentPageViewModel)),
                Map.entry(LayerHeatmapController.class, () -> new LayerHeatmapController(layerHeatmapViewModel)),
                Map.entry(EvaluationSettingsController.class, () -> new EvaluationSettingsController(evaluationViewModel, dialogs)),
                Map.entry(EvaluationResultsController.class, () -> new EvaluationResultsController(evaluationViewModel)),
                Map.entry(EditExamplesController.class, () -> new EditExamplesController(editViewModel)),
                Map.entry(EditSettingsController.class, () -> new EditSettingsController(editViewModel, dialogs)),
                Map.entry(EditComparisonController.class, () -> new EditComparisonController(editViewModel)),
                Map.entry(EditSweepController.class, () -> new EditSweepController(editViewModel)),
                Map.entry(EditOutcomeController.class, () -> new EditOutcomeController(editViewModel)),
                Map.entry(EditedModelController.class, () -> new EditedModelController(editViewModel, dialogs))));
        Map<Panel, Parent> panels = new java.util.EnumMap<>(Panel.class);
        for (Panel panel : Panel.values()) {
            panels.put(panel, panelLoader.load(panel.view()));
        }
        storeSession = new StoreSessionViewModel(tasks, project, dialogs, this::showStore);
        main = new MainController(panels, specViewModel, buildViewModel, storeSession, tasks, project, settings, dialogs);
        root = new FxmlLoaderFactory(Map.of(MainController.class, () -> main)).load(FxmlFile.MAIN);
    }

    public ProjectState project() {
        return project;
    }

    public MainController main() {
        return main;
    }

    public StoreSessionViewModel storeSession() {
        return storeSession;
    }

    public SpecViewModel specViewModel() {
        return specViewModel;
    }

    public BuildViewModel buildViewModel() {
        return buildViewModel;
    }

    public RegressionViewModel regressionViewModel() {
        return regressionViewModel;
    }

    public AttributionsViewModel attributionsViewModel() {
        return attributionsViewModel;
    }

    public ComponentPageViewModel componentPageViewModel() {
        return componentPageViewModel;
    }

    public LayerHeatmapViewModel layerHeatmapViewModel() {
        return layerHeatmapViewModel;
    }

    public EvaluationViewModel evaluationViewModel() {
        return evaluationViewModel;
    }

    public EditViewModel editViewModel() {
        return editViewModel;
    }

    public TaskExecutor tasks() {
        return tasks;
    }

    /** Shows the window on {@code store}, or the most recent store, or (first start) the bundled demo. */
    public void show(Optional<Path> store) {
        showWindow();
        Optional<Path> toOpen = store.map(s -> s.toAbsolutePath().normalize()).or(settings::mostRecentStore);
        if (toOpen.isPresent()) {
            project.storeProperty().set(toOpen.get());
        } else {
            openDemo(Path.of(System.getProperty("user.home"), "coar-demo"));
        }
    }

    /** Shows the window with the remembered layout and no store. */
    public void showWindow() {
        Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
        Scene scene = new Scene(root, settings.data().windowWidth, settings.data().windowHeight);
        scene.getStylesheets().add(Workbench.class.getResource("/css/workbench.css").toExternalForm());
        stage.setScene(scene);
        stage.setTitle("COAR Workbench " + Version.workbench());
        if (!Double.isNaN(settings.data().windowX)) {
            stage.setX(settings.data().windowX);
            stage.setY(settings.data().windowY);
        }
        stage.setMaximized(settings.data().maximized);
        stage.setOnHiding(e -> saveLayout());
        try {
            main.show(Panel.valueOf(settings.data().panel));
        } catch (IllegalArgumentException e) {
            main.show(Panel.SPEC);
        }
        stage.show();
    }

    /** Unpacks the bundled demo (if needed) and opens it with its model and data chosen. */
    public void openDemo(Path dir) {
        DemoProject demo = new DemoProject(dir);
        tasks.submit(BackgroundJob.titled("Opening the bundled demo", progress -> {
            demo.prepare(DemoProject.DEFAULT_MODELS);
            return demo;
        }).onSuccess(opened -> {
            specViewModel.openModel(opened.model());
            specViewModel.chooseData(opened.images());
            project.storeProperty().set(opened.store());
        }));
    }

    /** Shows in the Spec panel the store whose missing model was located: the model and data its rows were made with. */
    private void showStore(StoreSessionViewModel.OpenedStore opened) {
        opened.run().ifPresent(specViewModel::showRun);
    }

    private void saveLayout() {
        AppSettings.Data data = settings.data();
        data.maximized = stage.isMaximized();
        if (!stage.isMaximized()) {
            data.windowX = stage.getX();
            data.windowY = stage.getY();
            data.windowWidth = stage.getWidth();
            data.windowHeight = stage.getHeight();
        }
        data.panel = main.shownPanel().name();
        settings.save();
        buildViewModel.shutdown();
        tasks.shutdown();
    }
}
