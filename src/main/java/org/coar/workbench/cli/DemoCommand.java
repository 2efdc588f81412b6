package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.build.BuildRequest;
import org.coar.workbench.build.BuildResult;
import org.coar.workbench.build.BuildService;
import org.coar.workbench.build.RunConfig;
import org.coar.workbench.demo.DemoProject;
import org.coar.workbench.edit.EditMode;
import org.coar.workbench.edit.EditRequest;
import org.coar.workbench.edit.EditService;
import org.coar.workbench.edit.FixSearch;
import org.coar.workbench.evaluation.EvaluationRequest;
import org.coar.workbench.evaluation.EvaluationResult;
import org.coar.workbench.evaluation.EvaluationService;
import org.coar.workbench.fit.FitConfig;
import org.coar.workbench.fit.FitRequest;
import org.coar.workbench.fit.FitResult;
import org.coar.workbench.fit.FitService;
import org.coar.workbench.ui.WorkbenchApp;
import org.coar.workbench.ui.main.Panel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The whole workflow on the bundled demo: a Fashion-MNIST CNN with 240 components and 1,000 test images.",
            "Unpacks it into --dir, initialises a store (2,000 models, alpha 0.05), builds it on the local devices, fits",
            "attributions, evaluates them against fresh ablations and the baselines, and edits the model to fix a misclassified",
            "example. Running it again resumes: finished stages are kept. Then, where there is a display, the workbench window",
            "opens on the results (--no-gui: do not open it)."})
final class DemoCommand implements Callable<Integer> {
    /** The demo's edit: fix a misclassified example (bottom-k of the Welch t ranking, the components that push it wrong). */
    private static final int EDIT_K = 5;
    private static final int EDIT_CANDIDATES = 5;
    private static final int EDIT_MAX_K = 20;
    /** Accuracy the other examples may lose: one point. */
    private static final double EDIT_MAX_REFERENCE_DROP = 0.01;

    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "coar-demo", description = "Project directory (default: ./${DEFAULT-VALUE}).")
    private Path dir;

    @Option(names = "--models", paramLabel = "N", defaultValue = "" + DemoProject.DEFAULT_MODELS,
            description = "Ablated models (store rows) of a new demo store (default ${DEFAULT-VALUE}).")
    private int models;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + EvaluationRequest.DEFAULT_RUNS,
            description = "Fresh ablated models per alpha in the evaluation (default ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--devices", paramLabel = "LIST", split = ",", description = "Devices, e.g. cpu or cuda:0 (default: every GPU, else the CPU).")
    private List<String> devices = List.of();

    @Option(names = "--no-gui", description = "Do not open the workbench window at the end, even where there is a display.")
    private boolean noGui;

    @Override
    public Integer call() {
        if (models <= 0 || runs <= 1) {
            throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "--models must be at least 1 and --runs at least 2");
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        DemoProject demo = new DemoProject(dir);
        boolean fresh = demo.prepare(models);
        out.printf("%s demo store in %s%n", fresh ? "Initialised a new" : "Resuming the", demo.store());

        BuildService builds = new BuildService();
        RunConfig run = builds.resolveRun(demo.store(), demo.run());
        BuildRequest request = new BuildRequest(demo.store(), run, devices, 0, null, null, null, 100, false, Duration.ofHours(1));
        BuildResult built = BuildCommand.runWithProgress(builds, request, err);
        out.printf("Build: %d rows built in %s; %d / %d rows completed.%n", built.rowsBuilt(), ProgressBar.formatDuration(built.elapsed()),
                built.rowsCompletedInPlan(), built.rowsInPlan());
        if (built.rowsCompletedInPlan() < built.rowsInPlan()) {
            out.printf("The store is not complete; run 'coar demo --dir %s' again to resume, then it fits and evaluates.%n", dir);
            return built.cancelled() ? 1 : 0;
        }

        Path attributions = demo.dir().resolve(org.coar.workbench.attributions.Attributions.DEFAULT_DIR);
        FitResult fit = null;
        if (!Files.exists(attributions.resolve("weight.npy"))) {
            fit = Interruptible.run(err, "nothing is written", cancel -> new FitService().fit(
                    new FitRequest(demo.store(), attributions, FitConfig.defaults()), new FitCommand.ProgressLine(err), cancel));
            if (fit == null) {
                return 1;
            }
        }
        EvaluationResult evaluation = null;
        EvaluationRequest evaluationRequest = new EvaluationRequest(demo.store(), attributions, attributions.resolve(EvaluationRequest.DEFAULT_OUT),
                EvaluationRequest.DEFAULT_ALPHAS, runs, null, EvaluationRequest.defaults(demo.store(), attributions).baselines(), devices, 0, 100, null);
        if (!Files.exists(evaluationRequest.outDir().resolve(EvaluationService.REPORT))) {
            StageProgressBar bar = new StageProgressBar(err, System.console() != null);
            evaluation = Interruptible.run(err, "the leave-one-out rows computed so far stay cached",
                    cancel -> new EvaluationService().evaluate(evaluationRequest, bar::update, cancel));
            if (evaluation == null) {
                return 1;
            }
        }
        FixSearch.Found edit = null;
        Path editDir = attributions.resolve(EditRequest.DEFAULT_OUT);
        if (!Files.exists(editDir.resolve(EditService.REPORT))) {
            EditRequest template = new EditRequest(demo.store(), attributions, "0", "rest", EDIT_K, EditMode.BOTTOMK, null,
                    demo.dir().resolve("edited.pt"), editDir, devices, 0, 100);
            StageProgressBar bar = new StageProgressBar(err, System.console() != null);
            float[] margins = demo.cleanMargins();
            edit = Interruptible.run(err, "nothing is saved", cancel -> new FixSearch().search(template, margins, EDIT_CANDIDATES,
                    EDIT_MAX_K, EDIT_MAX_REFERENCE_DROP, bar::update, cancel));
            if (edit == null) {
                return 1;
            }
        }
        printSummary(out, demo, attributions, fit, evaluation, edit);
        if (!noGui && GuiCommand.hasDisplay()) {
            out.println("Opening the workbench window on the demo (close it to finish; --no-gui skips this)...");
            out.flush();
            try {
                WorkbenchApp.launch(demo.store(), Panel.ATTRIBUTIONS);
            } catch (WorkbenchException e) {
                // The demo's work is done and on disk; only the window could not open.
                err.println("warning: " + e.getMessage());
            }
        }
        return 0;
    }

    private static void printSummary(PrintWriter out, DemoProject demo, Path attributions, FitResult fit, EvaluationResult evaluation,
                                     FixSearch.Found edit) {
        out.println();
        out.println("== COAR demo summary ==");
        if (fit != null) {
            out.printf(Locale.ROOT, "Fit: %s, %d examples x %d components, median validation R^2 %.3f%n",
                    fit.solver().name().toLowerCase(Locale.ROOT), fit.examples(), fit.components(), fit.medianValidationR2());
        }
        if (evaluation != null) {
            out.println(evaluation.table());
        }
        if (edit != null) {
            out.printf(Locale.ROOT, "Edit: %s example %d by ablating %d component%s (others may lose at most %.0f point of accuracy):%n",
                    edit.fixed() ? "fixed misclassified" : "could not fix any of " + EDIT_CANDIDATES + " misclassified examples; best try on",
                    edit.example(), edit.k(), edit.k() == 1 ? "" : "s", 100 * EDIT_MAX_REFERENCE_DROP);
            out.println(edit.edit().table());
        }
        if (fit == null || evaluation == null || edit == null) {
            out.println("(stages finished in an earlier run were kept; their reports are listed below)");
        }
        out.printf("  inputs        %s (model, evaluation images, licence)%n", demo.model().getParent());
        out.printf("  store         %s%n", demo.store());
        out.printf("  attributions  %s (weight.npy, raw_weight.npy, ..., report.json)%n", attributions);
        out.printf("  evaluation    %s (report.json, figures)%n", attributions.resolve(EvaluationRequest.DEFAULT_OUT));
        out.printf("  edit          %s (report.json, sweep.csv, sweep.png); edited model %s%n", attributions.resolve(EditRequest.DEFAULT_OUT),
                demo.dir().resolve("edited.pt"));
        out.printf("Browse it in the window with '%s gui %s'.%n", org.coar.workbench.slurm.SlurmScript.defaultCoarCommand(), demo.store());
    }
}
