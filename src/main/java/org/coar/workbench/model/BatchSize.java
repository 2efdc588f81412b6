package org.coar.workbench.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.data.EvalData;

/**
 * Examples per forward pass. A positive request is taken as it is; 0 means "choose": on the CPU
 * {@value #CPU_DEFAULT} (single-threaded replicas gain nothing from larger batches), on a GPU the
 * largest batch whose activations fit in about half of the device memory left once the
 * evaluation inputs are on it, measured from one forward pass of {@value #PROBE} examples.
 */
public final class BatchSize {
    public static final int AUTO = 0;
    public static final int CPU_DEFAULT = 100;
    /** Larger batches add nothing measurable on one GPU and only take memory from other work. */
    public static final int GPU_MAX = 1024;
    static final int PROBE = 32;
    /** Share of the free memory a batch's activations may take (the allocator's rounding and cuDNN workspaces need the rest). */
    static final double ACTIVATION_SHARE = 0.5;

    private BatchSize() {
    }

    public static int choose(int requested, TorchModel model, EvalData data) {
        if (requested > 0) {
            return requested;
        }
        if (requested < 0) {
            throw new WorkbenchException("--batch-size must be at least 1 (or auto), got " + requested);
        }
        if (!model.device().isGpu()) {
            return CPU_DEFAULT;
        }
        GpuMemory before = GpuMemory.of(model.device());
        if (before == null) {
            return CPU_DEFAULT; // the runtime cannot report memory: a batch that fits any GPU this model fits
        }
        int probe = Math.min(PROBE, data.size());
        int length = Math.toIntExact(data.exampleLength());
        long[] shape = new long[data.exampleShape().length + 1];
        shape[0] = probe;
        System.arraycopy(data.exampleShape(), 0, shape, 1, data.exampleShape().length);
        try (NDManager scratch = model.manager().newSubManager()) {
            model.forward(scratch, scratch.create(Arrays.copyOfRange(data.inputs(), 0, probe * length), new Shape(shape)));
        }
        GpuMemory after = GpuMemory.of(model.device());
        long perExample = Math.max((long) length * Float.BYTES, (before.freeBytes() - after.freeBytes()) / probe);
        return fromMemory(before.freeBytes(), (long) data.size() * length * Float.BYTES, perExample, data.size(), model.device().toString());
    }

    /** The batch for {@code free} bytes, once {@code inputBytes} of inputs sit on the device, at {@code perExample} bytes each. */
    static int fromMemory(long free, long inputBytes, long perExample, int examples, String device) {
        long left = free - inputBytes;
        if (left < perExample) {
            throw new WorkbenchException(String.format(Locale.ROOT, "%s has %.1f GiB free, but the evaluation inputs take %.1f GiB on it and "
                    + "a forward pass about %.1f MiB per example; use fewer examples (--limit), a GPU with more free memory, or the CPU",
                    device, free / 1073741824.0, inputBytes / 1073741824.0, perExample / 1048576.0));
        }
        long fits = (long) (left * ACTIVATION_SHARE / perExample);
        return (int) Math.max(1, Math.min(Math.min(fits, GPU_MAX), examples));
    }

    /** Parses a --batch-size value: a positive number, or "auto". */
    public static int parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        try {
            int value = Integer.parseInt(t);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new WorkbenchException("--batch-size: expected a positive number or auto, got '" + text + "'");
    }
}
