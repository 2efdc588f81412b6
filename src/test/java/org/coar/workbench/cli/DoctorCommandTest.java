package org.coar.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.coar.workbench.model.GpuNames;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'coar doctor' for real, each in its own JVM: natives load once per process and DJL reads its settings from the environment. */
class DoctorCommandTest {
    private record Run(int exitCode, String output) {
    }

    private static Run doctor(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "org.coar.workbench.cli.Main", "doctor"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (String name : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR")) {
            builder.environment().remove(name);
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "doctor timed out");
        return new Run(process.exitValue(), output);
    }

    private static boolean noGpuHere() {
        return GpuNames.inventory().gpus().isEmpty();
    }

    @Test
    void onThisMachineTheBundledCpuNativesLoadAndTheMissingGpuIsExplained() throws Exception {
        Run run = doctor(Map.of());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("libtorch 2.7.1 (cpu) in "), run.output());
        assertTrue(run.output().contains("CUDA in libtorch: no"), run.output());
        Assumptions.assumeTrue(noGpuHere(), "a machine with a GPU driver: the no-GPU reasons differ");
        assertTrue(run.output().contains("Devices a build can use: cpu\n"), run.output());
        assertTrue(run.output().contains("problem: No GPU: nvidia-smi"), run.output());

        Run required = doctor(Map.of(), "--require-gpu");
        assertEquals(1, required.exitCode(), "no GPU usable: --require-gpu fails");
        Run json = doctor(Map.of(), "--json");
        assertTrue(json.output().contains("\"usable_devices\" : [ \"cpu\" ]"), json.output());
    }

    @Test
    void aFolderWithoutLibtorchIsIgnoredAndSaidSo(@TempDir Path tmp) throws Exception {
        Run run = doctor(Map.of("PYTORCH_LIBRARY_PATH", tmp.toString()));
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("PYTORCH_LIBRARY_PATH=" + tmp + " holds no libtorch.so, so DJL ignores it"), run.output());
        assertTrue(run.output().contains("libtorch 2.7.1 (cpu)"), "the bundled natives still load: " + run.output());
    }

    @Test
    void aBrokenLibtorchIsReportedWithTheLibraryAndExitCode1(@TempDir Path tmp) throws Exception {
        Files.write(tmp.resolve("libtorch.so"), new byte[] {1, 2, 3});
        Run run = doctor(Map.of("PYTORCH_LIBRARY_PATH", tmp.toString(), "PYTORCH_VERSION", "2.7.1", "PYTORCH_FLAVOR", "cpu",
                "DJL_CACHE_DIR", tmp.resolve("cache").toString()));
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("NOT LOADED: the PyTorch natives from PYTORCH_LIBRARY_PATH=" + tmp + " failed to load ("),
                run.output());
        assertTrue(run.output().contains("libtorch.so"), run.output());
        assertTrue(run.output().contains("Devices a build can use: none"), run.output());
    }

    @Test
    void aLibtorchOfAnotherVersionNeedsItsOwnBridge(@TempDir Path tmp) throws Exception {
        // Debian's python3-torch: a real libtorch (1.13) for which DJL ships no JNI bridge
        Path debian = Path.of("/usr/lib/python3/dist-packages/torch/lib");
        Assumptions.assumeTrue(Files.exists(debian.resolve("libtorch.so")), "Debian's python3-torch is not installed");
        Run run = doctor(Map.of("PYTORCH_LIBRARY_PATH", debian.toString(), "PYTORCH_VERSION", "1.13.1", "PYTORCH_FLAVOR", "cpu",
                "DJL_CACHE_DIR", tmp.toString()));
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("(version 1.13.1, flavour cpu) need DJL's JNI bridge for that version and DJL 0.35.1"),
                run.output());
        assertTrue(run.output().contains(tmp.resolve("pytorch/1.13.1-cpu-linux-x86_64/0.35.1-libdjl_torch.so").toString()), run.output());
    }
}
