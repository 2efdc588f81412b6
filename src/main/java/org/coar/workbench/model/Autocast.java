package org.coar.workbench.model;

import ai.djl.Device;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;
import org.coar.workbench.WorkbenchException;

/**
 * PyTorch's autocast (mixed precision: float16 matrix products and convolutions on CUDA, as the
 * reference builds its stores with {@code torch.cuda.amp.autocast()}) for the forward passes of
 * the calling thread. DJL has no API for it, so this calls libtorch's own switch,
 * {@code at::autocast::set_autocast_enabled(DeviceType, bool)}, through the FFM API on the
 * libtorch that DJL loaded. Autocast state is per thread: a worker turns it on around its own
 * forward passes. Parameters are frozen, so autocast caches no casted weights between rows.
 */
public final class Autocast {
    private static final byte CPU = 0;
    private static final byte CUDA = 1;
    private static final String SET_ENABLED = "_ZN2at8autocast20set_autocast_enabledEN3c1010DeviceTypeEb";
    private static final String IS_ENABLED = "_ZN2at8autocast19is_autocast_enabledEN3c1010DeviceTypeE";
    private static final String CLEAR_CACHE = "_ZN2at8autocast11clear_cacheEv";
    private static volatile Handles handles;

    private record Handles(MethodHandle setEnabled, MethodHandle isEnabled, MethodHandle clearCache) {
    }

    private Autocast() {
    }

    /** Turns autocast on or off for {@code device}'s type on this thread. */
    public static void set(Device device, boolean enabled) {
        Handles h = handles();
        try {
            h.setEnabled().invokeExact(deviceType(device), enabled);
            if (!enabled) {
                h.clearCache().invokeExact();
            }
        } catch (Throwable e) {
            throw new WorkbenchException("autocast: libtorch refused to switch it (" + e + ")", e);
        }
    }

    /** Whether autocast is on for {@code device}'s type on this thread, as libtorch reports it. */
    public static boolean isEnabled(Device device) {
        try {
            return (boolean) handles().isEnabled().invokeExact(deviceType(device));
        } catch (WorkbenchException e) {
            throw e;
        } catch (Throwable e) {
            throw new WorkbenchException("autocast: cannot read libtorch's state (" + e + ")", e);
        }
    }

    private static byte deviceType(Device device) {
        return device.isGpu() ? CUDA : CPU;
    }

    private static Handles handles() {
        Handles h = handles;
        if (h == null) {
            synchronized (Autocast.class) {
                if (handles == null) {
                    handles = find();
                }
                h = handles;
            }
        }
        return h;
    }

    private static Handles find() {
        TorchModel.engine(); // DJL loads libtorch (System.load from this class loader)
        SymbolLookup loaded = SymbolLookup.loaderLookup();
        java.nio.file.Path cpuLibrary = java.nio.file.Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath(), "libtorch_cpu.so");
        if (java.nio.file.Files.exists(cpuLibrary)) {
            // the same library DJL loaded (dlopen returns its handle), in case it was loaded by another class loader
            loaded = loaded.or(SymbolLookup.libraryLookup(cpuLibrary, java.lang.foreign.Arena.global()));
        }
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> set = loaded.find(SET_ENABLED);
        Optional<MemorySegment> is = loaded.find(IS_ENABLED);
        Optional<MemorySegment> clear = loaded.find(CLEAR_CACHE);
        if (set.isEmpty() || is.isEmpty() || clear.isEmpty()) {
            throw new WorkbenchException("autocast: the loaded libtorch has no at::autocast::set_autocast_enabled(DeviceType, bool) "
                    + "(it appeared in PyTorch 2.3); build without autocast, or use libtorch 2.3 or newer");
        }
        return new Handles(
                linker.downcallHandle(set.get(), FunctionDescriptor.ofVoid(ValueLayout.JAVA_BYTE, ValueLayout.JAVA_BOOLEAN)),
                linker.downcallHandle(is.get(), FunctionDescriptor.of(ValueLayout.JAVA_BOOLEAN, ValueLayout.JAVA_BYTE)),
                linker.downcallHandle(clear.get(), FunctionDescriptor.ofVoid()));
    }
}
