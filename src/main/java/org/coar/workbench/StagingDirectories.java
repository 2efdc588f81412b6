package org.coar.workbench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Hidden directories beside an output directory, where a result is written before it is renamed
 * into place (all or nothing). Each is named {@code .TARGET.partial-PID-RANDOM-HOST} so that a later
 * run can tell the leftovers of a killed process (same host, process gone) from a run still going,
 * and remove them.
 */
public final class StagingDirectories {
    /** Leftovers named by an earlier version (no owner in the name) count as stale after this long. */
    private static final Duration LEGACY_STALE_AFTER = Duration.ofDays(1);

    private StagingDirectories() {
    }

    /** Makes a new staging directory for {@code target} (an absolute, normalised path) beside it. */
    public static Path create(Path target) throws IOException {
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return Files.createDirectory(target.resolveSibling(prefix(target) + ProcessHandle.current().pid() + "-" + random + "-" + host()));
    }

    /**
     * Removes the staging directories of {@code target} left by processes on this host that are
     * gone (e.g. killed with kill -9 during a fit), and unnamed leftovers older than a day; returns
     * those removed. Those of live processes and of other hosts are left alone.
     */
    public static List<Path> removeStale(Path target) {
        List<Path> removed = new ArrayList<>();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return removed;
        }
        String prefix = prefix(target);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, path -> path.getFileName().toString().startsWith(prefix))) {
            for (Path dir : entries) {
                if (Files.isDirectory(dir) && isStale(dir.getFileName().toString().substring(prefix.length()), dir) && deleteTree(dir)) {
                    removed.add(dir);
                }
            }
        } catch (IOException e) {
            // Leftovers are only clutter; failing to list them must not stop the run.
        }
        return removed;
    }

    /** True for an existing directory with nothing in it. */
    public static boolean isEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes {@code dir} and everything in it; true when it is gone. */
    public static boolean deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            return false;
        }
        return !Files.exists(dir);
    }

    private static boolean isStale(String owner, Path dir) {
        String[] parts = owner.split("-", 3);
        Optional<Long> pid = parts.length == 3 ? parsePid(parts[0]) : Optional.empty();
        if (pid.isPresent() && parts[1].length() == 8) {
            return parts[2].equals(host()) && ProcessHandle.of(pid.get()).map(p -> !p.isAlive()).orElse(true);
        }
        try {
            return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(LEGACY_STALE_AFTER));
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Long> parsePid(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String prefix(Path target) {
        return "." + target.getFileName() + ".partial-";
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
