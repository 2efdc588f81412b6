package org.coar.workbench.ui.main;

import java.nio.file.Path;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.coar.workbench.ui.ablation.BuildViewModel;
import org.coar.workbench.ui.common.AppSettings;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.FigureExport;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;
import org.coar.workbench.ui.spec.SpecViewModel;
import org.controlsfx.control.TaskProgressView;

/**
 * The main window: navigation between panels, menus with shortcuts (they run the panels' view-model
 * commands), status bar with running tasks and how the last one ended.
 */
public final class MainController {
    private final Map<Panel, Parent> panels;
    private final SpecViewModel spec;
    private final BuildViewModel build;
    private final StoreSessionViewModel storeSession;
    private final DialogService dialogs;
    private final TaskExecutor tasks;
    private final ProjectState project;
    private final AppSettings settings;
    private final ToggleGroup navigation = new ToggleGroup();

    @FXML
    private VBox navigationBar;
    @FXML
    private StackPane content;
    @FXML
    private Label statusLabel;
    @FXML
    private Label taskStatusLabel;
    @FXML
    private TaskProgressView<javafx.concurrent.Task<?>> taskView;
    @FXML
    private Menu recentMenu;
    @FXML
    private MenuItem openStoreItem;
    @FXML
    private MenuItem saveSpecItem;
    @FXML
    private MenuItem startBuildItem;
    @FXML
    private MenuItem pauseBuildItem;
    @FXML
    private Menu viewMenu;
    @FXML
    private MenuItem locateModelItem;

    public MainController(Map<Panel, Parent> panels, SpecViewModel spec, BuildViewModel build, StoreSessionViewModel storeSession,
                          TaskExecutor tasks, ProjectState project, AppSettings settings, DialogService dialogs) {
        this.panels = Map.copyOf(panels);
        this.spec = spec;
        this.build = build;
        this.storeSession = storeSession;
        this.dialogs = dialogs;
        this.tasks = tasks;
        this.project = project;
        this.settings = settings;
    }

    @FXML
    private void initialize() {
        int index = 1;
        for (Panel panel : Panel.values()) {
            ToggleButton button = new ToggleButton(index + "  " + panel.title());
            button.setId("nav-" + panel.name().toLowerCase(java.util.Locale.ROOT));
            button.getStyleClass().add("nav-button");
            button.setToggleGroup(navigation);
            button.setUserData(panel);
            button.setMaxWidth(Double.MAX_VALUE);
            navigationBar.getChildren().add(button);
            MenuItem item = new MenuItem(panel.title());
            item.setAccelerator(KeyCombination.keyCombination("Shortcut+" + index));
            item.setOnAction(e -> show(panel));
            viewMenu.getItems().add(item);
            index++;
        }
        navigation.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // one panel is always shown
            } else {
                content.getChildren().setAll(panels.get((Panel) now.getUserData()));
            }
        });
        openStoreItem.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        saveSpecItem.setAccelerator(KeyCombination.keyCombination("Shortcut+S"));
        startBuildItem.setAccelerator(KeyCombination.keyCombination("Shortcut+R"));
        pauseBuildItem.setAccelerator(KeyCombination.keyCombination("Shortcut+P"));

        // TaskProgressView drops finished tasks by itself; it only needs to hear of new ones.
        tasks.running().addListener((javafx.collections.ListChangeListener<javafx.concurrent.Task<?>>) change -> {
            while (change.next()) {
                change.getAddedSubList().forEach(taskView.getTasks()::add);
            }
        });
        taskView.visibleProperty().bind(Bindings.isNotEmpty(tasks.running()));
        taskView.managedProperty().bind(taskView.visibleProperty());
        // Window-wide: the open store (or why it could not be opened), "Locate model…", and export on every figure and table.
        statusLabel.textProperty().bind(storeSession.statusProperty());
        javafx.scene.control.Tooltip wholeStatus = new javafx.scene.control.Tooltip();
        wholeStatus.textProperty().bind(storeSession.statusProperty());
        statusLabel.setTooltip(wholeStatus);
        locateModelItem.disableProperty().bind(storeSession.modelMissingProperty().not());
        FigureExport.install(content, dialogs);
        taskStatusLabel.textProperty().bind(tasks.statusProperty());
        project.storeProperty().addListener((obs, old, now) -> {
            if (now != null) {
                settings.addRecentStore(now);
                settings.save();
                refreshRecentMenu();
            }
        });
        refreshRecentMenu();
        // A focus or an ablation set asked for by one panel brings forward the panel that shows it.
        project.focusedExampleProperty().addListener((obs, old, now) -> {
            if (now != null) {
                show(Panel.ATTRIBUTIONS);
            }
        });
        project.focusedComponentProperty().addListener((obs, old, now) -> {
            if (now != null) {
                show(Panel.ATTRIBUTIONS);
            }
        });
        project.componentsToAblateProperty().addListener((obs, old, now) -> {
            if (now != null && !now.isEmpty()) {
                show(Panel.EVALUATE);
            }
        });
    }

    private void refreshRecentMenu() {
        recentMenu.getItems().setAll(settings.data().recentStores.stream().map(path -> {
            MenuItem item = new MenuItem(path);
            item.setOnAction(e -> project.storeProperty().set(Path.of(path)));
            return item;
        }).toList());
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    public void show(Panel panel) {
        navigation.getToggles().stream().filter(t -> t.getUserData() == panel).findFirst().ifPresent(t -> t.setSelected(true));
    }

    public Panel shownPanel() {
        return navigation.getSelectedToggle() == null ? Panel.SPEC : (Panel) navigation.getSelectedToggle().getUserData();
    }

    @FXML
    private void onOpenStore() {
        build.openStore();
    }

    @FXML
    private void onLocateModel() {
        storeSession.locateModel();
    }

    @FXML
    private void onSaveSpec() {
        show(Panel.SPEC);
        spec.saveSpec();
    }

    @FXML
    private void onStartBuild() {
        show(Panel.BUILD);
        build.startBuild();
    }

    @FXML
    private void onPauseBuild() {
        build.togglePause();
    }

    @FXML
    private void onQuit() {
        content.getScene().getWindow().hide();
    }
}
