package org.coar.workbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaRuntimeTest {
    @Test
    void findsTheRuntimeOfAPipTorchBesideItsLib(@TempDir Path tmp) throws Exception {
        // site-packages/torch/lib and site-packages/nvidia/cu13/lib/libcudart.so.13, as pip installs torch 2.11+cu130
        Path lib = Files.createDirectories(tmp.resolve("site-packages/torch/lib"));
        Files.createFile(lib.resolve("libtorch.so"));
        Path nvidia = Files.createDirectories(tmp.resolve("site-packages/nvidia/cu13/lib"));
        Files.createFile(nvidia.resolve("libcudart.so.13"));
        Files.createDirectories(tmp.resolve("site-packages/nvidia/cublas/lib"));
        List<Path> folders = CudaRuntime.candidateFolders(lib.toString(), null);
        assertEquals(lib, folders.getFirst());
        assertTrue(folders.contains(nvidia), folders.toString());
        assertEquals(Optional.of(nvidia.resolve("libcudart.so.13")), CudaRuntime.findIn(folders));
    }

    @Test
    void findsARenamedRuntimeAndTheNewestVersion(@TempDir Path tmp) throws Exception {
        Files.createFile(tmp.resolve("libcudart-8774224f.so.12"));
        Files.createFile(tmp.resolve("libtorch_cuda.so"));
        assertEquals(Optional.of(tmp.resolve("libcudart-8774224f.so.12")), CudaRuntime.findIn(List.of(tmp)));
        Path both = Files.createDirectories(tmp.resolve("both"));
        Files.createFile(both.resolve("libcudart.so.12"));
        Files.createFile(both.resolve("libcudart.so.13"));
        assertEquals(Optional.of(both.resolve("libcudart.so.13")), CudaRuntime.findIn(List.of(tmp.resolve("missing"), both)));
    }

    @Test
    void noRuntimeNoFolder(@TempDir Path tmp) throws Exception {
        Files.createFile(tmp.resolve("libcudnn.so.9"));
        assertEquals(Optional.empty(), CudaRuntime.findIn(List.of(tmp)));
        assertEquals(Path.of("/opt/cuda", "lib64"), CudaRuntime.candidateFolders(null, "/opt/cuda").getFirst());
    }
}
