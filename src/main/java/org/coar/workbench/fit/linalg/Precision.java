package org.coar.workbench.fit.linalg;

/** Element type of a {@link Matrix}. */
public enum Precision {
    FLOAT(4), DOUBLE(8);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
