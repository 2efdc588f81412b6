package org.coar.workbench.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.coar.workbench.ablation.BuildProgress;
import org.coar.workbench.testing.Fixtures;
import org.coar.workbench.ui.common.AppSettings;
import org.coar.workbench.ui.common.FakeDialogs;
import org.coar.workbench.ui.common.FxTaskExecutor;
import org.coar.workbench.ui.common.JobReporter;
import org.coar.workbench.ui.spec.ArrayRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;
import org.coar.workbench.model.WorkerStatus;

/**
 * What every TestFX test of the window shares: a workbench on a fresh settings directory with fake
 * dialogs, stores made by the command line (the same services the panels run), waits that fail with
 * a screenshot, and screenshots in target/screenshots/. The built store is made once per JVM and
 * copied for each test, so a test class may change its copy freely.
 */
@ExtendWith(ApplicationExtension.class)
public abstract class GuiTestSupport {
    /** One directory per JVM: the built store is cached across test classes, so no class's @TempDir may own it. */
    protected static final Path tmp = createSharedTemp();

    protected Workbench workbench;
    protected Stage stage;
    protected final FakeDialogs dialogs = new FakeDialogs();

    private static Path createSharedTemp() {
        try {
            Path dir = Files.createTempDirectory("coar-gui-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // best effort: the directory is under the system temp dir
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected static final Path MODEL = Fixtures.resource("org/coar/workbench/demo/fashion_cnn.pt");
    protected static final Path IMAGES = Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz");
    /** The demo model's 240 components, 50 of the evaluation images, 30 rows: what the Spec panel's test authors. */
    protected static final String SPEC = """
            {"num_models": 30, "schema": {"masks": {"dtype": "bool_", "shape": [240]}, "margins": {"dtype": "float16", "shape": [50]}}}
            """;
    private static Path built;

    @BeforeAll
    static void needsAToolkit() {
        Toolkits.assumeTheToolkitCanStart();
    }

    protected static void coar(String... args) {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.coar.workbench.cli.Main.run(args, new java.io.PrintWriter(java.io.Writer.nullWriter()), new java.io.PrintWriter(err, true));
        assertEquals(0, code, "coar " + String.join(" ", args) + ": " + err);
    }

    /** A new store, as 'coar init' makes it from the spec the Spec panel's test authors. */
    protected static Path initialisedStore(String name) throws IOException {
        Path spec = tmp.resolve(name + "-spec.json");
        Files.writeString(spec, SPEC);
        Path store = tmp.resolve(name);
        coar("init", "--spec", spec.toString(), "--store", store.toString());
        return store;
    }

    /** A copy of one store 'coar build' filled (30 rows, the demo model on 50 images, α 0.05, seed 0), built once. */
    protected static synchronized Path builtStore(String name) throws IOException {
        if (built == null) {
            Path store = initialisedStore("built");
            coar("build", "--store", store.toString(), "--model", MODEL.toString(), "--data", IMAGES.toString(), "--limit", "50",
                    "--devices", "cpu");
            built = store;
        }
        Path copy = tmp.resolve(name);
        try (var files = Files.walk(built)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(built.relativize(file).toString()));
            }
        }
        return copy;
    }

    /** A built store with attributions fitted as the Regression panel's test fits them (24 training, 6 validation rows). */
    protected static Path fittedStore(String name) throws IOException {
        Path store = builtStore(name);
        coar("fit", "--store", store.toString(), "--num-train", "24", "--num-val", "6", "--device", "cpu");
        return store;
    }

    /** Opens the window on {@code stage}; each test class calls it from its own {@code @Start} method (TestFX finds only those declared there). */
    protected void startWorkbench(Stage stage) throws IOException {
        this.stage = stage;
        Path settings = Files.createTempDirectory(tmp, "settings");
        AppSettings fresh = AppSettings.load(settings);
        workbench = new Workbench(stage, dialogs, new FxTaskExecutor(new JobReporter(dialogs, "the log")), fresh);
        workbench.showWindow();
        // TestFX hands every test the same stage: a size an earlier test set would otherwise carry over.
        stage.setWidth(fresh.data().windowWidth);
        stage.setHeight(fresh.data().windowHeight);
    }

    protected static void waitFor(String what, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> {
                WaitForAsyncUtils.waitForFxEvents();
                return condition.getAsBoolean();
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
    }

    /** Waits until {@code problem} gives null; on time-out fails with its last words and a screenshot. */
    protected static void waitForNoProblem(FxRobot robot, String what, Supplier<String> problem) throws IOException {
        AtomicReference<String> last = new AtomicReference<>();
        try {
            waitFor(what, () -> {
                last.set(problem.get());
                return last.get() == null;
            });
        } catch (AssertionError e) {
            screenshot(robot, "failed-" + what.replaceAll("\\W+", "-"));
            throw new AssertionError(e.getMessage() + ": " + last.get(), e);
        }
    }

    protected static String rowShape(TableView<ArrayRow> table, String name) {
        return table.getItems().stream().filter(r -> name.equals(r.nameProperty().get())).findFirst()
                .map(r -> r.shapeProperty().get()).orElse("<missing>");
    }

    /**
     * GPU workers as a GPU build reports them (no GPU here): their rows/s, batch size and the device's
     * memory fill their own columns; screenshots at the two window sizes the panel must fit.
     */
    protected void showsGpuWorkers(FxRobot robot, TableView<BuildProgress.WorkerState> workers) throws IOException {
        long gib = 1L << 30;
        robot.interact(() -> workbench.buildViewModel().workers().setAll(List.of(
                new BuildProgress.WorkerState("cuda:0", WorkerStatus.RUNNING, 1204, 1.52, 37 * gib + gib / 2, 512),
                new BuildProgress.WorkerState("cuda:1", WorkerStatus.PAUSED, 1187, 1.49, 36 * gib, 512))));
        Map<String, String> row = new java.util.HashMap<>();
        for (var column : workers.getColumns()) {
            row.put(column.getText(), String.valueOf(column.getCellObservableValue(0).getValue()));
        }
        assertEquals(Map.of("Worker", "cuda:0", "State", "running", "Rows", "1204", "Rows/s", "1.52", "Batch", "512",
                "Memory", "37.5 GiB"), row);
        double width = stage.getWidth();
        double height = stage.getHeight();
        for (double[] size : new double[][] {{1280, 800}, {1024, 640}, {width, height}}) {
            robot.interact(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            if (size[0] != width || size[1] != height) {
                screenshot(robot, "build-gpu-workers-" + (int) size[0] + "x" + (int) size[1]);
            }
        }
    }

    /**
     * Scrolls every scroll pane around {@code node} so that its centre is in view (panels scroll
     * where the window is low), for a robot that clicks on the node's centre.
     */
    protected static void scrollIntoView(FxRobot robot, Node node) {
        robot.interact(() -> {
            for (Node n = node.getParent(); n != null; n = n.getParent()) {
                if (n instanceof javafx.scene.control.ScrollPane pane && pane.getContent() != null) {
                    javafx.geometry.Bounds inContent = pane.getContent().sceneToLocal(node.localToScene(node.getBoundsInLocal()));
                    double viewport = pane.getViewportBounds().getHeight();
                    double free = pane.getContent().getBoundsInLocal().getHeight() - viewport;
                    if (free > 0) {
                        double top = inContent.getCenterY() - viewport / 2;
                        pane.setVvalue(pane.getVmin() + (pane.getVmax() - pane.getVmin()) * Math.max(0, Math.min(1, top / free)));
                    }
                    pane.layout();
                }
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    protected static void screenshot(FxRobot robot, String name) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Node root = robot.lookup(".root").query();
        var image = robot.capture(root.getScene().getRoot()).getImage();
        ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", dir.resolve(name + ".png").toFile());
    }

    /**
     * Null when the bars run from the highest score at the top down, each bar's centre is at its
     * own name's tick and every name is drawn (none hidden for lack of room); otherwise what is wrong.
     */
    protected static String barLabelProblem(XYChart<Number, String> chart) {
        CategoryAxis axis = (CategoryAxis) chart.getYAxis();
        int bars = 0;
        for (XYChart.Series<Number, String> series : chart.getData()) {
            for (XYChart.Data<Number, String> bar : series.getData()) {
                Node node = bar.getNode();
                if (node == null || node.getBoundsInLocal().getHeight() <= 0) {
                    return "bar " + bar.getYValue() + " (" + bar.getXValue() + ") not drawn: " + (node == null ? "no node" : node.getBoundsInLocal());
                }
                double barCentre = node.localToScene(node.getBoundsInLocal()).getCenterY();
                double tick = axis.localToScene(0, axis.getDisplayPosition(bar.getYValue())).getY();
                if (Math.abs(barCentre - tick) > 1.5) {
                    return "bar " + bar.getYValue() + " centred at y " + barCentre + ", its label at " + tick;
                }
                bars++;
            }
        }
        List<Double> scoresTopDown = chart.getData().getFirst().getData().stream()
                .sorted(Comparator.comparingDouble(bar -> axis.getDisplayPosition(bar.getYValue())))
                .map(bar -> bar.getXValue().doubleValue()).toList();
        if (!scoresTopDown.equals(scoresTopDown.stream().sorted(Comparator.reverseOrder()).toList())) {
            return "bars not ordered by score from the top: " + scoresTopDown;
        }
        long hidden = axis.getTickMarks().stream().filter(t -> !t.isTextVisible()).count();
        if (bars == 0 || bars != axis.getTickMarks().size() || hidden > 0) {
            return bars + " bars, " + axis.getTickMarks().size() + " labels, " + hidden + " of them hidden";
        }
        return null;
    }
}
