package org.coar.workbench.ui.main;

import org.coar.workbench.ui.common.FxmlFile;

/** The panels reachable from the navigation bar, in order (Ctrl+1, Ctrl+2, ...). */
public enum Panel {
    SPEC("Spec", FxmlFile.SPEC),
    BUILD("Build", FxmlFile.BUILD),
    REGRESSION("Regression", FxmlFile.REGRESSION),
    ATTRIBUTIONS("Attributions", FxmlFile.ATTRIBUTIONS),
    EVALUATE("Evaluate & Edit", FxmlFile.EVALUATE);

    private final String title;
    private final FxmlFile view;

    Panel(String title, FxmlFile view) {
        this.title = title;
        this.view = view;
    }

    public String title() {
        return title;
    }

    public FxmlFile view() {
        return view;
    }
}
