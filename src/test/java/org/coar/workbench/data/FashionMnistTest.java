package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The real Fashion-MNIST files, where present: Debian's {@code dataset-fashion-mnist} and the
 * demo's first-1,000 subset bundled under {@code org/coar/workbench/demo/}. Skipped when absent.
 */
class FashionMnistTest {

    private static final Path T10K_IMAGES = Path.of("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz");
    /** The first test labels as published: ankle boot, pullover, trouser, trouser, shirt. */
    private static final int[] FIRST_TEST_LABELS = {9, 2, 1, 1, 6};

    @Test
    void readsTheTestSetWithItsPublishedFirstLabels() {
        assumeTrue(Files.isRegularFile(T10K_IMAGES), "dataset-fashion-mnist is not installed");
        EvalData data = new DataLoader().load(DataSpec.of(T10K_IMAGES.toString()));
        assertEquals(10_000, data.size());
        assertArrayEquals(new long[] {1, 28, 28}, data.exampleShape());
        assertArrayEquals(FIRST_TEST_LABELS, Arrays.copyOf(data.labels(), 5));
    }

    /** numpy reads the same bytes with {@code np.frombuffer(gzip.open(f).read(), uint8, offset=16)}; sums of pixel bytes must agree. */
    @Test
    void agreesWithNumpyOnASubsample() throws Exception {
        assumeTrue(Files.isRegularFile(T10K_IMAGES), "dataset-fashion-mnist is not installed");
        String script = String.join("\n",
                "import gzip, sys, numpy as np",
                "x = np.frombuffer(gzip.open(sys.argv[1]).read(), np.uint8, offset=16).reshape(-1, 28, 28)",
                "y = np.frombuffer(gzip.open(sys.argv[2]).read(), np.uint8, offset=8)",
                "k = slice(None, None, 37)",
                "print(' '.join(str(int(s)) for s in x[k][:100].reshape(100, -1).sum(axis=1, dtype=np.int64)))",
                "print(' '.join(str(int(v)) for v in y[k][:100]))");
        Fixtures.Result numpy = Fixtures.python("-c", script, T10K_IMAGES.toString(),
                T10K_IMAGES.resolveSibling("t10k-labels-idx1-ubyte.gz").toString());
        assertEquals(0, numpy.exitCode(), numpy.output());
        String[] lines = numpy.output().strip().split("\n");

        EvalData data = new DataLoader().load(DataSpec.builder().setPath(T10K_IMAGES.toString()).optLimit(100).optSkip(37)
                .build());

        long[] sums = new long[data.size()];
        for (int i = 0; i < data.size(); i++) {
            for (float value : data.batch(i, 1)) {
                sums[i] += Math.round(value * 255);
            }
        }
        assertArrayEquals(Arrays.stream(lines[0].split(" ")).mapToLong(Long::parseLong).toArray(), sums);
        assertArrayEquals(Arrays.stream(lines[1].split(" ")).mapToInt(Integer::parseInt).toArray(), data.labels());
    }

    /** The demo subset is the first 1,000 test images and labels (see the demo's README). */
    @Test
    void demoSubsetIsTheStartOfTheTestSet() throws URISyntaxException {
        URL demo = FashionMnistTest.class.getResource("/org/coar/workbench/demo/eval-images-idx3-ubyte.gz");
        assumeTrue(demo != null && "file".equals(demo.getProtocol()), "the demo data is not on the classpath");
        EvalData subset = new DataLoader().load(DataSpec.of(Path.of(demo.toURI()).toString()));
        assertEquals(1_000, subset.size());
        assertArrayEquals(new long[] {1, 28, 28}, subset.exampleShape());
        assertArrayEquals(FIRST_TEST_LABELS, Arrays.copyOf(subset.labels(), 5));

        assumeTrue(Files.isRegularFile(T10K_IMAGES), "dataset-fashion-mnist is not installed");
        EvalData full = new DataLoader().load(DataSpec.builder().setPath(T10K_IMAGES.toString()).optLimit(1_000).build());
        assertArrayEquals(full.labels(), subset.labels());
        assertArrayEquals(full.inputs(), subset.inputs());
    }
}
