package org.coar.workbench.fit.linalg;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Makes OpenBLAS use kernels that fit the CPU. OpenBLAS picks its kernels once, when it loads, from
 * the CPU model; a model newer than the library (ND4J's OpenBLAS 0.3.19 on an Intel Xeon of family
 * 6, model 207, for one) makes it fall back to its Prescott (SSE3) kernels, 5–8× slower. Before
 * OpenBLAS loads, when the user has not set {@code OPENBLAS_CORETYPE}, this sets it for this
 * process from the CPU's own flags: AVX-512 → SkylakeX (Cooperlake with AVX-512 BF16), AVX2 + FMA
 * → Haswell. Only Intel CPUs are given a core type: OpenBLAS 0.3.19 maps every AMD Zen to its
 * Zen kernels already, and newer Intel cores run the SkylakeX kernels as they are.
 * After loading, {@link #loadedCore()} reads the core OpenBLAS chose, for report.json.
 */
public final class OpenBlasCores {
    static final String VARIABLE = "OPENBLAS_CORETYPE";
    /** A core type to use instead of the one chosen from the CPU's flags (benchmarks compare kernels with it). */
    static final String PROPERTY = "coar.openblas.coretype";
    private static volatile String decision = "not prepared (OpenBLAS may have loaded first)";

    private OpenBlasCores() {
    }

    /** Sets OPENBLAS_CORETYPE for this process when it should be; call before OpenBLAS loads. */
    static synchronized void prepare() {
        if (!decision.startsWith("not prepared")) {
            return;
        }
        String preset = System.getenv(VARIABLE);
        if (preset != null && !preset.isBlank()) {
            decision = VARIABLE + "=" + preset + " (set by the user)";
            return;
        }
        Optional<CpuInfo> cpu = CpuInfo.read(Path.of("/proc/cpuinfo"));
        String asked = System.getProperty(PROPERTY);
        if (asked != null && !asked.isBlank()) {
            decision = setenv(VARIABLE, asked.trim()) ? VARIABLE + "=" + asked.trim() + " (from -D" + PROPERTY + ")"
                    : "could not set " + VARIABLE + " from -D" + PROPERTY;
            return;
        }
        Optional<String> core = cpu.flatMap(OpenBlasCores::coreFor);
        if (core.isEmpty()) {
            decision = "OpenBLAS chose its kernels itself (" + cpu.map(CpuInfo::describe).orElse("CPU not identified") + ")";
            return;
        }
        if (setenv(VARIABLE, core.get())) {
            decision = VARIABLE + "=" + core.get() + " chosen from the CPU's flags (" + cpu.get().describe() + ")";
        } else {
            decision = "could not set " + VARIABLE + " (" + cpu.get().describe() + ")";
        }
    }

    /** What {@link #prepare} did, for report.json. */
    static String decision() {
        return decision;
    }

    /** The core type whose kernels suit {@code cpu}, for an Intel CPU; empty to let OpenBLAS choose. */
    static Optional<String> coreFor(CpuInfo cpu) {
        if (!cpu.vendor().equals("GenuineIntel")) {
            return Optional.empty();
        }
        Set<String> f = cpu.flags();
        if (f.containsAll(List.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
            return Optional.of(f.contains("avx512_bf16") ? "Cooperlake" : "SkylakeX");
        }
        if (f.containsAll(List.of("avx2", "fma"))) {
            return Optional.of("Haswell");
        }
        return Optional.empty();
    }

    /** The core name OpenBLAS reports now that it is loaded ({@code openblas_get_corename}), or "unknown". */
    @SuppressWarnings("restricted")
    static String loadedCore() {
        try {
            Optional<MemorySegment> symbol = SymbolLookup.loaderLookup().find("openblas_get_corename");
            if (symbol.isEmpty()) {
                return "unknown";
            }
            MethodHandle corename = Linker.nativeLinker().downcallHandle(symbol.get(), FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment name = (MemorySegment) corename.invokeExact();
            return name.reinterpret(64).getString(0);
        } catch (Throwable t) {
            return "unknown (" + t.getClass().getSimpleName() + ")";
        }
    }

    @SuppressWarnings("restricted")
    private static boolean setenv(String name, String value) {
        try (Arena arena = Arena.ofConfined()) {
            Linker linker = Linker.nativeLinker();
            MemorySegment symbol = linker.defaultLookup().find("setenv").orElseThrow();
            MethodHandle setenv = linker.downcallHandle(symbol,
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            return (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 0) == 0;
        } catch (Throwable t) {
            return false;
        }
    }

    /** The fields of /proc/cpuinfo that decide kernels. */
    record CpuInfo(String vendor, int family, int model, String name, Set<String> flags) {
        static Optional<CpuInfo> read(Path file) {
            try {
                return parse(Files.readString(file));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        static Optional<CpuInfo> parse(String text) {
            String vendor = null;
            String name = "";
            int family = -1;
            int model = -1;
            Set<String> flags = new HashSet<>();
            for (String line : text.lines().toList()) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    if (vendor != null && !flags.isEmpty()) {
                        break; // the first processor is enough
                    }
                    continue;
                }
                String key = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                switch (key) {
                    case "vendor_id" -> vendor = value;
                    case "cpu family" -> family = Integer.parseInt(value);
                    case "model" -> model = Integer.parseInt(value);
                    case "model name" -> name = value;
                    case "flags" -> flags.addAll(Arrays.asList(value.toLowerCase(Locale.ROOT).split("\\s+")));
                    default -> { }
                }
            }
            return vendor == null ? Optional.empty() : Optional.of(new CpuInfo(vendor, family, model, name, Set.copyOf(flags)));
        }

        String describe() {
            return vendor + " family " + family + " model " + model + (name.isEmpty() ? "" : ", " + name);
        }
    }
}
