package org.coar.workbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Predicate;

/**
 * An output directory written all or nothing: files go into a hidden staging directory beside
 * the target ({@link StagingDirectories}), which replaces the target only when complete. A failure,
 * a cancel or a kill leaves the target as it was (an earlier result stays whole).
 */
public final class StagedOutput implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private boolean committed;

    private StagedOutput(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
    }

    /**
     * Stages a new {@code target}. It may be absent, an empty directory, or an earlier result of the
     * same kind ({@code isEarlierResult}), which the commit replaces; anything else is refused, so
     * a directory holding other files is never removed.
     *
     * @param option the command-line option that names the directory, for messages
     */
    public static StagedOutput replacing(Path target, Predicate<Path> isEarlierResult, String option) {
        refuseForeign(target, isEarlierResult, option);
        Path absolute = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.getParent());
            StagingDirectories.removeStale(absolute);
            return new StagedOutput(absolute, StagingDirectories.create(absolute));
        } catch (IOException e) {
            throw new WorkbenchException(target + ": cannot create the output directory (" + e.getMessage() + "); choose a writable "
                    + option, e);
        }
    }

    /** The check {@link #replacing} makes, on its own: to fail before long work rather than after it. */
    public static void refuseForeign(Path target, Predicate<Path> isEarlierResult, String option) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !StagingDirectories.isEmptyDirectory(absolute)
                && !(Files.isDirectory(absolute) && isEarlierResult.test(absolute))) {
            throw new WorkbenchException(target + ": exists and holds other files than an earlier result; choose another "
                    + option + " (an empty or new directory), or remove it");
        }
    }

    /** Where to write the files now; they appear in {@link #target()} on {@link #commit()}. */
    public Path dir() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /** Puts the staged files in place of the target (and of its earlier content). */
    public void commit() {
        Path previous = null;
        try {
            if (Files.exists(target)) {
                // Moved aside under a staging name first, so a crash between the two renames leaves
                // a leftover the next run removes, never a mix of old and new files.
                previous = StagingDirectories.create(target);
                Files.delete(previous);
                Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        } catch (IOException e) {
            if (previous != null && !Files.exists(target)) {
                try {
                    Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
                    previous = null;
                } catch (IOException ignored) {
                    // the message below says what happened; the earlier result is in the hidden directory
                }
            }
            throw new WorkbenchException(target + ": cannot move the finished output into place (" + e.getMessage() + ")", e);
        } finally {
            if (previous != null && committed) {
                StagingDirectories.deleteTree(previous);
            }
        }
    }

    /** Removes the staging directory unless committed. */
    @Override
    public void close() {
        if (!committed) {
            StagingDirectories.deleteTree(staging);
        }
    }
}
