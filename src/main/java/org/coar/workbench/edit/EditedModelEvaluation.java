package org.coar.workbench.edit;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.Devices;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.ReplicaPool;
import org.coar.workbench.store.StoredRun;

/**
 * Evaluates a saved edited model (the TorchScript file an edit wrote) on every evaluation example of
 * the store, next to the store's own model: accuracy (margin > 0) and mean margin overall and per
 * label, so a researcher sees which classes an edit cost or gained. The edited file is run as it is
 * loaded, nothing ablated, so this checks the file itself rather than the edit in memory.
 */
public final class EditedModelEvaluation {
    /** {@code outDir}'s table of the evaluation, per label then all examples. */
    public static final String BY_LABEL_CSV = "edited-model-by-label.csv";

    /** Accuracy and mean margin of the examples with one label (or all, {@code label} null), before and after. */
    public record LabelRow(Integer label, EditResult.SubsetMetrics before, EditResult.SubsetMetrics after) {
    }

    /**
     * @param byLabel one row per label, in label order, then one for all examples
     */
    public record Result(Path editedModel, float[] marginsBefore, float[] marginsAfter, List<LabelRow> byLabel, Path table) {
        public LabelRow all() {
            return byLabel.getLast();
        }
    }

    /**
     * @param outDir where {@value #BY_LABEL_CSV} goes (the edit's folder)
     */
    public Result evaluate(Path storeDir, Path editedModel, Path outDir, List<String> devices, int cpuWorkers, int batchSize,
                           Consumer<Progress> listener, Cancellation cancel) {
        Consumer<Progress> progress = Progress.serialised(listener);
        if (editedModel == null || !Files.isRegularFile(editedModel)) {
            throw new WorkbenchException((editedModel == null ? "The edit" : editedModel.toString()) + ": no saved edited model to "
                    + "evaluate; run the edit with \"Save the edited model\" ticked (coar edit --save EDITED.pt)");
        }
        StoredRun stored = StoredRun.open(storeDir);
        Components components = stored.components();
        List<Device> workers = Devices.workers(devices, cpuWorkers);
        Devices.checkAutocast(stored.run().usesAutocast(), workers);
        float[] before = margins(Path.of(stored.run().model()), "the store's model", stored, components, workers, batchSize, progress, cancel);
        float[] after = margins(editedModel, "the edited model " + editedModel.getFileName(), stored, components, workers, batchSize,
                progress, cancel);
        List<LabelRow> rows = byLabel(stored.data().labels(), before, after);
        Path table = outDir.resolve(BY_LABEL_CSV);
        try {
            Files.createDirectories(outDir);
            AtomicFiles.replace(table, temp -> Files.writeString(temp, csv(editedModel, rows)));
        } catch (IOException e) {
            throw new WorkbenchException(table + ": cannot write the evaluation (" + e.getMessage() + ")", e);
        }
        return new Result(editedModel, before, after, rows, table);
    }

    private static float[] margins(Path model, String what, StoredRun stored, Components components, List<Device> workers, int batchSize,
                                   Consumer<Progress> progress, Cancellation cancel) {
        String stage = "running " + what + " on " + stored.data().size() + " examples";
        progress.accept(new Progress(stage, 0, 1, "models"));
        boolean[] keep = new boolean[components.total()];
        Arrays.fill(keep, true);
        try (ReplicaPool pool = ReplicaPool.loaded(model, workers, components, stored.data(), batchSize, OutputFunction.MARGIN,
                stored.run().modelOutput(), stored.run().usesAutocast())) {
            AblatedEvaluator.Result[] result = pool.evaluate(1, i -> keep, (i, r) -> { }, cancel);
            progress.accept(new Progress(stage, 1, 1, "models"));
            return result[0].outputs();
        }
    }

    /** Per label (ascending), then all examples. */
    static List<LabelRow> byLabel(int[] labels, float[] before, float[] after) {
        TreeMap<Integer, List<Integer>> examples = new TreeMap<>();
        for (int j = 0; j < labels.length; j++) {
            examples.computeIfAbsent(labels[j], l -> new ArrayList<>()).add(j);
        }
        List<LabelRow> rows = new ArrayList<>();
        examples.forEach((label, of) -> {
            int[] subset = of.stream().mapToInt(Integer::intValue).toArray();
            rows.add(new LabelRow(label, EditResult.SubsetMetrics.of(before, subset), EditResult.SubsetMetrics.of(after, subset)));
        });
        int[] all = new int[labels.length];
        Arrays.setAll(all, j -> j);
        rows.add(new LabelRow(null, EditResult.SubsetMetrics.of(before, all), EditResult.SubsetMetrics.of(after, all)));
        return rows;
    }

    private static String csv(Path model, List<LabelRow> rows) {
        StringBuilder csv = new StringBuilder("# edited model: " + model.toAbsolutePath().normalize() + "\n"
                + "label,examples,accuracy_before,accuracy_after,mean_margin_before,mean_margin_after\n");
        for (LabelRow row : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.6f%n", row.label() == null ? "all" : row.label(),
                    row.before().examples(), row.before().accuracy(), row.after().accuracy(), row.before().meanMargin(),
                    row.after().meanMargin()));
        }
        return csv.toString();
    }
}
