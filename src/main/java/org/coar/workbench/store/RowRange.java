package org.coar.workbench.store;

/** A run of consecutive rows {@code [first, last]} that are all completed or all pending. */
public record RowRange(long first, long last, boolean completed) {
    public long count() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return (first == last ? Long.toString(first) : first + "-" + last) + (completed ? " done" : " pending");
    }
}
