package org.coar.workbench.ui;

import org.junit.jupiter.api.Assumptions;

/** Where the JavaFX toolkit can start in a test JVM: on the headless glass platform, or on a display. */
public final class Toolkits {
    private Toolkits() {
    }

    /** Skips the test where neither JavaFX's headless platform is selected nor a display is present. */
    public static void assumeTheToolkitCanStart() {
        boolean headless = "Headless".equals(System.getProperty("glass.platform"));
        boolean display = System.getenv("DISPLAY") != null || !System.getProperty("os.name").toLowerCase().contains("linux");
        Assumptions.assumeTrue(headless || display,
                "no display and no -Dglass.platform=Headless; run the tests with ./mvnw (the pom selects the headless platform)");
    }
}
