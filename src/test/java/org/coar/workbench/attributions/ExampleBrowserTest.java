package org.coar.workbench.attributions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.evaluation.EvalFixtures;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.model.ModelFixtures;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.store.Store;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleBrowserTest {
    private static final int P = 240;
    private static final int M = 20;

    /** A demo store (2 rows, the first 20 images) and attributions whose scores are known by construction. */
    private static Path[] storeAndAttributions(Path tmp) throws IOException {
        Path store = tmp.resolve("store");
        Store.create(store, new SpecCodec().parse("{\"num_models\": 2, \"schema\": {\"masks\": {\"dtype\": \"bool_\", \"shape\": [" + P
                + "]}, \"margins\": {\"dtype\": \"float16\", \"shape\": [" + M + "]}}}", "spec"));
        BuildService service = new BuildService();
        RunConfig run = service.resolveRun(store, RunConfig.builder().optModel(ModelFixtures.demoModel().toString())
                .optData(ModelFixtures.demoDataSpec(M)).optAlpha(0.05).optSeed(0L).build());
        service.build(new BuildRequest(store, run, List.of("cpu"), 1, null, null, null, 20, false, Duration.ofHours(1)), p -> { },
                new Cancellation());
        Path dir = Files.createDirectories(tmp.resolve("attributions"));
        // raw score of component c for example j: (c - 120) * (j + 1) / 1000, except component 33 = +5 for example 7.
        write(dir.resolve("raw_weight.npy"), (c, j) -> c == 33 && j == 7 ? 5.0 : (c - 120) * (j + 1) / 1000.0, P, M);
        write(dir.resolve("weight.npy"), (c, j) -> 0.0, P, M);
        write(dir.resolve("bias.npy"), (c, j) -> 0.0, M);
        write(dir.resolve("mask_mean.npy"), (c, j) -> 0.95, P);
        write(dir.resolve("mask_std.npy"), (c, j) -> 0.2, P);
        write(dir.resolve("lam.npy"), (c, j) -> 0.0, M);
        Files.writeString(dir.resolve("report.json"), "{}");
        return new Path[] {store, dir};
    }

    interface Value {
        double at(int c, int j);
    }

    private static void write(Path file, Value value, long... shape) throws IOException {
        NpyArray.create(file, Dtype.FLOAT32, shape);
        long cols = shape.length == 2 ? shape[1] : 1;
        try (NpyArray array = NpyArray.open(file, true)) {
            for (int i = 0; i < shape[0]; i++) {
                for (int j = 0; j < cols; j++) {
                    array.set(i * cols + j, shape.length == 2 ? value.at(i, j) : value.at(i, 0));
                }
            }
        }
    }

    @Test
    void examplesCarryLabelsAndTheCleanModelsMarginsAsPyTorchComputesThem(@TempDir Path tmp) throws IOException {
        Path[] paths = storeAndAttributions(tmp);
        try (ExampleBrowser browser = ExampleBrowser.open(paths[0], paths[1]);
             NpyArray pytorch = NpyArray.open(Fixtures.resource("ablation/demo_margins.npy"), false)) {
            float[] cleanMargins = pytorch.readRow(0); // fixture mask 0 keeps every component
            assertEquals(M, browser.examples().size());
            for (ExampleBrowser.ExampleRow row : browser.examples()) {
                assertEquals(cleanMargins[row.index()], row.cleanOutput(), 1e-3, "example " + row.index());
                assertEquals(cleanMargins[row.index()] < 0, row.misclassified(), "example " + row.index());
                assertTrue(Double.isNaN(row.validationR2()), "no val_r2.npy written");
            }
            assertEquals(List.of(9, 2, 1, 1, 6), browser.examples().stream().limit(5).map(ExampleBrowser.ExampleRow::label).toList(),
                    "Fashion-MNIST's first test labels");
        }
    }

    @Test
    void viewListsTheStrongestComponentsAndLayerMassFromTheScores(@TempDir Path tmp) throws IOException {
        Path[] paths = storeAndAttributions(tmp);
        try (ExampleBrowser browser = ExampleBrowser.open(paths[0], paths[1])) {
            ExampleBrowser.ExampleView view = browser.view(7, 3);
            // example 7: scores (c - 120) * 8 / 1000, largest for c = 239, then 238; component 33 overridden to 5.
            assertEquals(List.of(33, 239, 238), view.positive().stream().map(ExampleBrowser.Contribution::component).toList());
            assertEquals("conv2 #1", view.positive().getFirst().name(), "component 33 is conv2's second filter");
            assertEquals(5f, view.positive().getFirst().score(), 1e-6);
            assertEquals(List.of(0, 1, 2), view.negative().stream().map(ExampleBrowser.Contribution::component).toList());
            assertEquals(-0.96f, view.negative().getFirst().score(), 1e-6);
            // conv1 holds components 0..31: mass = sum |c - 120| * 8/1000 = 8/1000 * sum_{c=0}^{31} (120 - c).
            double conv1 = 8 / 1000.0 * java.util.stream.IntStream.range(0, 32).map(c -> 120 - c).sum();
            assertEquals("conv1", view.layers().getFirst().layer());
            assertEquals(conv1, view.layers().getFirst().mass(), 1e-3);
            assertEquals(1.0, view.layers().stream().mapToDouble(ExampleBrowser.LayerMass::share).sum(), 1e-9);
            assertEquals(784, view.image().length);
            assertTrue(ExampleBrowser.csv(view).lines().anyMatch(l -> l.equals("7,top_positive,conv2 #1,33,5.00000,")));
            // component 33 moves example 7 most (|5| beats every |(33-120)(j+1)/1000| <= 1.74)
            assertEquals(7, browser.examplesMovedBy(33, 1).getFirst().component());
        }
    }

    @Test
    void attributionsOfAnotherStoreAreRefused(@TempDir Path tmp) throws IOException {
        Path[] paths = storeAndAttributions(tmp);
        Path wrong = Files.createDirectories(tmp.resolve("wrong"));
        write(wrong.resolve("weight.npy"), (c, j) -> 0.0, 100, M);
        write(wrong.resolve("bias.npy"), (c, j) -> 0.0, M);
        write(wrong.resolve("mask_mean.npy"), (c, j) -> 0.9, 100);
        write(wrong.resolve("mask_std.npy"), (c, j) -> 0.3, 100);
        WorkbenchException e = org.junit.jupiter.api.Assertions.assertThrows(WorkbenchException.class,
                () -> ExampleBrowser.open(paths[0], wrong));
        assertTrue(e.getMessage().contains("attributions for 100 components, but the store"), e.getMessage());
    }

    @Test
    void theWhatIfTakesTheTickedScoresFromTheFittedOutputWithEverythingKept(@TempDir Path tmp) {
        Path store = ExamplePageFixture.store(tmp);
        try (ExampleBrowser browser = ExampleBrowser.open(store, ExamplePageFixture.attributions(store))) {
            // example 5 (5 mod 3 = 2): scores 3 (c - 7.4); all kept: 2 + 3 * sum_c (c - 7.4) = 2 + 3 * (120 - 118.4) = 6.8
            assertEquals(6.8, browser.fittedOutput(5), 1e-4);
            ExampleBrowser.ExampleView view = browser.view(5, 10);
            List<ExampleBrowser.Contribution> ticked = view.positive().stream().filter(c -> c.component() == 15 || c.component() == 12).toList();
            assertEquals(2, ticked.size());
            // ablating 15 (score 3 * 7.6) and 12 (3 * 4.6): 6.8 - 22.8 - 13.8 = -29.8
            assertEquals(-29.8, ExampleBrowser.outputWithout(browser.fittedOutput(5), ticked), 1e-4);
            assertTrue(browser.components().label(15).startsWith(browser.layerOf(15) + " #"), "a component's label starts with its layer");
        }
    }

    @Test
    void queriesOverComponentScoresCountAsByHand(@TempDir Path tmp) {
        Path store = ExamplePageFixture.store(tmp);
        try (ExampleBrowser browser = ExampleBrowser.open(store, ExamplePageFixture.attributions(store))) {
            // component 15 scores 7.6 (1 + j mod 3): at least 15 where j mod 3 is 1 or 2, i.e. 64 - 22 = 42 examples
            assertEquals(42, browser.query(ExampleQuery.ALL.withComponent(new ExampleQuery.ComponentCondition(15,
                    ExampleQuery.Kind.SCORE_AT_LEAST, 15))).size());
            assertEquals(22, browser.query(ExampleQuery.ALL.withComponent(new ExampleQuery.ComponentCondition(15,
                    ExampleQuery.Kind.SCORE_AT_MOST, 7.6))).size());
            // component 3 scores 100 on 54..63, so it moves those 10 most; 15 (|7.6 k| > |-7.4 k|) moves the other 54 most
            assertEquals(List.of(54, 55, 56, 57, 58, 59, 60, 61, 62, 63), browser.query(ExampleQuery.ALL.withComponent(
                    new ExampleQuery.ComponentCondition(3, ExampleQuery.Kind.STRONGEST, 0))).stream().map(ExampleBrowser.ExampleRow::index).toList());
            assertEquals(54, browser.query(ExampleQuery.ALL.withComponent(new ExampleQuery.ComponentCondition(15,
                    ExampleQuery.Kind.STRONGEST, 0))).size());
            // val_r2 = j / 64: below 0.25 for j < 16
            assertEquals(16, browser.query(ExampleQuery.ALL.withR2Below(0.25)).size());
            assertEquals(15, browser.componentNamed(browser.components().label(15).toUpperCase(java.util.Locale.ROOT)));
            assertEquals(-1, browser.componentNamed("no such #1"));
        }
    }

    @Test
    void attributionsOpenWithoutTheModelAndSayWhatIsMissing(@TempDir Path tmp) throws IOException {
        Path store = ExamplePageFixture.store(tmp);
        Path attributions = ExamplePageFixture.attributions(store);
        Files.delete(tmp.resolve("model/linear.pt"));
        Files.delete(store.resolve("components.json")); // names come from the attributions' own copy
        try (ExampleBrowser browser = ExampleBrowser.open(store, attributions)) {
            assertEquals(ExamplePageFixture.EXAMPLES, browser.examples().size());
            assertTrue(browser.hasData());
            assertEquals(false, browser.hasPredictions());
            ExampleBrowser.ExampleRow row = browser.examples().get(5);
            assertEquals(EvalFixtures.linearData().labels()[5], row.label());
            assertEquals(ExampleBrowser.ExampleRow.UNKNOWN, row.prediction());
            assertTrue(Float.isNaN(row.cleanOutput()));
            assertEquals(false, browser.examples().stream().anyMatch(ExampleBrowser.ExampleRow::misclassified), "unknown, not wrong");
            assertEquals(1, browser.unavailable().size());
            assertTrue(browser.unavailable().getFirst().startsWith("the model (" + tmp.resolve("model/linear.pt") + " is missing)"),
                    browser.unavailable().toString());
            assertEquals(6.8, browser.fittedOutput(5), 1e-4);
            assertEquals(15, browser.view(5, 3).positive().getFirst().component());
        }
    }

    @Test
    void attributionsOpenWithoutTheDataEither(@TempDir Path tmp) throws IOException {
        Path store = ExamplePageFixture.store(tmp);
        Path attributions = ExamplePageFixture.attributions(store);
        Files.delete(store.resolve("run.json"));
        try (ExampleBrowser browser = ExampleBrowser.open(store, attributions)) {
            assertEquals(false, browser.hasData());
            assertEquals(ExampleBrowser.ExampleRow.UNKNOWN, browser.examples().getFirst().label());
            assertTrue(browser.unavailable().getFirst().startsWith("the run settings (no run.json in "), browser.unavailable().toString());
            assertEquals(null, browser.view(5, 3).image());
        }
    }
}
