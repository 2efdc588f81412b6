package org.coar.workbench.edit;

import java.nio.file.Path;
import java.util.List;

/**
 * One COAR-Edit: score components by the Welch t-statistic between target and reference
 * attributions, ablate the k best, and measure the model before and after.
 *
 * @param storeDir        the store the attributions were fitted on (model, data from its run.json)
 * @param attributionsDir the attributions
 * @param target          target examples ({@link ExampleSet} syntax)
 * @param reference       reference examples ({@link ExampleSet} syntax; "rest" = every other example)
 * @param k               components to ablate
 * @param mode            which end of the ranking
 * @param sweepMax        also measure k = 1..sweepMax (table and figure); null for none
 * @param save            write the edited model as TorchScript here; null for none
 * @param outDir          where report.json, the sweep table and figure go
 * @param devices         "cpu", "cuda:0", ...; empty for every GPU, else the CPU
 * @param cpuWorkers      model replicas on the CPU (0: one per core)
 * @param batchSize       examples per forward pass
 * @param forceAttributions use attributions fitted on another store or model (recorded in the report) instead of refusing them
 * @param components      the components to ablate, as mask indices, in mode {@link EditMode#EXPLICIT}; empty otherwise.
 *                        A non-empty list makes the mode explicit and k its size; the target may then be blank (no target)
 */
public record EditRequest(Path storeDir, Path attributionsDir, String target, String reference, int k, EditMode mode,
                          Integer sweepMax, Path save, Path outDir, List<String> devices, int cpuWorkers, int batchSize,
                          boolean forceAttributions, List<Integer> components) {
    public static final String DEFAULT_OUT = "edit";

    public EditRequest {
        devices = List.copyOf(devices);
        components = List.copyOf(components);
        if (!components.isEmpty()) {
            mode = EditMode.EXPLICIT;
            k = components.size();
        }
    }

    public EditRequest(Path storeDir, Path attributionsDir, String target, String reference, int k, EditMode mode,
                       Integer sweepMax, Path save, Path outDir, List<String> devices, int cpuWorkers, int batchSize,
                       boolean forceAttributions) {
        this(storeDir, attributionsDir, target, reference, k, mode, sweepMax, save, outDir, devices, cpuWorkers, batchSize,
                forceAttributions, List.of());
    }

    /** An edit that ablates exactly {@code components} (mask indices) and measures target, reference and all examples. */
    public static EditRequest explicit(Path storeDir, Path attributionsDir, List<Integer> components, String target, String reference,
                                       Path save, Path outDir, List<String> devices, int cpuWorkers, int batchSize,
                                       boolean forceAttributions) {
        return new EditRequest(storeDir, attributionsDir, target, reference, components.size(), EditMode.EXPLICIT, null, save, outDir,
                devices, cpuWorkers, batchSize, forceAttributions, components);
    }

    /** An edit that refuses attributions fitted on another store or model. */
    public EditRequest(Path storeDir, Path attributionsDir, String target, String reference, int k, EditMode mode,
                       Integer sweepMax, Path save, Path outDir, List<String> devices, int cpuWorkers, int batchSize) {
        this(storeDir, attributionsDir, target, reference, k, mode, sweepMax, save, outDir, devices, cpuWorkers, batchSize, false);
    }

    /** Defaults: reference "rest", no sweep, no saved model, output in ATTRIBUTIONS/edit, local devices. */
    public static EditRequest of(Path storeDir, Path attributionsDir, String target, int k, EditMode mode) {
        return new EditRequest(storeDir, attributionsDir, target, "rest", k, mode, null, null, attributionsDir.resolve(DEFAULT_OUT),
                List.of(), 0, 100);
    }
}
