package org.coar.workbench.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Points DJL at a CUDA runtime library. DJL counts GPUs by loading {@code libcudart} through JNA
 * by its plain name, so it sees no GPU when the runtime sits beside the libtorch it loads instead
 * of on the library path: a pip/conda torch keeps it in {@code site-packages/nvidia/.../lib}, and
 * DJL's own CUDA natives ship it renamed ({@code libcudart-8774224f.so.12}). Before DJL starts,
 * this finds such a runtime and sets {@code jna.library.path} to its folder (to a link named
 * {@code libcudart.so} for a renamed one). It changes nothing when {@code jna.library.path} is set.
 */
public final class CudaRuntime {
    private static final Pattern PLAIN = Pattern.compile("libcudart\\.so(\\.\\d+)*");
    private static final Pattern ANY = Pattern.compile("libcudart(-[0-9a-f]+)?\\.so(\\.\\d+)*");
    private static volatile String chosen;
    private static boolean prepared;

    private CudaRuntime() {
    }

    /** Idempotent; call before the first use of DJL's engine or CudaUtils. */
    public static synchronized void prepare() {
        if (prepared) {
            return;
        }
        prepared = true;
        if (System.getProperty("jna.library.path") != null) {
            return;
        }
        try {
            Optional<Path> runtime = find();
            if (runtime.isPresent()) {
                Path dir = jnaFolder(runtime.get());
                System.setProperty("jna.library.path", dir.toString());
                chosen = runtime.get().toString();
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: without it DJL looks on the library path as usual.
        }
    }

    /** The CUDA runtime this process pointed DJL at, or null (none found, or jna.library.path set by the user). */
    public static String chosen() {
        return chosen;
    }

    /** Folders where a CUDA runtime for the libtorch DJL will load may lie, most specific first. */
    static List<Path> candidateFolders(String pytorchLibraryPath, String cudaHome) {
        List<Path> folders = new ArrayList<>();
        if (pytorchLibraryPath != null) {
            for (String entry : pytorchLibraryPath.split(java.io.File.pathSeparator)) {
                if (entry.isBlank()) {
                    continue;
                }
                Path lib = Path.of(entry);
                folders.add(lib);
                // pip/conda layout: site-packages/torch/lib beside site-packages/nvidia/<package>/lib
                Path torchPackage = lib.toAbsolutePath().normalize().getParent();
                Path nvidia = torchPackage == null || torchPackage.getParent() == null ? null : torchPackage.getParent().resolve("nvidia");
                if (nvidia != null && Files.isDirectory(nvidia)) {
                    try (DirectoryStream<Path> packages = Files.newDirectoryStream(nvidia)) {
                        for (Path p : packages) {
                            folders.add(p.resolve("lib"));
                        }
                    } catch (IOException e) {
                        // unreadable: skip
                    }
                }
            }
        }
        if (cudaHome != null) {
            folders.add(Path.of(cudaHome, "lib64"));
        }
        folders.add(Path.of("/usr/local/cuda/lib64"));
        return folders;
    }

    /** The first CUDA runtime in {@code folders} (newest version within a folder), if any. */
    static Optional<Path> findIn(List<Path> folders) {
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (var files = Files.list(folder)) {
                Optional<Path> found = files.filter(f -> ANY.matcher(f.getFileName().toString()).matches())
                        .max(Comparator.comparing(f -> f.getFileName().toString()));
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                // unreadable: skip
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> find() throws IOException {
        String cudaHome = System.getenv("CUDA_HOME") != null ? System.getenv("CUDA_HOME") : System.getenv("CUDA_PATH");
        Optional<Path> found = findIn(candidateFolders(System.getenv("PYTORCH_LIBRARY_PATH"), cudaHome));
        return found.isPresent() ? found : fromBundledNatives();
    }

    /** DJL's CUDA natives on the class path (profile cu124): their renamed runtime, extracted once. */
    private static Optional<Path> fromBundledNatives() throws IOException {
        ClassLoader loader = CudaRuntime.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream("native/lib/pytorch.properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(in);
            String flavor = properties.getProperty("flavor", "");
            String classifier = properties.getProperty("classifier", "");
            String runtime = java.util.Arrays.stream(properties.getProperty("libraries", "").split(","))
                    .filter(n -> ANY.matcher(n).matches()).findFirst().orElse(null);
            if (!flavor.startsWith("cu") || runtime == null) {
                return Optional.empty();
            }
            Path target = cacheDir().resolve(flavor).resolve(runtime);
            if (!Files.exists(target)) {
                try (InputStream lib = loader.getResourceAsStream("pytorch/" + flavor + "/" + classifier + "/" + runtime)) {
                    if (lib == null) {
                        return Optional.empty();
                    }
                    Files.createDirectories(target.getParent());
                    Path temp = Files.createTempFile(target.getParent(), runtime, ".tmp");
                    Files.copy(lib, temp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return Optional.of(target);
        }
    }

    /** The folder to give JNA: the runtime's own when JNA can find it there by name, else one with a plain-named link. */
    private static Path jnaFolder(Path runtime) throws IOException {
        if (PLAIN.matcher(runtime.getFileName().toString()).matches()) {
            return runtime.getParent().toAbsolutePath();
        }
        Path dir = cacheDir().resolve("jna-" + Integer.toHexString(runtime.toAbsolutePath().toString().hashCode()));
        Files.createDirectories(dir);
        Path link = dir.resolve("libcudart.so");
        if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(runtime.toAbsolutePath())) {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, runtime.toAbsolutePath());
        }
        return dir;
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("coar-workbench").resolve("cuda");
    }
}
