package org.coar.workbench.ablation;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.coar.workbench.WorkbenchException;

/**
 * Claim files that keep processes filling one store (e.g. SLURM array tasks on a shared
 * filesystem) from building the same row twice. A claim is a file {@code claims/ROW.claim}
 * created atomically; it is deleted once the row is completed. A claim whose owner is a dead
 * process on this host, or that is older than the timeout, is taken over.
 */
public final class RowClaims {
    public static final String DIR = "claims";

    private final Path dir;
    private final Duration staleAfter;
    private final String host;
    private final long pid = ProcessHandle.current().pid();

    public RowClaims(Path storeDir, Duration staleAfter) {
        this.dir = storeDir.resolve(DIR);
        this.staleAfter = staleAfter;
        this.host = hostName();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new WorkbenchException(dir + ": cannot create the claims directory (" + e.getMessage() + "); is the store writable?", e);
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** True when this process now owns {@code row}; false when another live process does. */
    public boolean tryClaim(long row) {
        Path file = file(row);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(Files.createFile(file), host + " " + pid + " " + Instant.now() + "\n");
                return true;
            } catch (FileAlreadyExistsException e) {
                if (!isStale(file)) {
                    return false;
                }
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    return false;
                }
            } catch (IOException e) {
                throw new WorkbenchException(file + ": cannot write a claim (" + e.getMessage() + "); check space and permissions", e);
            }
        }
        return false;
    }

    public void release(long row) {
        try {
            Files.deleteIfExists(file(row));
        } catch (IOException e) {
            // A leftover claim of a completed row is harmless: completed rows are skipped.
        }
    }

    private boolean isStale(Path file) {
        try {
            List<String> fields = List.of(Files.readString(file).trim().split(" "));
            if (fields.size() >= 2 && fields.get(0).equals(host)) {
                long owner = Long.parseLong(fields.get(1));
                return owner != pid && ProcessHandle.of(owner).map(p -> !p.isAlive()).orElse(true);
            }
            return Files.getLastModifiedTime(file).toInstant().isBefore(Instant.now().minus(staleAfter));
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private Path file(long row) {
        return dir.resolve(row + ".claim");
    }
}
