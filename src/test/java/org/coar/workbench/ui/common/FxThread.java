package org.coar.workbench.ui.common;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.application.Platform;
import org.testfx.api.FxToolkit;

/**
 * The JavaFX thread for view-model tests: view models own timelines (progress throttles), which
 * need the toolkit; TestFX starts it, so these tests share it with the GUI tests in one JVM.
 */
public final class FxThread {
    private FxThread() {
    }

    /** Starts the toolkit, or skips the test where it cannot start (see Toolkits). */
    public static void start() {
        org.coar.workbench.ui.Toolkits.assumeTheToolkitCanStart();
        try {
            FxToolkit.registerPrimaryStage();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the JavaFX toolkit did not start", e);
        }
    }

    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    public static void run(Action action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Runs {@code work} on the FX thread and returns its value; what it throws is rethrown here. */
    public static <T> T call(Callable<T> work) {
        if (Platform.isFxApplicationThread()) {
            try {
                return work.call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        FutureTask<T> task = new FutureTask<>(work);
        Platform.runLater(task);
        try {
            return task.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
