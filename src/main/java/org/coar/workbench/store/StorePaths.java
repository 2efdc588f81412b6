package org.coar.workbench.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.DataSpec;

/**
 * Where a path that a store recorded (run.json's model and data files) is now, after the store was
 * moved or copied: the one rule the command line and the window share.
 *
 * <p>A recorded path that exists is used as it is. Otherwise the same trailing part of it is looked
 * for under the store's current directory and beside it (in its parent), longest part first: a
 * model recorded as {@code /old/project/models/net.pt} for a store {@code /old/project/store} is
 * found as {@code /new/project/models/net.pt} once the project was copied to {@code /new/project},
 * and as {@code /new/store/net.pt} when it was kept inside the store. A relative recorded path is
 * first taken relative to the store. When nothing matches, the recorded path is kept, so messages
 * name what run.json says.
 */
public final class StorePaths {
    private StorePaths() {
    }

    /** {@code recorded} (a file or folder) as it is now for the store in {@code storeDir}; null stays null. */
    public static String resolve(Path storeDir, String recorded) {
        return resolve(storeDir, recorded, Files::exists);
    }

    /**
     * The model file for the store in {@code storeDir}: the recorded file, or a moved copy of it. Where
     * run.json records the model's SHA-256, only a file with that digest counts as a moved copy, so a
     * different model that happens to carry the same name beside the store is never taken for it.
     */
    public static String resolveModel(Path storeDir, String recorded, String sha256) {
        return resolve(storeDir, recorded, file -> Files.isRegularFile(file) && (sha256 == null || sha256.equals(RunConfig.sha256(file))));
    }

    /** {@code run} with its model and data paths resolved for the store in {@code storeDir}. */
    public static RunConfig resolve(Path storeDir, RunConfig run) {
        RunConfig.Builder resolved = run.toBuilder();
        if (run.model() != null && !Files.exists(Path.of(run.model()))) {
            resolved.optModel(resolveModel(storeDir, run.model(), run.modelSha256()));
        }
        DataSpec data = run.data();
        if (data != null) {
            DataSpec.Builder d = data.toBuilder();
            if (data.path() != null) {
                d.setPath(resolve(storeDir, data.path()));
            }
            d.optLabels(resolve(storeDir, data.labels())).optAttentionMask(resolve(storeDir, data.attentionMask()));
            resolved.optData(d.build());
        }
        return resolved.build();
    }

    /** How many hex digits of a SHA-256 a message shows: enough to tell two models apart at a glance. */
    public static final int SHORT_SHA = 12;

    /**
     * Checks that {@code candidate}, chosen by the user for a store whose model file is missing, is the
     * model the store's rows were made with: its SHA-256 must equal run.json's {@code model_sha256}.
     * Refuses another model with both digests (first {@value #SHORT_SHA} hex digits), and a run.json
     * that records no digest, since then nothing can tell the right file from a wrong one.
     */
    public static void checkLocatedModel(Path storeDir, Path candidate) {
        RunConfig run = RunConfig.readAsRecorded(storeDir);
        if (run.modelSha256() == null) {
            throw new WorkbenchException(storeDir.resolve(RunConfig.FILE) + " records no model_sha256, so " + candidate.getFileName()
                    + " cannot be checked against the model the rows were made with; restore the model at " + run.model()
                    + ", or resume the build once with the original file to record its digest");
        }
        if (!Files.isRegularFile(candidate)) {
            throw new WorkbenchException(candidate + ": no such file");
        }
        String sha = RunConfig.sha256(candidate);
        if (!sha.equals(run.modelSha256())) {
            throw new WorkbenchException(candidate + " is a different model from the one this store's rows were made with: expected SHA-256 "
                    + run.modelSha256().substring(0, SHORT_SHA) + "…, got " + sha.substring(0, SHORT_SHA) + "…. Choose the file "
                    + Path.of(run.model()).getFileName() + " the store was built with");
        }
    }

    /** Records {@code model} (checked by {@link #checkLocatedModel}) as the store's model in run.json, everything else as written. */
    public static void recordModel(Path storeDir, Path model) {
        checkLocatedModel(storeDir, model);
        RunConfig.readAsRecorded(storeDir).toBuilder().optModel(model.toAbsolutePath().normalize().toString()).build().write(storeDir);
    }

    private static String resolve(Path storeDir, String recorded, Predicate<Path> found) {
        if (recorded == null) {
            return null;
        }
        Path path = Path.of(recorded);
        if (Files.exists(path)) {
            return recorded;
        }
        for (Path candidate : candidates(storeDir.toAbsolutePath().normalize(), path)) {
            if (found.test(candidate)) {
                return candidate.toString();
            }
        }
        return recorded;
    }

    /** Where a moved {@code recorded} may be now, most specific first. */
    static List<Path> candidates(Path storeDir, Path recorded) {
        List<Path> candidates = new ArrayList<>();
        if (!recorded.isAbsolute()) {
            candidates.add(storeDir.resolve(recorded).normalize());
        }
        Path parent = storeDir.getParent();
        int names = recorded.getNameCount();
        for (int length = names; length >= 1; length--) {
            Path tail = recorded.subpath(names - length, names);
            candidates.add(storeDir.resolve(tail));
            if (parent != null) {
                candidates.add(parent.resolve(tail));
            }
        }
        return candidates;
    }
}
