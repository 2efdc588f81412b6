package org.coar.workbench.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GUI's log goes to a file the error dialogs can name, with stack traces, keeping the previous session's. */
class WorkbenchLogTest {
    @TempDir
    Path tmp;

    private Process probe(Path dir) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                WorkbenchLogProbe.class.getName(), dir.toString()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "probe timed out");
        return process;
    }

    @Test
    void failuresWithTheirStackTracesGoToTheFileAndNotTheTerminal() throws IOException, InterruptedException {
        Path dir = tmp.resolve("state/coar-workbench");
        Process process = probe(dir);
        String terminal = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), terminal);
        Path file = dir.resolve("workbench.log");
        assertEquals(file.toString(), terminal.strip(), "the probe printed only the file's path; nothing was logged to the terminal");
        String log = Files.readString(file);
        assertTrue(log.contains("ERROR org.coar.workbench.ui - Fitting failed"), log);
        assertTrue(log.contains("java.lang.IllegalStateException: index 7 out of bounds"), log);
        assertTrue(log.contains("at org.coar.workbench.ui.common.WorkbenchLogProbe.main"), "the stack trace: " + log);
    }

    @Test
    void theNextStartKeepsThePreviousLogBesideTheNewOne() throws IOException, InterruptedException {
        Path dir = tmp.resolve("logs");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("workbench.log"), "the previous session\n");
        assertEquals(0, probe(dir).exitValue());
        assertEquals("the previous session\n", Files.readString(dir.resolve("workbench.log.1")));
        assertFalse(Files.readString(dir.resolve("workbench.log")).contains("the previous session"));
    }

    @Test
    void theFolderIsTheUsersStateFolderUnlessConfigured() {
        String before = System.getProperty("coar.log.dir");
        try {
            System.setProperty("coar.log.dir", tmp.toString());
            assertEquals(tmp, WorkbenchLog.defaultDir());
            System.clearProperty("coar.log.dir");
            String state = System.getenv("XDG_STATE_HOME");
            Path expected = state != null && Path.of(state).isAbsolute() ? Path.of(state, "coar-workbench")
                    : Path.of(System.getProperty("user.home"), ".local", "state", "coar-workbench");
            assertEquals(expected, WorkbenchLog.defaultDir());
        } finally {
            if (before != null) {
                System.setProperty("coar.log.dir", before);
            }
        }
    }
}
