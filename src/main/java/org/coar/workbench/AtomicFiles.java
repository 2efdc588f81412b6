package org.coar.workbench;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Small files (run.json, components.json, reports) written whole or not at all: the content goes
 * to a uniquely named temporary file beside the target, which is renamed over it, and the
 * temporary file is removed whatever fails (a full disk must not leave 0-byte {@code *.tmp} files).
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content to a file, given its path. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path file) throws IOException;
    }

    /** Writes {@code target} through a temporary file and an atomic rename, replacing what was there. */
    public static void replace(Path target, Writer writer) throws IOException {
        Path temp = writeTemporary(target, writer);
        try {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Creates {@code target} whole, only if no file of that name exists: the temporary file is
     * hard-linked to the target name, which fails atomically when another process got there first,
     * so of two processes racing to create it exactly one wins and nobody sees half a file.
     *
     * @return true when this call created it; false when it already existed (left as it was)
     */
    public static boolean createExclusively(Path target, Writer writer) throws IOException {
        Path temp = writeTemporary(target, writer);
        try {
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // No hard links here (some network or FUSE filesystems): a move that refuses an existing
            // target, checked and renamed in two steps, is the best this filesystem allows.
            try {
                Files.move(temp, target);
                return true;
            } catch (FileAlreadyExistsException exists) {
                return false;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path writeTemporary(Path target, Writer writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            writer.writeTo(temp);
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }
}
