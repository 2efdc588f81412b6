package org.coar.workbench.fit;

import java.nio.file.Path;

/**
 * What to fit and where to write it.
 *
 * @param storeDir the store (masks.npy, the output array, _completed.npy)
 * @param outDir   the attributions directory to create; must not exist or be empty
 * @param config   split, solver, path and reading settings
 */
public record FitRequest(Path storeDir, Path outDir, FitConfig config) {
}
