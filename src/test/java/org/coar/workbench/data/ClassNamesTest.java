package org.coar.workbench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassNamesTest {
    @Test
    void theDemoDataIsIdentifiedAsFashionMnistByItsLabels() {
        DataSpec demo = new DataLoader().resolve(DataSpec.of(Fixtures.resource("org/coar/workbench/demo/eval-images-idx3-ubyte.gz").toString()));
        ClassNames names = ClassNames.of(demo);
        assertEquals("Ankle boot", names.of(9));
        assertEquals("T-shirt/top", names.of(0));
        assertEquals("9 Ankle boot", names.describe(9));
        assertEquals("11", names.describe(11), "a label past the list keeps its number");
    }

    @Test
    void otherIdxLabelsHaveNoNames(@TempDir Path tmp) throws IOException {
        // the same IDX layout with one label changed is not Fashion-MNIST's file
        byte[] labels = {0, 0, 8, 1, 0, 0, 0, 2, 9, 3};
        Path images = tmp.resolve("digits-images-idx3-ubyte");
        Files.write(tmp.resolve("digits-labels-idx1-ubyte"), labels);
        Files.write(images, new byte[0]);
        DataSpec spec = DataSpec.builder().setPath(images.toString()).optFormat(DataLoader.IDX)
                .optLabels(tmp.resolve("digits-labels-idx1-ubyte").toString()).build();
        assertFalse(ClassNames.of(spec).known());
        assertEquals("3", ClassNames.of(spec).describe(3));
    }

    @Test
    void imageFoldersAndCifarNameTheirClasses(@TempDir Path tmp) throws IOException {
        for (String name : List.of("zebra", "cat", "dog")) {
            Files.createDirectories(tmp.resolve("images").resolve(name));
        }
        DataSpec folders = DataSpec.builder().setPath(tmp.resolve("images").toString()).optFormat(DataLoader.IMAGES).build();
        assertEquals(List.of("cat", "dog", "zebra"), ClassNames.of(folders).names(), "sorted, as torchvision numbers them");
        Path batch = Files.write(tmp.resolve("test_batch.bin"), new byte[0]);
        DataSpec cifar = DataSpec.builder().setPath(batch.toString()).optFormat(DataLoader.CIFAR10).build();
        assertEquals("truck", ClassNames.of(cifar).of(9));
        Files.writeString(tmp.resolve("batches.meta.txt"), "plane\ncar\n\n");
        assertEquals(List.of("plane", "car"), ClassNames.of(cifar).names(), "the archive's own names win");
    }

    @Test
    void aNamesFileHasOneNamePerLine(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("names.txt"), "  cat \ndog\n\n\n");
        assertEquals(List.of("cat", "dog"), ClassNames.read(file).names());
        Path gap = Files.writeString(tmp.resolve("gap.txt"), "cat\n\ndog\n");
        WorkbenchException e = assertThrows(WorkbenchException.class, () -> ClassNames.read(gap));
        assertTrue(e.getMessage().contains("gap.txt: line 2 is empty"), e.getMessage());
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n");
        assertTrue(assertThrows(WorkbenchException.class, () -> ClassNames.read(empty)).getMessage().contains("holds no class names"));
        assertTrue(assertThrows(WorkbenchException.class, () -> ClassNames.read(tmp.resolve("none.txt"))).getMessage()
                .contains("none.txt: cannot read the class names"));
    }
}
