package org.coar.workbench.store;

import java.util.SplittableRandom;

/**
 * Row r's keep-mask is a pure function of (seed, r): each component is kept with probability
 * 1 − α, independently. Rerunning or resuming a row, in any process, reproduces the same mask.
 */
public final class RowMasks {
    private RowMasks() {
    }

    public static boolean[] keepMask(long seed, long row, int components, double alpha) {
        SplittableRandom random = new SplittableRandom(mix(seed) ^ mix(row + 0x632BE59BD9B4E019L));
        boolean[] keep = new boolean[components];
        for (int i = 0; i < components; i++) {
            keep[i] = random.nextDouble() >= alpha;
        }
        return keep;
    }

    /** MurmurHash3's 64-bit finaliser: nearby seeds and rows give unrelated streams. */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
