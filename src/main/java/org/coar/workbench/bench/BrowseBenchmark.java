package org.coar.workbench.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.attributions.ExampleBrowser;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.model.Components;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;

/**
 * How long selecting an example takes in the Attributions panel at CIFAR scale: reading one
 * example's scores from a 2,304 × 10,000 attributions directory and summarising them (top-k,
 * mass per layer), on a cold and on a warm page cache.
 */
public final class BrowseBenchmark {
    /** Milliseconds per selection: the first (cold) one, and the median / max of the rest. */
    public record Result(int components, int examples, double firstMillis, double medianMillis, double maxMillis) {
    }

    public Result run(Path dir, int components, int examples, int selections) throws IOException {
        SplittableRandom random = new SplittableRandom(1);
        for (String name : List.of(Attributions.WEIGHT, Attributions.RAW_WEIGHT)) {
            NpyArray.create(dir.resolve(name), Dtype.FLOAT32, components, examples);
            try (NpyArray array = NpyArray.open(dir.resolve(name), true)) {
                float[] row = new float[examples];
                for (int c = 0; c < components; c++) {
                    for (int j = 0; j < examples; j++) {
                        row[j] = (float) random.nextGaussian();
                    }
                    array.writeRow(c, row);
                }
            }
        }
        writeVector(dir.resolve(Attributions.BIAS), examples, 0);
        writeVector(dir.resolve(Attributions.MASK_MEAN), components, 0.9);
        writeVector(dir.resolve(Attributions.MASK_STD), components, 0.3);
        Files.writeString(dir.resolve(Attributions.REPORT), "{}");
        // 2,304 components as in the paper's CIFAR-10 ResNet-18: 9 groups of 256.
        List<ComponentGroup> groups = new ArrayList<>();
        for (int g = 0; g < components / 256; g++) {
            groups.add(new ComponentGroup("layer" + g + ".conv.weight", 256));
        }
        Components list = new Components(groups);
        double[] millis = new double[selections];
        try (Attributions attributions = Attributions.load(dir)) {
            for (int s = 0; s < selections; s++) {
                long start = System.nanoTime();
                ExampleBrowser.summarise(attributions.rawColumn(random.nextInt(examples)), list, 10);
                millis[s] = (System.nanoTime() - start) / 1e6;
            }
        }
        double[] warm = Arrays.copyOfRange(millis, 1, millis.length);
        Arrays.sort(warm);
        return new Result(components, examples, millis[0], warm[warm.length / 2], warm[warm.length - 1]);
    }

    private static void writeVector(Path file, int length, double value) throws IOException {
        NpyArray.create(file, Dtype.FLOAT32, length);
        try (NpyArray array = NpyArray.open(file, true)) {
            for (int i = 0; i < length; i++) {
                array.set(i, value);
            }
        }
    }
}
