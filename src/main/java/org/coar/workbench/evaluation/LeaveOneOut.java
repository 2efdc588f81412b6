package org.coar.workbench.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.coar.workbench.Version;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.ReplicaPool;
import org.coar.workbench.model.ComponentGroup;
import org.coar.workbench.npy.Dtype;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.spec.ArraySpec;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.store.Store;

/**
 * The leave-one-out baseline: the score of component c on example j is the unablated output
 * minus the output with c alone ablated, i.e. the effect of keeping c. That takes one model run
 * per component, so the runs are cached beside the store in {@code STORE/loo/}: a small store of
 * its own (row c = outputs with component c ablated, {@code _completed} per row, so an
 * interrupted computation resumes) plus {@code loo.json}, which records the model, data, output
 * function and components the rows belong to. A cache that belongs to anything else is rebuilt.
 */
public final class LeaveOneOut {
    public static final String METHOD = "leave-one-out";
    public static final String DIR = "loo";
    public static final String KEY_FILE = "loo.json";
    private static final String OUTPUTS = "outputs";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** What the cached rows were computed from; a cache is reused only for an equal key. */
    public record CacheKey(String modelSha256, DataSpec data, String output, List<ComponentGroup> components, int examples) {
    }

    /** The scores, and how many rows came from the cache. */
    public record Outcome(ComponentScores scores, int cachedRows, int computedRows, Path cacheDir) {
    }

    private LeaveOneOut() {
    }

    /**
     * Scores for every component; rows missing from the cache are computed on {@code pool}.
     * A cancel ends it with {@link org.coar.workbench.job.JobCancelledException}; the rows finished so far stay cached.
     *
     * @param fullOutputs outputs of the unablated model
     */
    public static Outcome compute(Path storeDir, CacheKey key, ReplicaPool pool, float[] fullOutputs,
                                  Consumer<Progress> progress, Cancellation cancel) {
        int p = key.components().stream().mapToInt(g -> Math.toIntExact(g.size())).sum();
        int m = key.examples();
        Path dir = storeDir.resolve(DIR);
        Store cache = openCache(dir, key, p, m);
        try {
            float[][] outputs = new float[p][];
            List<Integer> missing = new ArrayList<>();
            for (int c = 0; c < p; c++) {
                if (cache != null && cache.isCompleted(c)) {
                    outputs[c] = cache.array(OUTPUTS).readRow(c);
                } else {
                    missing.add(c);
                }
            }
            int cached = p - missing.size();
            AtomicLong done = new AtomicLong(cached);
            progress.accept(new Progress(METHOD, cached, p, "models"));
            Store writeTo = cache;
            AblatedEvaluator.Result[] results = pool.evaluate(missing.size(), i -> singleAblation(p, missing.get(i)), (i, result) -> {
                if (writeTo != null) {
                    // each row is kept as soon as it exists, so an interrupted run resumes
                    writeTo.writeRow(missing.get(i), Map.of(OUTPUTS, result.outputs()));
                }
                progress.accept(new Progress(METHOD, done.incrementAndGet(), p, "models"));
            }, cancel);
            for (int i = 0; i < missing.size(); i++) {
                outputs[missing.get(i)] = results[i].outputs();
            }
            float[][] scores = new float[p][m];
            for (int c = 0; c < p; c++) {
                for (int j = 0; j < m; j++) {
                    scores[c][j] = fullOutputs[j] - outputs[c][j];
                }
            }
            return new Outcome(new ComponentScores(METHOD, scores, fullOutputs.clone()), cached, missing.size(),
                    cache == null ? null : dir);
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
    }

    static boolean[] singleAblation(int components, int ablated) {
        boolean[] keep = new boolean[components];
        java.util.Arrays.fill(keep, true);
        keep[ablated] = false;
        return keep;
    }

    /** The cache for {@code key}, made afresh when absent or stale; null when the store directory is not writable. */
    private static Store openCache(Path dir, CacheKey key, int p, int m) {
        Path keyFile = dir.resolve(KEY_FILE);
        JsonNode wanted;
        try {
            // through text, so numbers compare as parsed (an int and a long node of equal value differ)
            wanted = JSON.readTree(JSON.writeValueAsString(key));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            if (Files.isRegularFile(keyFile) && JSON.readTree(keyFile.toFile()).path("key").equals(wanted)) {
                Store store = Store.open(dir, true);
                NpyArray outputs = store.arrayNames().contains(OUTPUTS) ? store.array(OUTPUTS) : null;
                if (outputs != null && store.numModels() == p && outputs.rowLength() == m) {
                    return store;
                }
                store.close();
            }
        } catch (IOException | WorkbenchException e) {
            // unreadable or broken: rebuilt below
        }
        try {
            if (Files.isDirectory(dir)) {
                for (String name : List.of(KEY_FILE, OUTPUTS + ".npy", Store.COMPLETED_FILE)) {
                    Files.deleteIfExists(dir.resolve(name));
                }
            }
            Map<String, ArraySpec> schema = new LinkedHashMap<>();
            schema.put(OUTPUTS, new ArraySpec(Dtype.FLOAT32, List.of((long) m)));
            Store.create(dir, new StoreSpec(p, schema));
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("what", "row c = outputs of the model with component c alone ablated; leave-one-out score = "
                    + "unablated output - row c");
            record.put("workbench_version", Version.workbench());
            record.put("key", wanted);
            JSON.writeValue(keyFile.toFile(), record);
            return Store.open(dir, true);
        } catch (IOException | WorkbenchException e) {
            return null; // not writable: computed without a cache
        }
    }
}
