package org.coar.workbench.edit;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.coar.workbench.attributions.FittedOn;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.attributions.Attributions;
import org.coar.workbench.job.Cancellation;
import org.coar.workbench.job.Progress;
import org.coar.workbench.store.StoredRun;
import org.coar.workbench.model.AblatedEvaluator;
import org.coar.workbench.model.Ablator;
import org.coar.workbench.model.BatchSize;
import org.coar.workbench.model.Components;
import org.coar.workbench.model.Devices;
import org.coar.workbench.model.OutputFunction;
import org.coar.workbench.model.ReplicaPool;
import org.coar.workbench.model.TorchModel;

/**
 * COAR-Edit (Section 5 of the paper; the reference {@code coar_edit.py}): rank components by the
 * Welch t-statistic between target and reference attributions, ablate the k best, and measure
 * accuracy and mean margin of the target, the reference and all evaluation examples before and
 * after; optionally sweep k and save the edited model as TorchScript.
 * <p>
 * Margins are measured whatever output the store records, since accuracy and margin are what an
 * edit is judged by; accuracy counts margin > 0, as the reference does.
 */
public final class EditService {
    /**
     * Runs the edit; a cancel ends it with {@link org.coar.workbench.job.JobCancelledException}, nothing written or saved.
     * {@code listener} hears progress one event at a time.
     */
    public EditResult edit(EditRequest request, Consumer<Progress> listener, Cancellation cancel) {
        Consumer<Progress> progress = Progress.serialised(listener);
        if (request.batchSize() < 0) {
            throw new WorkbenchException("--batch-size must be at least 1 (or auto), got " + request.batchSize());
        }
        StoredRun stored = StoredRun.open(request.storeDir());
        Components components = stored.components();
        int p = components.total();
        int m = stored.data().size();
        boolean explicit = request.mode() == EditMode.EXPLICIT;
        if (explicit) {
            checkComponents(request.components(), components);
            if (request.sweepMax() != null) {
                throw new WorkbenchException("--sweep ranks the components by score, so it does not go with --components (an explicit set); "
                        + "drop one of them");
            }
        } else if (request.k() < 1 || request.k() > p) {
            throw new WorkbenchException("--k " + request.k() + ": choose between 1 and " + p + " (the number of components)");
        }
        if (request.sweepMax() != null && (request.sweepMax() < 1 || request.sweepMax() > p)) {
            throw new WorkbenchException("--sweep " + request.sweepMax() + ": choose between 1 and " + p + " (the number of components)");
        }
        boolean hasTarget = !(explicit && (request.target() == null || request.target().isBlank()));
        if (hasTarget) {
            ExampleSet.check("--target", request.target(), stored.data().labels(), false);
        }
        ExampleSet.check("--reference", request.reference(), stored.data().labels(), true);
        try (Attributions attributions = Attributions.load(request.attributionsDir())) {
            attributions.checkMatches(request.storeDir(), p, m);
            String provenance = FittedOn.check(attributions, FittedOn.of(request.storeDir()), request.forceAttributions());
            List<Device> workers = Devices.workers(request.devices(), request.cpuWorkers());
            Path modelFile = Path.of(stored.run().model());
            progress.accept(new Progress("loading " + workers.size() + " model replicas", 0, workers.size(), "replicas"));
            Devices.checkAutocast(stored.run().usesAutocast(), workers);
            try (ReplicaPool pool = ReplicaPool.loaded(modelFile, workers, components, stored.data(), request.batchSize(),
                    OutputFunction.MARGIN, stored.run().modelOutput(), stored.run().usesAutocast())) {
                float[] marginsBefore = margins(pool, allKept(p), "unedited model", progress, cancel);
                int[] target = hasTarget ? ExampleSet.parse("--target", request.target(), stored.data().labels(), marginsBefore, null)
                        : new int[0];
                int[] reference = ExampleSet.parse("--reference", request.reference(), stored.data().labels(), marginsBefore, target);
                progress.accept(new Progress("scoring components", 0, 1, "steps"));
                ComponentRanking.Scores scores = target.length == 0 ? null : ComponentRanking.welchT(attributions.rawScores(target),
                        attributions.rawScores(reference));
                int maxK = Math.max(request.k(), request.sweepMax() == null ? 0 : request.sweepMax());
                int[] ranked = explicit ? request.components().stream().mapToInt(Integer::intValue).toArray()
                        : ComponentRanking.select(scores, maxK, request.mode());
                int[] chosen = Arrays.copyOf(ranked, request.k());
                progress.accept(new Progress("scoring components", 1, 1, "steps"));

                float[] marginsAfter = margins(pool, keepAllBut(p, chosen, chosen.length), "edited model", progress, cancel);
                List<EditResult.SweepRow> sweep = new ArrayList<>();
                if (request.sweepMax() != null) {
                    sweep = sweep(pool, p, ranked, request.sweepMax(), target, reference, progress, cancel);
                }
                List<EditResult.AblatedComponent> ablated = new ArrayList<>();
                for (int c : chosen) {
                    ablated.add(new EditResult.AblatedComponent(c, components.label(c), scores == null ? Double.NaN : scores.t()[c]));
                }
                int[] all = range(m);
                EditResult.Metrics before = metrics(marginsBefore, target, reference, all);
                EditResult.Metrics after = metrics(marginsAfter, target, reference, all);

                double reloadDifference = Double.NaN;
                if (request.save() != null) {
                    progress.accept(new Progress("saving the edited model", 0, 1, "files"));
                    // saved from a CPU replica: a file with CUDA tensors would not load on a machine without a GPU
                    reloadDifference = save(modelFile, Device.cpu(), components, stored, keepAllBut(p, chosen, chosen.length),
                            request.save(), marginsAfter, request.batchSize());
                    progress.accept(new Progress("saving the edited model", 1, 1, "files"));
                }
                createDirectories(request.outDir());
                List<Path> figures = new ArrayList<>();
                if (!sweep.isEmpty()) {
                    figures.add(EditFigures.sweep(request.outDir().resolve(EditFiles.SWEEP_PNG), before, sweep, request.mode(), target.length,
                            reference.length));
                }
                Path report = request.outDir().resolve(EditFiles.REPORT);
                EditResult result = new EditResult(target, reference, request.mode(), ablated, before, after, sweep,
                        request.save(), reloadDifference, report, figures, marginsBefore, marginsAfter);
                EditFiles.write(request.outDir(), request, stored, attributions, result, workers, provenance);
                return result;
            }
        }
    }

    /** An explicit set: at least one component, each a mask index of this model, none twice. */
    static void checkComponents(List<Integer> chosen, Components components) {
        int p = components.total();
        if (chosen.isEmpty()) {
            throw new WorkbenchException("--components: list at least one component (mask indices 0.." + (p - 1) + "), e.g. 3,17,40");
        }
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int c : chosen) {
            if (c < 0 || c >= p) {
                throw new WorkbenchException("--components: component " + c + " is out of range; the model has " + p
                        + " components (mask indices 0.." + (p - 1) + ")");
            }
            if (!seen.add(c)) {
                throw new WorkbenchException("--components: component " + c + " (" + components.label(c) + ") is listed twice; list each once");
            }
        }
    }

    private static boolean[] allKept(int p) {
        boolean[] keep = new boolean[p];
        Arrays.fill(keep, true);
        return keep;
    }

    /** Every component kept except the first {@code count} of {@code ranked}. */
    static boolean[] keepAllBut(int p, int[] ranked, int count) {
        boolean[] keep = allKept(p);
        for (int i = 0; i < count; i++) {
            keep[ranked[i]] = false;
        }
        return keep;
    }

    private static int[] range(int m) {
        int[] all = new int[m];
        for (int j = 0; j < m; j++) {
            all[j] = j;
        }
        return all;
    }

    private static float[] margins(ReplicaPool pool, boolean[] keep, String what, Consumer<Progress> progress,
                                   Cancellation cancel) {
        progress.accept(new Progress("running the " + what, 0, 1, "models"));
        AblatedEvaluator.Result[] result = pool.evaluate(1, i -> keep, (i, r) -> { }, cancel);
        progress.accept(new Progress("running the " + what, 1, 1, "models"));
        return result[0].outputs();
    }

    private static EditResult.Metrics metrics(float[] margins, int[] target, int[] reference, int[] all) {
        return new EditResult.Metrics(EditResult.SubsetMetrics.of(margins, target), EditResult.SubsetMetrics.of(margins, reference),
                EditResult.SubsetMetrics.of(margins, all));
    }

    private static List<EditResult.SweepRow> sweep(ReplicaPool pool, int p, int[] ranked, int sweepMax, int[] target, int[] reference,
                                                   Consumer<Progress> progress, Cancellation cancel) {
        AtomicLong done = new AtomicLong();
        String stage = "sweep over k = 1.." + sweepMax;
        progress.accept(new Progress(stage, 0, sweepMax, "models"));
        AblatedEvaluator.Result[] results = pool.evaluate(sweepMax, i -> keepAllBut(p, ranked, i + 1),
                (i, r) -> progress.accept(new Progress(stage, done.incrementAndGet(), sweepMax, "models")), cancel);
        int[] all = range(results[0].outputs().length);
        List<EditResult.SweepRow> rows = new ArrayList<>();
        for (int i = 0; i < sweepMax; i++) {
            rows.add(new EditResult.SweepRow(i + 1, metrics(results[i].outputs(), target, reference, all)));
        }
        return rows;
    }

    /**
     * Writes the edited model as TorchScript, reloads the file and returns the largest difference
     * between its margins and the edited model's, so a file that does not reproduce the edit is
     * never reported as saved.
     */
    private static double save(Path modelFile, Device device, Components components, StoredRun stored, boolean[] keep, Path target,
                               float[] marginsAfter, int batchSize) {
        try (TorchModel model = TorchModel.load(modelFile, device).selectOutput(stored.run().modelOutput());
             Ablator ablator = new Ablator(model, components)) {
            ablator.ablate(keep);
            model.saveTorchScript(target);
        }
        double worst = 0;
        try (TorchModel reloaded = TorchModel.load(target, device).selectOutput(stored.run().modelOutput());
             AblatedEvaluator evaluator = new AblatedEvaluator(reloaded, components, stored.data(),
                     BatchSize.choose(batchSize, reloaded, stored.data()), OutputFunction.MARGIN, stored.run().usesAutocast())) {
            float[] margins = evaluator.evaluate(allKept(components.total()), () -> false).outputs();
            for (int j = 0; j < margins.length; j++) {
                worst = Math.max(worst, Math.abs(margins[j] - marginsAfter[j]));
            }
        }
        if (!(worst <= 1e-3)) {
            throw new WorkbenchException(target + ": the saved model, reloaded, gives margins up to " + worst + " away from the "
                    + "edited model's; the file does not reproduce the edit. Please report this");
        }
        return worst;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new WorkbenchException(dir + ": cannot create the output directory (" + e.getMessage() + "); choose a writable --out", e);
        }
    }

    /** The ablation as a PyTorch snippet that redoes it on the original model. */
    static String pytorchRecipe(Components components, List<EditResult.AblatedComponent> ablated, String modelFile) {
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        for (EditResult.AblatedComponent c : ablated) {
            int g = components.groupOf(c.index());
            byGroup.computeIfAbsent(components.groups().get(g).name(), k -> new ArrayList<>())
                    .add((int) (c.index() - components.start(g)));
        }
        StringBuilder py = new StringBuilder("m = torch.jit.load(\"" + modelFile + "\"); p = dict(m.named_parameters()); ");
        py.append("ablate = {");
        List<String> entries = new ArrayList<>();
        byGroup.forEach((name, slices) -> entries.add("\"" + name + "\": " + slices));
        py.append(String.join(", ", entries)).append("}; ");
        py.append("[p[n].data[i].zero_() for n, idx in ablate.items() for i in idx]");
        return py.toString();
    }
}
