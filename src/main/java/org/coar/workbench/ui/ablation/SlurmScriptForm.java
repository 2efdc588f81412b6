package org.coar.workbench.ui.ablation;

import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.slurm.SlurmScript;
import org.coar.workbench.ui.common.FormFields;

/** The SLURM array script for the open store, rendered again whenever a field or the store changes; a bad field shows as a comment. */
public final class SlurmScriptForm {
    private final StringProperty tasks = new SimpleStringProperty("10");
    private final StringProperty gpus = new SimpleStringProperty("1");
    private final StringProperty partition = new SimpleStringProperty("");
    private final StringProperty time = new SimpleStringProperty("04:00:00");
    private final ReadOnlyStringWrapper script = new ReadOnlyStringWrapper("");
    private Path store;

    SlurmScriptForm() {
        for (StringProperty p : List.of(tasks, gpus, partition, time)) {
            p.addListener((obs, old, now) -> render());
        }
        render();
    }

    /** The script is for {@code store} now (none when null). */
    void setStore(Path store) {
        this.store = store;
        render();
    }

    private void render() {
        if (store == null) {
            script.set("Open or initialise a store to generate a SLURM array script.");
            return;
        }
        try {
            script.set(new SlurmScript(store.toAbsolutePath(), positive(tasks.get(), "Tasks"), gpusPerTask(gpus.get()), 0,
                    partition.get(), time.get(), List.of(), SlurmScript.defaultCoarCommand()).render());
        } catch (WorkbenchException e) {
            script.set("# " + e.getMessage());
        }
    }

    /** A whole number of at least 1 in {@code field}, or a message naming it. */
    static int positive(String text, String field) {
        long value = FormFields.wholeNumber(text == null ? "" : text, field);
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new WorkbenchException(field + ": expected a whole number of at least 1, got '" + text + "'");
        }
        return (int) value;
    }

    private static int gpusPerTask(String text) {
        long value = FormFields.wholeNumber(text == null ? "" : text, "GPUs per task");
        if (value < 0 || value > 64) {
            throw new WorkbenchException("GPUs per task: expected 0 to 64, got '" + text + "'");
        }
        return (int) value;
    }

    public StringProperty tasksProperty() { return tasks; }
    public StringProperty gpusProperty() { return gpus; }
    public StringProperty partitionProperty() { return partition; }
    public StringProperty timeProperty() { return time; }
    public ReadOnlyStringProperty scriptProperty() { return script.getReadOnlyProperty(); }
}
