package org.coar.workbench.fit;

import java.util.SplittableRandom;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.store.Store;

/**
 * Which completed rows train and which validate. Without a seed, as the reference does it:
 * the first num_train completed rows (in row order) train and the next num_val validate. With
 * {@code data.seed}, completed rows are shuffled first (Fisher–Yates driven by
 * {@code SplittableRandom(seed)}), so the split is the same on every machine and every run.
 *
 * @param subsetOfRow per store row: {@link #SKIP}, {@link #TRAIN} or {@link #VALIDATION}
 */
record RowSplit(byte[] subsetOfRow, long completed, long train, long validation, String method) {
    static final byte SKIP = 0;
    static final byte TRAIN = 1;
    static final byte VALIDATION = 2;

    static RowSplit of(Store store, FitConfig config) {
        long n = store.numModels();
        if (n > RowCount.MAX_ROWS) {
            throw new WorkbenchException(store.dir() + ": " + n + " rows; fitting supports up to 2^31 rows");
        }
        int[] completedRows = new int[(int) n];
        int completed = 0;
        for (int row = 0; row < n; row++) {
            if (store.isCompleted(row)) {
                completedRows[completed++] = row;
            }
        }
        if (completed == 0) {
            throw new WorkbenchException(store.dir() + ": no completed rows (_completed.npy is all False); build rows first "
                    + "with 'coar build --store " + store.dir() + "', then fit");
        }
        long train = config.numTrain().resolve(completed);
        long validation = config.numVal().resolve(completed);
        if (train < 1) {
            throw new WorkbenchException("data.num_train: " + config.numTrain() + " gives no training rows among the "
                    + completed + " completed rows; raise data.num_train");
        }
        if (train > completed || validation > completed - train) { // never train + validation: it may overflow
            throw new WorkbenchException(store.dir() + ": the split asks for data.num_train + data.num_val = " + train + " + "
                    + validation + " = " + (train + validation) + " rows but only " + completed + " of " + n
                    + " rows are completed; lower num_train/num_val (or give fractions such as 0.9 / 0.1), or build more rows");
        }
        String method;
        if (config.seed() != null) {
            SplittableRandom random = new SplittableRandom(config.seed());
            for (int i = completed - 1; i > 0; i--) {
                int k = random.nextInt(i + 1);
                int t = completedRows[i];
                completedRows[i] = completedRows[k];
                completedRows[k] = t;
            }
            method = "completed rows shuffled with data.seed = " + config.seed() + ", then the first num_train train and the next num_val validate";
        } else {
            method = "ordered, as the reference: the first num_train completed rows train, the next num_val validate";
        }
        byte[] subset = new byte[(int) n];
        for (int i = 0; i < train + validation; i++) {
            subset[completedRows[i]] = i < train ? TRAIN : VALIDATION;
        }
        return new RowSplit(subset, completed, train, validation, method);
    }
}
