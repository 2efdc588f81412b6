package org.coar.workbench.ui.common;

/**
 * Every FXML view the workbench loads, in one type-safe place. The sub-panels a view takes in with
 * {@code fx:include} (e.g. {@code build-progress.fxml}) sit beside it and are named only there.
 */
public enum FxmlFile {
    MAIN("/fxml/main.fxml"),
    SPEC("/fxml/spec.fxml"),
    BUILD("/fxml/build.fxml"),
    REGRESSION("/fxml/regression.fxml"),
    ATTRIBUTIONS("/fxml/attributions.fxml"),
    EVALUATE("/fxml/evaluate.fxml");

    private final String resource;

    FxmlFile(String resource) {
        this.resource = resource;
    }

    public String resource() {
        return resource;
    }
}
