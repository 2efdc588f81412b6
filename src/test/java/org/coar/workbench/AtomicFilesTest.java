package org.coar.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteThatFailsLikeAFullDiskLeavesTheOldFileAndNoTemporaryFile(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("components.json"), "old");
        assertThrows(IOException.class, () -> AtomicFiles.replace(file, temp -> {
            throw new IOException("No space left on device");
        }));
        assertEquals(List.of("components.json"), entries(tmp));
        assertEquals("old", Files.readString(file));
        assertThrows(IOException.class, () -> AtomicFiles.createExclusively(tmp.resolve("run.json"), temp -> {
            throw new IOException("No space left on device");
        }));
        assertEquals(List.of("components.json"), entries(tmp));
    }

    @Test
    void ofManyThreadsCreatingOneFileExactlyOneWinsAndTheFileIsWhole(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("run.json");
        AtomicInteger winners = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String content = "writer " + i + " " + "x".repeat(10_000);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    if (AtomicFiles.createExclusively(file, temp -> Files.writeString(temp, content))) {
                        winners.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, winners.get());
        String written = Files.readString(file);
        assertTrue(written.matches("writer \\d x{10000}"), "one writer's whole content");
        assertEquals(List.of("run.json"), entries(tmp));
        assertFalse(AtomicFiles.createExclusively(file, temp -> Files.writeString(temp, "late")));
        assertEquals(written, Files.readString(file));
    }
}
