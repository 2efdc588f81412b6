package org.coar.workbench.attributions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.store.RunConfig;

/**
 * What attributions were fitted on, as their report.json records it under {@code store}: the store
 * directory, when its run.json was first recorded ({@code run_created}: the store's identity, which
 * survives moving or copying the store), and the SHA-256 of the model whose rows they fit.
 * Evaluation and editing refuse attributions of another store or model of the same shape, whose
 * scores would describe other rows, unless forced.
 *
 * @param storeDir    absolute store directory
 * @param runCreated  run.json's {@code created}, or null (a store without run.json)
 * @param modelSha256 the model's SHA-256 from run.json, or null
 */
public record FittedOn(String storeDir, String runCreated, String modelSha256) {

    /** The store in {@code storeDir} as it is now. */
    public static FittedOn of(Path storeDir) {
        RunConfig run = RunConfig.exists(storeDir) ? RunConfig.read(storeDir) : null;
        return new FittedOn(storeDir.toAbsolutePath().normalize().toString(), run == null ? null : run.created(),
                run == null ? null : run.modelSha256());
    }

    /** Adds {@code run_created} and {@code model_sha256} to report.json's {@code store} section (which names the dir). */
    public void putInto(ObjectNode store) {
        store.put("dir", storeDir);
        if (runCreated != null) {
            store.put("run_created", runCreated);
        }
        if (modelSha256 != null) {
            store.put("model_sha256", modelSha256);
        }
    }

    /** What report.json records, or null when it records no store (no report, or one from elsewhere). */
    public static FittedOn from(JsonNode report) {
        JsonNode store = report == null ? null : report.get("store");
        if (store == null || !store.path("dir").isTextual()) {
            return null;
        }
        return new FittedOn(store.get("dir").asText(), text(store, "run_created"), text(store, "model_sha256"));
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.get(field).asText() : null;
    }

    /**
     * Checks that {@code attributions} were fitted on {@code now}; refuses a mismatch naming both
     * stores and models unless {@code force}. Returns what the report of the evaluation or edit
     * should record: that they matched, could not be checked, or were forced despite a mismatch.
     */
    public static String check(Attributions attributions, FittedOn now, boolean force) {
        FittedOn fitted = from(attributions.report());
        if (fitted == null) {
            return "not checked: " + attributions.dir().resolve(Attributions.REPORT) + " records no store";
        }
        List<String> mismatches = new ArrayList<>();
        boolean sameStore = fitted.runCreated != null && now.runCreated != null
                ? fitted.runCreated.equals(now.runCreated)
                : samePath(fitted.storeDir, now.storeDir);
        if (!sameStore) {
            mismatches.add("the store " + fitted.storeDir + (fitted.runCreated == null ? "" : " (first built " + fitted.runCreated + ")")
                    + ", not " + now.storeDir + (now.runCreated == null ? "" : " (first built " + now.runCreated + ")"));
        }
        if (fitted.modelSha256 != null && now.modelSha256 != null && !fitted.modelSha256.equals(now.modelSha256)) {
            mismatches.add("the model with SHA-256 " + fitted.modelSha256 + ", not " + now.modelSha256);
        }
        if (mismatches.isEmpty()) {
            return "same store and model as the fit";
        }
        String what = attributions.dir() + ": these attributions were fitted on " + String.join(", and on ", mismatches);
        if (force) {
            return "FORCED (--force-attributions) despite a mismatch: " + what;
        }
        throw new WorkbenchException(what + "; their scores describe other rows. Fit attributions on this store with "
                + "'coar fit --store " + now.storeDir + "', or pass --force-attributions to use these anyway (the report records it)");
    }

    private static boolean samePath(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            Path pa = Path.of(a);
            Path pb = Path.of(b);
            return Files.exists(pa) && Files.exists(pb) && Files.isSameFile(pa, pb);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
