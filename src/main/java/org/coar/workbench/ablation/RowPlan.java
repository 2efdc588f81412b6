package org.coar.workbench.ablation;

import org.coar.workbench.WorkbenchException;

/** The rows one process fills: {@code [start, end)}, from an explicit range or a partition i/N. */
public record RowPlan(long start, long end) {

    public static RowPlan of(long numModels, Long start, Long end, String partition) {
        if (partition != null && (start != null || end != null)) {
            throw new WorkbenchException("give either --partition or --start/--end, not both");
        }
        if (partition != null) {
            String[] parts = partition.split("/");
            long index;
            long count;
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                index = Long.parseLong(parts[0].trim());
                count = Long.parseLong(parts[1].trim());
            } catch (NumberFormatException e) {
                throw new WorkbenchException("--partition: expected i/N with 0 <= i < N (e.g. 3/10), got '" + partition + "'");
            }
            if (count <= 0 || index < 0 || index >= count) {
                throw new WorkbenchException("--partition: expected i/N with 0 <= i < N, got '" + partition + "'");
            }
            return new RowPlan(numModels * index / count, numModels * (index + 1) / count);
        }
        long first = start == null ? 0 : start;
        long last = end == null ? numModels : end;
        if (first < 0 || last > numModels || first >= last) {
            throw new WorkbenchException("--start/--end: need 0 <= start < end <= " + numModels + " (the store's num_models), got "
                    + first + ".." + last);
        }
        return new RowPlan(first, last);
    }

    public long size() {
        return end - start;
    }
}
