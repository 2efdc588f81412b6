package org.coar.workbench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.coar.workbench.Sizes;

/**
 * Whether the disk under a store can hold it once filled. Store files are sparse, so creating
 * one never fails for lack of space; the build does, when the disk fills (rows done are kept).
 */
public final class DiskSpace {
    private DiskSpace() {
    }

    /** A warning when {@code bytesWhenFilled} exceeds the free space under {@code dir}; empty when it fits or is unknown. */
    public static Optional<String> shortfall(Path dir, long bytesWhenFilled) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        long free;
        try {
            free = Files.getFileStore(existing).getUsableSpace();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        if (bytesWhenFilled <= free) {
            return Optional.empty();
        }
        return Optional.of(dir + ": the store takes " + Sizes.human(bytesWhenFilled) + " when filled, but its disk has "
                + Sizes.human(free) + " free; a build stops when the disk fills (rows completed by then are kept). Free space, "
                + "use a larger disk, or lower num_models");
    }
}
