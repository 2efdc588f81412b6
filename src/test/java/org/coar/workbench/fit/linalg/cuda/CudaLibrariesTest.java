package org.coar.workbench.fit.linalg.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the CUDA libraries are looked for, on folder trees laid out as CUDA, pip and conda lay them out. */
class CudaLibrariesTest {
    private static final List<String> CUDA13 = List.of("libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcusolver.so.12",
            "libcusparse.so.12", "libnvJitLink.so.13");

    private static Path touch(Path folder, String... names) throws IOException {
        Files.createDirectories(folder);
        for (String n : names) {
            Files.writeString(folder.resolve(n), "");
        }
        return folder;
    }

    private static CudaLibraries with(Map<String, String> env) {
        return new CudaLibraries(env::get, List.of());
    }

    @Test
    void pipsCuda13LayoutLoadsCusolversDependenciesFirst(@TempDir Path tmp) throws IOException {
        Path lib = touch(tmp.resolve("site-packages/nvidia/cu13/lib"), CUDA13.toArray(String[]::new));
        CudaLibraries.Found found = with(Map.of()).find(tmp.resolve("site-packages"));
        assertEquals(List.of("libnvJitLink.so.13", "libcusparse.so.12", "libcudart.so.13", "libcublasLt.so.13", "libcublas.so.13",
                "libcusolver.so.12"), found.loadOrder().stream().map(p -> p.getFileName().toString()).toList());
        assertTrue(found.loadOrder().stream().allMatch(p -> p.getParent().equals(lib)));
    }

    @Test
    void pipsCuda12LayoutHasOneFolderPerPackage(@TempDir Path tmp) throws IOException {
        Path site = tmp.resolve("lib/python3.11/site-packages");
        touch(site.resolve("nvidia/cuda_runtime/lib"), "libcudart.so.12");
        touch(site.resolve("nvidia/cublas/lib"), "libcublas.so.12", "libcublasLt.so.12", "libnvblas.so.12");
        touch(site.resolve("nvidia/cusolver/lib"), "libcusolver.so.11", "libcusolverMg.so.11");
        touch(site.resolve("nvidia/cusparse/lib"), "libcusparse.so.12");
        touch(site.resolve("nvidia/nvjitlink/lib"), "libnvJitLink.so.12");
        CudaLibraries.Found found = with(Map.of("VIRTUAL_ENV", tmp.toString())).find(null);
        assertTrue(found.source().orElseThrow().name().startsWith("VIRTUAL_ENV"), found.searchReport());
        assertEquals(site.resolve("nvidia/cusparse/lib/libcusparse.so.12"), found.loadOrder().get(1));
        assertEquals(site.resolve("nvidia/cusolver/lib/libcusolver.so.11"), found.loadOrder().get(5));
    }

    @Test
    void cudaHomeComesBeforeLdLibraryPathAndTheNewestMajorVersionWins(@TempDir Path tmp) throws IOException {
        Path toolkit = touch(tmp.resolve("cuda/lib64"), "libcudart.so", "libcudart.so.12", "libcudart.so.13", "libcudart.so.13.0.96",
                "libcublas.so.13", "libcublasLt.so.13", "libcusolver.so.12");
        Path other = touch(tmp.resolve("other"), CUDA13.toArray(String[]::new));
        CudaLibraries.Found found = with(Map.of("CUDA_HOME", tmp.resolve("cuda").toString(), "LD_LIBRARY_PATH", other.toString())).find(null);
        assertEquals("CUDA_HOME", found.source().orElseThrow().name());
        assertEquals(toolkit.resolve("libcudart.so.13"), found.loadOrder().get(0), "the soname link of the newest major version");
        assertEquals(4, found.loadOrder().size(), "the toolkit has no separate cuSPARSE / nvJitLink here; none are borrowed from elsewhere");
    }

    @Test
    void anIncompleteFolderIsReportedWithWhatItLacks(@TempDir Path tmp) throws IOException {
        Path half = touch(tmp.resolve("half"), "libcudart.so.13", "libcublas.so.13");
        CudaLibraries.Found found = with(Map.of("CUDA_HOME", tmp.resolve("nowhere").toString())).find(half);
        assertTrue(found.source().isEmpty());
        assertEquals(1, found.searched().size(), "a named folder is the only place searched");
        String report = found.searchReport();
        assertTrue(report.contains(half.toString()) && report.contains("lacks libcublasLt.so, libcusolver.so"), report);
    }

    @Test
    void theEnvironmentVariableNamesTheFolderLikeTheOption(@TempDir Path tmp) throws IOException {
        Path lib = touch(tmp.resolve("libs"), CUDA13.toArray(String[]::new));
        CudaLibraries.Found found = with(Map.of(CudaLibraries.ENV, lib.toString())).find(null);
        assertEquals(lib.resolve("libcudart.so.13"), found.loadOrder().get(2));
        assertTrue(found.source().orElseThrow().name().contains(CudaLibraries.ENV));
    }
}
