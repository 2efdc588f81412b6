package org.coar.workbench.data;

/**
 * Which examples to keep, as the reference {@code subsample_skip} does: every {@code skip}-th
 * example (indices 0, skip, 2*skip, ...), then at most {@code limit} of those.
 */
record Subsample(int skip, int limit) {

    static Subsample of(DataSpec spec) {
        return new Subsample(spec.effectiveSkip(), spec.effectiveLimit());
    }

    /** How many of {@code available} examples are kept. */
    int count(long available) {
        long everySkip = (available + skip - 1) / skip;
        return (int) Math.min(everySkip, limit);
    }

    /** The source index of the {@code i}-th kept example. */
    long sourceIndex(int i) {
        return (long) i * skip;
    }

    /** The position among the kept examples of source example {@code index}, or -1 when it is not kept. */
    int keptPosition(long index) {
        if (index % skip != 0 || index / skip >= limit) {
            return -1;
        }
        return (int) (index / skip);
    }

    String describe(long available) {
        StringBuilder text = new StringBuilder().append(count(available)).append(" of ").append(available).append(" examples");
        if (skip > 1) {
            text.append(", every ").append(skip).append(ordinalSuffix(skip));
        }
        if (limit < Integer.MAX_VALUE) {
            text.append(", at most ").append(limit);
        }
        return text.toString();
    }

    private static String ordinalSuffix(int n) {
        if (n % 100 >= 11 && n % 100 <= 13) {
            return "th";
        }
        return switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }
}
