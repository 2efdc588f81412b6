package org.coar.workbench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.ablation.BuildRequest;
import org.coar.workbench.ablation.BuildResult;
import org.coar.workbench.ablation.BuildService;
import org.coar.workbench.store.RunConfig;
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
        description = {"The whole workflow on a bundled demo: a Fashion-MNIST CNN with 240 components and 1,000 test images, or",
            "with --lm a 2-layer byte-level GPT-2 (HF module names; 896 components under reference-gpt2) and 100 held-out text",
            "sequences. Unpacks it into --dir, initialises a store (alpha 0.05), builds it on the local devices, fits",
            "attributions, evaluates them against fresh ablations and the baselines, and edits the model to fix a misclassified",
            "example (for the language model: a sequence whose mean next-byte margin is not positive). Running it again resumes:",
            "finished stages are kept. Then, where there is a display, the workbench window opens on the results (--no-gui: do",
            "not open it)."})
final class DemoCommand implements Callable<Integer> {
    /** The demo's edit: fix a misclassified example (bottom-k of the Welch t ranking, the components that push it wrong). */
    private static final int EDIT_K = 5;
    private static final int EDIT_CANDIDATES = 5;
    private static final int EDIT_MAX_K = 20;
    /** Accuracy the other examples may lose: one point. */
    private static final double EDIT_MAX_REFERENCE_DROP = 0.01;

    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--lm", description = "The language-model demo instead of the CNN.")
    private boolean languageModel;

    @Option(names = "--dir", paramLabel = "DIR", description = "Project directory (default: ./coar-demo, with --lm ./coar-demo-lm).")
    private Path dir;

    @Option(names = "--models", paramLabel = "N",
            description = "Ablated models (store rows) of a new demo store (default " + DemoProject.DEFAULT_MODELS + ", with --lm "
                    + DemoProject.DEFAULT_LM_MODELS + ").")
    private Integer models;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + EvaluationRequest.DEFAULT_RUNS,
            description = "Fresh ablated models per alpha in the evaluation (default ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--devices", paramLabel = "LIST", split = ",", converter = DeviceOptions.DeviceNameConverter.class, description = "Devices, e.g. cpu or cuda:0 (default: every GPU, else the CPU).")
    private List<String> devices = List.of();

    @Option(names = "--no-gui", description = "Do not open the workbench window at the end, even where there is a display.")
    private boolean noGui;

    @Override
    public Integer call() {
        int rows = models != null ? models : languageModel ? DemoProject.DEFAULT_LM_MODELS : DemoProject.DEFAULT_MODELS;
        if (rows <= 0 || runs <= 1) {
            throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "--models must be at least 1 and --runs at least 2");
        }
        if (dir == null) {
            dir = Path.of(languageModel ? "coar-demo-lm" : "coar-demo");
        }
        PrintWriter out = commandSpec.commandLine().getOut();
        PrintWriter err = commandSpec.commandLine().getErr();
        DemoProject demo = languageModel ? DemoProject.languageModel(dir) : new DemoProject(dir);
        boolean fresh = demo.prepare(rows);
        out.printf("%s demo store in %s%n", fresh ? "Initialised a new" : "Resuming the", demo.store());

        BuildService builds = new BuildService();
        RunConfig run = builds.resolveRun(demo.store(), demo.run());
        BuildRequest request = new BuildRequest(demo.store(), run, devices, 0, null, null, null, 100, false, Duration.ofHours(1));
        BuildResult built = BuildCommand.runWithProgress(builds, request, err);
        out.printf("Build: %d rows built in %s; %d / %d rows completed.%n", built.rowsBuilt(), ProgressBar.formatDuration(built.elapsed()),
                built.rowsCompletedInPlan(), built.rowsInPlan());
        if (built.rowsCompletedInPlan() < built.rowsInPlan()) {
            out.printf("The store is not complete; run 'coar demo%s --dir %s' again to resume, then it fits and evaluates.%n",
                    languageModel ? " --lm" : "", dir);
            return 0;
        }

        Path attributions = demo.dir().resolve(org.coar.workbench.attributions.Attributions.DEFAULT_DIR);
        FitResult fit = null;
        if (!org.coar.workbench.attributions.Attributions.hasWeights(attributions)) {
            fit = Interruptible.run(err, "nothing is written", cancel -> new FitService().fit(
                    new FitRequest(demo.store(), attributions, FitConfig.defaults()), new FitCommand.ProgressLine(err), cancel));
        }
        EvaluationResult evaluation = null;
        EvaluationRequest evaluationRequest = new EvaluationRequest(demo.store(), attributions, attributions.resolve(EvaluationRequest.DEFAULT_OUT),
                EvaluationRequest.DEFAULT_ALPHAS, runs, null, EvaluationRequest.defaults(demo.store(), attributions).baselines(), devices, 0, 100, null);
        if (!Files.exists(evaluationRequest.outDir().resolve(org.coar.workbench.evaluation.EvaluationFiles.REPORT))) {
            StageProgressBar bar = new StageProgressBar(err, System.console() != null);
            evaluation = Interruptible.run(err, "the leave-one-out rows computed so far stay cached",
                    cancel -> new EvaluationService().evaluate(evaluationRequest, bar::update, cancel));
        }
        FixSearch.Found edit = null;
        Path editDir = attributions.resolve(EditRequest.DEFAULT_OUT);
        if (!Files.exists(editDir.resolve(org.coar.workbench.edit.EditFiles.REPORT))) {
            EditRequest template = new EditRequest(demo.store(), attributions, "0", "rest", EDIT_K, EditMode.BOTTOMK, null,
                    demo.dir().resolve("edited.pt"), editDir, devices, 0, 100);
            StageProgressBar bar = new StageProgressBar(err, System.console() != null);
            float[] margins = demo.cleanMargins();
            edit = Interruptible.run(err, "nothing is saved", cancel -> new FixSearch().search(template, margins, EDIT_CANDIDATES,
                    EDIT_MAX_K, EDIT_MAX_REFERENCE_DROP, bar::update, cancel));
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
            String target = demo.isLanguageModel()
                    ? (edit.fixed() ? "fixed" : "could not fix any of " + EDIT_CANDIDATES + " sequences with a mean next-byte margin <= 0; "
                    + "best try on") + " sequence " + edit.example()
                    : (edit.fixed() ? "fixed misclassified" : "could not fix any of " + EDIT_CANDIDATES + " misclassified examples; "
                    + "best try on") + " example " + edit.example();
            out.printf(Locale.ROOT, "Edit: %s by ablating %d component%s (others may lose at most %.0f point of accuracy):%n",
                    target, edit.k(), edit.k() == 1 ? "" : "s", 100 * EDIT_MAX_REFERENCE_DROP);
            if (demo.isLanguageModel()) {
                out.println("  (a sequence counts as correct when its mean next-byte margin is positive; accuracy is the share of such sequences)");
            }
            out.println(edit.edit().table());
        }
        if (fit == null || evaluation == null || edit == null) {
            out.println("(stages finished in an earlier run were kept; their reports are listed below)");
        }
        out.printf("  inputs        %s (model, evaluation %s)%n", demo.model().getParent(),
                demo.isLanguageModel() ? "token ids and lengths, their text" : "images, licence");
        out.printf("  store         %s%n", demo.store());
        out.printf("  attributions  %s (weight.npy, raw_weight.npy, ..., report.json)%n", attributions);
        out.printf("  evaluation    %s (report.json, figures)%n", attributions.resolve(EvaluationRequest.DEFAULT_OUT));
        out.printf("  edit          %s (report.json, sweep.csv, sweep.png); edited model %s%n", attributions.resolve(EditRequest.DEFAULT_OUT),
                demo.dir().resolve("edited.pt"));
        out.printf("Browse it in the window with '%s gui %s'.%n", org.coar.workbench.slurm.SlurmScript.defaultCoarCommand(), demo.store());
    }
}
