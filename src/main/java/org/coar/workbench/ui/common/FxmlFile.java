package org.coar.workbench.ui.common;

/** Every FXML view of the workbench, in one type-safe place. */
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
