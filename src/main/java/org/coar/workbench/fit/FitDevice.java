package org.coar.workbench.fit;

import org.coar.workbench.WorkbenchException;

/** Where a fit runs: {@code cpu}, {@code cuda:N}, or {@code auto} (the first usable GPU, else the CPU). */
public record FitDevice(Kind kind, int ordinal) {
    public enum Kind { AUTO, CPU, CUDA }

    public static final FitDevice AUTO = new FitDevice(Kind.AUTO, -1);
    public static final FitDevice CPU = new FitDevice(Kind.CPU, -1);

    public static FitDevice cuda(int ordinal) {
        return new FitDevice(Kind.CUDA, ordinal);
    }

    /** Parses {@code auto}, {@code cpu}, {@code cuda} (= cuda:0) or {@code cuda:N}. */
    public static FitDevice parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.equals("cpu")) {
            return CPU;
        }
        if (t.equals("cuda") || t.equals("gpu")) {
            return cuda(0);
        }
        if (t.matches("(cuda|gpu):\\d{1,4}")) {
            return cuda(Integer.parseInt(t.substring(t.indexOf(':') + 1)));
        }
        throw new WorkbenchException("--device: expected cpu, cuda:N (e.g. cuda:0) or auto, found \"" + text + "\"");
    }

    public String key() {
        return switch (kind) {
            case AUTO -> "auto";
            case CPU -> "cpu";
            case CUDA -> "cuda:" + ordinal;
        };
    }
}
