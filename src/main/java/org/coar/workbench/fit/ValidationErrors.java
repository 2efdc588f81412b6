package org.coar.workbench.fit;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.coar.workbench.fit.linalg.Matrix;
import org.coar.workbench.fit.linalg.Precision;
import org.coar.workbench.fit.sparse.TileMatrix;

/**
 * Σ_r (y_rj − intercept_j − prediction_rj)² per output column of a block, walking the validation
 * outputs' tiles and the predictions in their own layouts (a block is validation rows × up to
 * tens of thousands of outputs: element accessors would dominate the validation).
 */
final class ValidationErrors {
    /** Predictions in one of the two layouts the solvers produce, or none (a constant model). */
    record Predictions(TileMatrix tiles, Matrix rows) {
    }

    static final Predictions NONE = new Predictions(null, null);

    private ValidationErrors() {
    }

    static Predictions ofTiles(TileMatrix tiles) {
        return new Predictions(tiles, null);
    }

    static Predictions ofRows(Matrix rows) {
        return new Predictions(null, rows);
    }

    /** Per column j of {@code y}: the sum over its first {@code n} rows of (y − intercept_j − prediction)². */
    static double[] sumOfSquares(TileMatrix y, int n, double[] intercept, Predictions predictions) {
        int w = intercept.length;
        double[] sse = new double[w];
        MemorySegment ys = y.segment();
        MemorySegment ts = predictions.tiles() == null ? null : predictions.tiles().segment();
        Matrix rm = predictions.rows();
        MemorySegment rs = rm == null ? null : rm.segment();
        boolean rowsDouble = rm != null && rm.precision() == Precision.DOUBLE;
        int tile = TileMatrix.TILE;
        for (int t = 0; t < y.tiles(); t++) {
            int width = Math.min(tile, w - t * tile);
            long yBase = (long) t * y.rows() * tile;
            long tBase = ts == null ? 0 : (long) t * predictions.tiles().rows() * tile;
            for (int r = 0; r < n; r++) {
                long yAt = yBase + (long) r * tile;
                long tAt = tBase + (long) r * tile;
                long rAt = (long) r * w + (long) t * tile;
                for (int k = 0; k < width; k++) {
                    int j = t * tile + k;
                    double p = ts != null ? ts.getAtIndex(ValueLayout.JAVA_DOUBLE, tAt + k)
                            : rs == null ? 0
                            : rowsDouble ? rs.getAtIndex(ValueLayout.JAVA_DOUBLE, rAt + k) : rs.getAtIndex(ValueLayout.JAVA_FLOAT, rAt + k);
                    double e = ys.getAtIndex(ValueLayout.JAVA_FLOAT, yAt + k) - intercept[j] - p;
                    sse[j] += e * e;
                }
            }
        }
        return sse;
    }
}
