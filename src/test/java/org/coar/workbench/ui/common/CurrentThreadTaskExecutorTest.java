package org.coar.workbench.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.job.JobCancelledException;
import org.coar.workbench.job.Progress;
import org.junit.jupiter.api.Test;

/** How a job's end reaches the user: the rules both executors share, run on the test's thread. */
class CurrentThreadTaskExecutorTest {
    private final FakeDialogs dialogs = new FakeDialogs();
    private final CurrentThreadTaskExecutor tasks = new CurrentThreadTaskExecutor(new JobReporter(dialogs, "/var/log/coar/workbench.log"));
    private final List<String> calls = new ArrayList<>();

    private <T> BackgroundJob<T> recorded(BackgroundJob<T> job) {
        return job.onSuccess(value -> calls.add("success " + value)).onCancelled(() -> calls.add("cancelled"))
                .onError(error -> calls.add("error " + error.getMessage())).andFinally(() -> calls.add("finally"));
    }

    @Test
    void successRunsTheCallbacksInOrderAndNothingIsShown() {
        tasks.submit(recorded(BackgroundJob.titled("Adding", p -> {
            p.accept(new Progress("adding", 1, 2, "terms"));
            return 1 + 2;
        })));
        assertEquals(List.of("success 3", "finally"), calls);
        assertEquals(List.of(), dialogs.errors);
        assertEquals("", tasks.statusProperty().get());
        assertEquals(List.of(new Progress("adding", 1, 2, "terms")), tasks.progress());
        assertEquals(List.of("Adding"), tasks.titles());
        assertEquals(List.of(), tasks.running());
    }

    @Test
    void aRefusalIsADialogWithItsMessage() {
        tasks.submit(recorded(BackgroundJob.titled("Opening store s", p -> {
            throw new WorkbenchException("s: not a store (no _completed.npy)");
        })));
        assertEquals(List.of("Opening store s failed: s: not a store (no _completed.npy)"), dialogs.errors);
        assertEquals(List.of("error s: not a store (no _completed.npy)", "finally"), calls);
        assertEquals("Opening store s failed", tasks.statusProperty().get());
    }

    @Test
    void aCancelIsAStatusLineAndNoDialog() {
        tasks.submit(recorded(BackgroundJob.titled("Building s", p -> {
            throw new JobCancelledException();
        })));
        assertEquals(List.of(), dialogs.errors);
        assertEquals(List.of("cancelled", "finally"), calls);
        assertEquals("Cancelled: Building s", tasks.statusProperty().get());
    }

    @Test
    void anUnexpectedFailureNamesTheLogFile() {
        tasks.submit(recorded(BackgroundJob.titled("Fitting", p -> {
            throw new IllegalStateException("index 7 out of bounds");
        })));
        assertEquals(List.of("Fitting failed: Unexpected failure (java.lang.IllegalStateException: index 7 out of bounds). "
                + "Please report it; the details are in /var/log/coar/workbench.log."), dialogs.errors);
        assertEquals(List.of("error index 7 out of bounds", "finally"), calls);
    }

    @Test
    void aSuccessCallbackThatRefusesCountsAsTheJobsFailureAndFinallyRunsOnce() {
        tasks.submit(BackgroundJob.titled("Reading store s", p -> "run.json")
                .onSuccess(value -> {
                    throw new WorkbenchException(value + ": no model recorded");
                })
                .onError(error -> calls.add("error"))
                .andFinally(() -> calls.add("finally")));
        assertEquals(List.of("Reading store s failed: run.json: no model recorded"), dialogs.errors);
        assertEquals(List.of("error", "finally"), calls);
    }

    @Test
    void anUnlistedJobFailsWithoutADialogOrStatus() {
        tasks.submit(recorded(BackgroundJob.titled("Refreshing store s", p -> {
            throw new WorkbenchException("s vanished");
        }).unlisted()));
        assertEquals(List.of(), dialogs.errors);
        assertEquals("", tasks.statusProperty().get());
        assertEquals(List.of("error s vanished", "finally"), calls);
    }

    @Test
    void aLaterSuccessClearsTheStatusLine() {
        tasks.submit(BackgroundJob.titled("Building s", p -> {
            throw new JobCancelledException();
        }));
        assertEquals("Cancelled: Building s", tasks.statusProperty().get());
        tasks.submit(BackgroundJob.titled("Building s", p -> 1));
        assertEquals("", tasks.statusProperty().get());
    }
}
