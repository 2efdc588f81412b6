package org.coar.workbench.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.coar.workbench.Provenance;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataLoader;
import org.coar.workbench.data.EvalData;
import org.coar.workbench.model.Components;

/**
 * What a built store says about its rows, ready for the stages that run its model again
 * (evaluation, editing): the run settings of run.json, the components of components.json, the
 * evaluation data decoded, and the model file checked against the SHA-256 recorded at build time.
 *
 * @param modelSha256 the model file's SHA-256 now (equal to the recorded one when one was recorded)
 */
public record StoredRun(Path storeDir, RunConfig run, Components components, EvalData data, String modelSha256) {

    public static StoredRun open(Path storeDir) {
        if (!Files.isDirectory(storeDir)) {
            throw new WorkbenchException(storeDir + ": no such store directory");
        }
        if (!RunConfig.exists(storeDir) || !Components.exists(storeDir)) {
            throw new WorkbenchException(storeDir + ": no " + (RunConfig.exists(storeDir) ? Components.FILE : RunConfig.FILE)
                    + ", so the store has not been built yet and its model and data are unknown; build it first with "
                    + "'coar build --store " + storeDir + " --model MODEL.pt --data DATA'");
        }
        RunConfig run = RunConfig.read(storeDir);
        if (run.model() == null || run.data() == null || run.outputArray() == null) {
            throw new WorkbenchException(storeDir.resolve(RunConfig.FILE) + ": incomplete run settings (model, data and output_array "
                    + "are needed); resume the build once with 'coar build --store " + storeDir + "' to record them");
        }
        Path model = Path.of(run.model());
        if (!Files.isRegularFile(model)) {
            throw new WorkbenchException(model + ": the model file recorded in " + storeDir.resolve(RunConfig.FILE)
                    + " is missing, and no file with its SHA-256 is at the same place inside or beside the store; restore it (the "
                    + "store's rows were made with it), or choose it in the window with File > Locate model");
        }
        String sha = RunConfig.sha256(model);
        if (run.modelSha256() != null && !run.modelSha256().equals(sha)) {
            throw new WorkbenchException(model + ": the model changed since the store was built (SHA-256 " + sha + ", recorded "
                    + run.modelSha256() + "); evaluating or editing another model than the one the rows describe would "
                    + "mislead. Restore the original model file");
        }
        Components components = Components.read(storeDir);
        EvalData data = new DataLoader().load(run.data());
        try (Store store = Store.open(storeDir, false)) {
            StoreArrays arrays = StoreArrays.recorded(run);
            long maskWidth = arrays.masksIn(store).rowLength();
            long outputs = arrays.outputsIn(store).rowLength();
            if (maskWidth != components.total() || outputs != data.size()) {
                throw new WorkbenchException(storeDir + ": rows hold " + maskWidth + " mask entries and " + outputs + " outputs, but "
                        + Components.FILE + " lists " + components.total() + " components and the data has " + data.size()
                        + " examples (" + data.description() + "); the store's files do not belong together");
            }
        }
        return new StoredRun(storeDir, run, components, data, sha);
    }

    /** The store's mask and output arrays, as run.json records them. */
    public StoreArrays arrays() {
        return StoreArrays.recorded(run);
    }

    /** The provenance of a report on this run written now: the store, the model and its SHA-256 now, and the job's settings. */
    public Provenance provenance(String format, int version, Map<String, Object> settings) {
        return Provenance.now(format, version, storeDir, run.model(), modelSha256, settings);
    }

    /**
     * The start of every report on this run: {@code provenance}'s header, then the fields version-1
     * reports began with (kept for readers of those): workbench version, store, attributions,
     * model (and its SHA-256) and data.
     */
    public ObjectNode reportHeader(ObjectMapper json, Provenance provenance, Path attributionsDir) {
        ObjectNode r = provenance.startReport(json);
        r.put("workbench_version", provenance.workbenchVersion());
        r.put("store", provenance.store());
        r.put("attributions", attributionsDir.toAbsolutePath().normalize().toString());
        r.put("model", provenance.model());
        r.put("model_sha256", provenance.modelSha256());
        r.put("data", data.description());
        return r;
    }
}
