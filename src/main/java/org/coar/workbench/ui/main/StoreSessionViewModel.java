package org.coar.workbench.ui.main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.ComponentPreset;
import org.coar.workbench.store.RunConfig;
import org.coar.workbench.store.Store;
import org.coar.workbench.store.StorePaths;
import org.coar.workbench.ui.common.BackgroundJob;
import org.coar.workbench.ui.common.DialogService;
import org.coar.workbench.ui.common.ProjectState;
import org.coar.workbench.ui.common.TaskExecutor;

/**
 * The open store as the whole window sees it: whenever {@link ProjectState#storeProperty()} changes
 * it opens the store and reads its run.json (paths resolved by {@link StorePaths}, so a moved store finds
 * its model and data). It says in the status bar which store is open,
 * that opening one failed (then the project holds nothing of the previous store), or that the store's
 * model file is missing, with "Locate model…" to find it again.
 */
public final class StoreSessionViewModel {
    /** A store that opened: its run settings where it has run.json, and whether the model they name is missing. */
    public record OpenedStore(Path store, Optional<RunConfig> run, boolean modelMissing) {
    }

    private final TaskExecutor tasks;
    private final ProjectState project;
    private final DialogService dialogs;
    private final Consumer<OpenedStore> show;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("No store open");
    private final ReadOnlyBooleanWrapper modelMissing = new ReadOnlyBooleanWrapper(false);
    /** The model run.json names, when it is missing: what "Locate model…" looks for. */
    private String missingModel;

    /** {@code show}: puts a store whose missing model was located into the panels (the Spec panel's model and data). */
    public StoreSessionViewModel(TaskExecutor tasks, ProjectState project, DialogService dialogs, Consumer<OpenedStore> show) {
        this.tasks = tasks;
        this.project = project;
        this.dialogs = dialogs;
        this.show = show;
        project.storeProperty().addListener((obs, old, now) -> open(now));
    }

    /** "Store: DIR", "Could not open DIR: reason", or what is missing. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** True while the open store's model file is missing: "Locate model…" is then offered. */
    public ReadOnlyBooleanProperty modelMissingProperty() {
        return modelMissing.getReadOnlyProperty();
    }

    private void open(Path store) {
        modelMissing.set(false);
        missingModel = null;
        if (store == null) {
            status.set("No store open");
            return;
        }
        status.set("Opening store " + store + "…");
        tasks.submit(BackgroundJob.titled("Opening store " + store.getFileName(), progress -> read(store))
                .onSuccess(opened -> {
                    if (store.equals(project.storeProperty().get())) {
                        opened(opened);
                    }
                })
                .onError(error -> {
                    if (store.equals(project.storeProperty().get())) {
                        failed(store, error);
                    }
                }));
    }

    private static OpenedStore read(Path store) {
        Store.open(store, false).close(); // the check: a directory that is not a store fails here, with the reason
        Optional<RunConfig> run = RunConfig.exists(store) ? Optional.of(RunConfig.read(store)) : Optional.empty();
        boolean missing = run.map(r -> r.model() != null && !Files.isRegularFile(Path.of(r.model()))).orElse(false);
        return new OpenedStore(store, run, missing);
    }

    private void opened(OpenedStore opened) {
        // The panels read the store themselves when it changes; only a located model is handed to them.
        if (!opened.modelMissing()) {
            status.set("Store: " + opened.store());
            return;
        }
        missingModel = opened.run().orElseThrow().model();
        modelMissing.set(true);
        status.set("Store: " + opened.store() + " — its model " + Path.of(missingModel).getFileName()
                + " is missing (File ▸ Locate model…)");
        if (dialogs.confirm("Model file missing", missingModelMessage(opened.store()), "Locate model…")) {
            locateModel();
        }
    }

    private String missingModelMessage(Path store) {
        return "The model this store's rows were made with is not at " + missingModel + ", nor beside or inside the store at "
                + store + ". The Spec, Build, Attributions, Evaluate and Edit panels need it. Choose the file with "
                + "\"Locate model…\"; it is accepted only if its SHA-256 equals the one run.json records.";
    }

    /** The store could not be opened: nothing of the previous store stays, and the status says why. */
    private void failed(Path store, Throwable error) {
        project.storeProperty().set(null);
        project.modelProperty().set(null);
        project.dataProperty().set(null);
        project.attributionsProperty().set(null);
        project.focusedExampleProperty().set(null);
        project.focusedComponentProperty().set(null);
        project.componentsToAblateProperty().set(List.of());
        project.includedGroupsProperty().set(List.of());
        project.componentPresetProperty().set(ComponentPreset.DEFAULT);
        String reason = error instanceof WorkbenchException ? error.getMessage() : String.valueOf(error);
        status.set("Could not open " + store + ": " + reason);
    }

    /**
     * Asks for the missing model file and accepts it only if its SHA-256 is the recorded one. The
     * user then chooses whether run.json records the new place (Evaluate, Edit and the command line
     * read the model from there) or the window uses it for this session only (the Spec panel).
     */
    public void locateModel() {
        Path store = project.storeProperty().get();
        if (store == null || missingModel == null) {
            return;
        }
        Optional<Path> chosen = dialogs.chooseFile("Locate model " + Path.of(missingModel).getFileName(), ".pt", ".pth", ".ts");
        if (chosen.isEmpty()) {
            return;
        }
        Path file = chosen.get().toAbsolutePath().normalize();
        tasks.submit(BackgroundJob.titled("Checking model " + file.getFileName(), progress -> {
            StorePaths.checkLocatedModel(store, file);
            return read(store);
        }).onSuccess(opened -> {
            if (!store.equals(project.storeProperty().get())) {
                return;
            }
            boolean record = dialogs.confirm("Record the model's new place?", file.getFileName() + " is the store's model (its SHA-256 "
                    + "matches run.json). Record " + file + " as the model in " + store.resolve(RunConfig.FILE) + "? Evaluate, Edit "
                    + "and the command line read the model from there; without it only this window's Spec and Build panels use it, "
                    + "until the window closes.", "Record in run.json");
            if (record) {
                recordModel(store, file);
            } else {
                useForThisSession(opened, file);
            }
        }));
    }

    private void recordModel(Path store, Path file) {
        tasks.submit(BackgroundJob.titled("Recording model in " + RunConfig.FILE, progress -> {
            StorePaths.recordModel(store, file);
            return read(store);
        }).onSuccess(opened -> {
            if (store.equals(project.storeProperty().get())) {
                missingModel = null;
                modelMissing.set(false);
                show.accept(opened);
                status.set("Store: " + store + " — model " + file + " recorded in " + RunConfig.FILE);
            }
        }));
    }

    private void useForThisSession(OpenedStore opened, Path file) {
        RunConfig located = opened.run().orElseThrow().toBuilder().optModel(file.toString()).build();
        missingModel = null;
        modelMissing.set(false);
        show.accept(new OpenedStore(opened.store(), Optional.of(located), false));
        status.set("Store: " + opened.store() + " — model " + file + " (this session; run.json unchanged)");
    }
}
