package org.coar.workbench.ui.attributions;

import javafx.fxml.FXML;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.coar.workbench.ui.common.ProjectState;

/**
 * The Attributions panel's pages: brings the Examples page forward when another panel focuses an
 * example, and the Component page when one focuses a component.
 */
public final class AttributionsPagesController {
    private final ProjectState project;

    @FXML
    private TabPane pages;
    @FXML
    private Tab examplesTab;
    @FXML
    private Tab componentTab;

    public AttributionsPagesController(ProjectState project) {
        this.project = project;
    }

    @FXML
    private void initialize() {
        project.focusedExampleProperty().addListener((obs, old, now) -> {
            if (now != null) {
                pages.getSelectionModel().select(examplesTab);
            }
        });
        project.focusedComponentProperty().addListener((obs, old, now) -> {
            if (now != null) {
                pages.getSelectionModel().select(componentTab);
            }
        });
    }
}
