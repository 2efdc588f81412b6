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
}
