package org.coar.workbench.ui.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The window's log file. An installed app has no terminal, so the GUI sends slf4j-simple's output
 * (unexpected failures with their stack traces, DJL's warnings) to
 * {@code ~/.local/state/coar-workbench/workbench.log} ({@code $XDG_STATE_HOME}, or the folder in
 * {@code -Dcoar.log.dir}) and names that file in its error dialogs. Each start begins the file
 * afresh; the previous session's log is kept as {@code workbench.log.1}.
 */
public final class WorkbenchLog {
    public static final String FILE_NAME = "workbench.log";
    static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";

    private WorkbenchLog() {
    }

    public static Path defaultDir() {
        String configured = System.getProperty("coar.log.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && Path.of(state).isAbsolute() ? Path.of(state) : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("coar-workbench");
    }

    /**
     * Sends the log to {@code dir/workbench.log}. slf4j-simple reads its settings once, when the
     * first logger is made, so this must run before anything logs (system properties override
     * simplelogger.properties). Empty where the folder cannot be made: the log stays on stderr.
     */
    public static Optional<Path> sendTo(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
            if (Files.exists(file)) {
                Files.move(file, dir.resolve(FILE_NAME + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        System.setProperty(LOG_FILE_PROPERTY, file.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
        return Optional.of(file);
    }
}
