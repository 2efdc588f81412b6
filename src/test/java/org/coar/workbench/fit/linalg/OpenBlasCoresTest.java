package org.coar.workbench.fit.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenBlasCoresTest {
    private static final String XEON_207 = """
            processor	: 0
            vendor_id	: GenuineIntel
            cpu family	: 6
            model		: 207
            model name	: INTEL(R) XEON(R) PLATINUM 8581C CPU @ 2.10GHz
            flags		: fpu sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma avx512f avx512dq avx512cd avx512bw avx512vl avx512_bf16 amx_tile

            processor	: 1
            vendor_id	: GenuineIntel
            """;
    private static final String EPYC = """
            processor	: 0
            vendor_id	: AuthenticAMD
            cpu family	: 25
            model		: 1
            model name	: AMD EPYC
            flags		: fpu sse sse2 avx avx2 fma
            """;

    private static Optional<String> core(String cpuinfo) {
        return OpenBlasCores.CpuInfo.parse(cpuinfo).flatMap(OpenBlasCores::coreFor);
    }

    @Test
    void anIntelCoreNewerThanOpenBlasGetsKernelsFromItsFlags() {
        OpenBlasCores.CpuInfo cpu = OpenBlasCores.CpuInfo.parse(XEON_207).orElseThrow();
        assertEquals(6, cpu.family());
        assertEquals(207, cpu.model());
        assertEquals(Optional.of("Cooperlake"), core(XEON_207));
        assertEquals(Optional.of("SkylakeX"), core(XEON_207.replace(" avx512_bf16", "")));
        assertEquals(Optional.of("Haswell"), core(XEON_207.replaceAll(" avx512\\w*", "")));
        assertEquals(Optional.empty(), core(XEON_207.replaceAll(" avx512\\w*| avx2| fma", "")), "no AVX2: OpenBLAS chooses");
    }

    @Test
    void amdCpusAreLeftToOpenBlas() {
        assertEquals(Optional.empty(), core(EPYC));
    }

    /** The core type set from inside the JVM (setenv before OpenBLAS loads) is the one OpenBLAS runs. */
    @Test
    void aCoreTypeSetBeforeOpenBlasLoadsIsTheOneItRuns() throws Exception {
        for (String core : new String[] {"Haswell", "Prescott"}) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-D" + OpenBlasCores.PROPERTY + "=" + core,
                    "-cp", System.getProperty("java.class.path"), Describe.class.getName()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.contains("core " + core + "; OPENBLAS_CORETYPE=" + core), out);
        }
    }

    /** Prints the backend's description (run in a fresh JVM by the test above). */
    public static final class Describe {
        public static void main(String[] args) {
            try (Nd4jLinearAlgebra la = new Nd4jLinearAlgebra()) {
                System.out.println(la.description());
            }
        }
    }

    @Test
    void theLoadedCoreIsReported() {
        try (Nd4jLinearAlgebra la = new Nd4jLinearAlgebra()) {
            String description = la.description();
            assertTrue(description.contains("core "), description);
            assertFalse(Nd4jLinearAlgebra.core().startsWith("unknown"), Nd4jLinearAlgebra.core());
        }
    }
}
