package org.coar.workbench.fit.linalg.cuda;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the CUDA runtime, cuBLAS and cuSOLVER shared libraries where users have them, without a
 * CUDA toolkit on the class path: a folder the user names, {@code CUDA_HOME}/{@code CUDA_PATH},
 * {@code LD_LIBRARY_PATH}, the Python environments' NVIDIA pip packages (every CUDA build of
 * PyTorch brings them: {@code site-packages/nvidia/cu13/lib} since CUDA 13,
 * {@code nvidia/cublas/lib}, {@code nvidia/cusolver/lib}, ... before), the dynamic linker's cache
 * ({@code ldconfig -p}) and {@code /usr/local/cuda}.
 *
 * <p>Each place is a <em>source</em>: one set of folders that belong together (a toolkit, one
 * Python environment). The first source that holds all four required libraries wins, so the
 * libraries come from one installation and their versions match.
 */
public final class CudaLibraries {
    /** Libraries the fit calls, in load order (each after what it needs). */
    public static final List<String> REQUIRED = List.of("cudart", "cublasLt", "cublas", "cusolver");
    /** What cuSOLVER links against; loaded first when its source has them (pip's CUDA 12 layout keeps them in other folders). */
    public static final List<String> DEPENDENCIES = List.of("nvJitLink", "cusparse");
    /** Environment variable naming the folder (or site-packages) with the libraries, as {@code --cuda-libs} does. */
    public static final String ENV = "COAR_CUDA_LIBS";

    private static final Pattern SONAME = Pattern.compile("lib([A-Za-z]+)\\.so((?:\\.\\d+)*)");

    /** One place that was searched and what it had. */
    public record Source(String name, List<Path> folders, Map<String, Path> libraries) {
        boolean complete() {
            return libraries.keySet().containsAll(REQUIRED);
        }

        String summary() {
            String where = folders.isEmpty() ? "(no folders)" : folders.size() <= 3 ? folders.toString()
                    : folders.subList(0, 3) + " and " + (folders.size() - 3) + " more";
            List<String> missing = REQUIRED.stream().filter(l -> !libraries.containsKey(l)).map(l -> "lib" + l + ".so").toList();
            return name + " " + where + (missing.isEmpty() ? ": all found" : libraries.isEmpty() ? ": none found"
                    : ": lacks " + String.join(", ", missing));
        }
    }

    /** The libraries to load (in load order) and every place that was searched. */
    public record Found(Optional<Source> source, List<Source> searched) {
        /** Paths in load order: dependencies first, then {@link #REQUIRED}. */
        public List<Path> loadOrder() {
            Source s = source.orElseThrow();
            List<Path> order = new ArrayList<>();
            for (String lib : DEPENDENCIES) {
                if (s.libraries().containsKey(lib)) {
                    order.add(s.libraries().get(lib));
                }
            }
            REQUIRED.forEach(lib -> order.add(s.libraries().get(lib)));
            return order;
        }

        /** "Looked for ... in: ..." for a message when nothing was found. */
        public String searchReport() {
            StringBuilder b = new StringBuilder("looked for libcudart.so, libcublas.so, libcublasLt.so and libcusolver.so in:");
            searched.forEach(s -> b.append("\n  - ").append(s.summary()));
            return b.toString();
        }
    }

    private final Function<String, String> env;
    private final List<String> pythons;

    /** Searches with this process's environment and the {@code python3} on PATH. */
    public CudaLibraries() {
        this(System::getenv, List.of("python3"));
    }

    /** @param env environment lookup (tests pass a map); @param pythons interpreters to ask for their site-packages */
    CudaLibraries(Function<String, String> env, List<String> pythons) {
        this.env = env;
        this.pythons = pythons;
    }

    /** Searches every place in order; {@code folder} (may be null) comes first and, when given, is the only place searched. */
    public Found find(Path folder) {
        List<Source> searched = new ArrayList<>();
        for (Map.Entry<String, List<Path>> place : places(folder).entrySet()) {
            Source source = scan(place.getKey(), place.getValue());
            searched.add(source);
            if (source.complete()) {
                return new Found(Optional.of(source), searched);
            }
        }
        return new Found(Optional.empty(), searched);
    }

    private Map<String, List<Path>> places(Path folder) {
        Map<String, List<Path>> places = new LinkedHashMap<>();
        if (folder == null && env.apply(ENV) != null && !env.apply(ENV).isBlank()) {
            folder = Path.of(env.apply(ENV).trim());
        }
        if (folder != null) {
            // A named folder is the user's choice: take it or say why not, never silently use another installation.
            places.put("the folder named (--cuda-libs / " + ENV + ")", withPipFolders(List.of(folder)));
            return places;
        }
        for (String var : List.of("CUDA_HOME", "CUDA_PATH")) {
            String home = env.apply(var);
            if (home != null && !home.isBlank()) {
                Path h = Path.of(home.trim());
                places.put(var, List.of(h.resolve("lib64"), h.resolve("lib"), h.resolve("targets/x86_64-linux/lib")));
            }
        }
        String ld = env.apply("LD_LIBRARY_PATH");
        if (ld != null && !ld.isBlank()) {
            places.put("LD_LIBRARY_PATH", Stream.of(ld.split(":")).filter(s -> !s.isBlank()).map(Path::of).toList());
        }
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = env.apply(var);
            if (prefix != null && !prefix.isBlank()) {
                Path p = Path.of(prefix.trim());
                List<Path> folders = new ArrayList<>(withPipFolders(sitePackagesUnder(p.resolve("lib"))));
                folders.add(p.resolve("lib")); // conda's cudatoolkit puts the libraries straight into lib/
                places.put(var + " " + p, folders);
            }
        }
        for (String python : pythons) {
            List<Path> sites = askPython(python);
            if (!sites.isEmpty()) {
                places.put(python + "'s site-packages", withPipFolders(sites));
            }
        }
        places.put("the dynamic linker's cache (ldconfig -p)", ldconfigFolders());
        places.put("/usr/local/cuda", List.of(Path.of("/usr/local/cuda/lib64"), Path.of("/usr/local/cuda/targets/x86_64-linux/lib")));
        String home = env.apply("HOME");
        List<Path> common = new ArrayList<>();
        common.addAll(sitePackagesUnder(Path.of("/usr/local/lib")));
        common.addAll(sitePackagesUnder(Path.of("/usr/lib")));
        common.addAll(sitePackagesUnder(Path.of("/opt/conda/lib")));
        if (home != null) {
            Path h = Path.of(home);
            common.addAll(sitePackagesUnder(h.resolve(".local/lib")));
            for (String conda : List.of("miniconda3", "anaconda3", "miniforge3", "mambaforge")) {
                common.addAll(sitePackagesUnder(h.resolve(conda).resolve("lib")));
            }
            for (String venv : List.of(".venv", "venv")) {
                common.addAll(sitePackagesUnder(h.resolve(venv).resolve("lib")));
            }
            try (DirectoryStream<Path> named = Files.newDirectoryStream(h.resolve(".virtualenvs"))) {
                named.forEach(v -> common.addAll(sitePackagesUnder(v.resolve("lib"))));
            } catch (IOException e) {
                // no virtualenvwrapper folder
            }
        }
        places.put("common Python environments (~/.local, /usr/local, conda, ~/.venv)", withPipFolders(common));
        return places;
    }

    /** The folders themselves, plus NVIDIA's pip package folders inside any that is a site-packages. */
    static List<Path> withPipFolders(List<Path> folders) {
        Set<Path> all = new LinkedHashSet<>();
        for (Path f : folders) {
            all.add(f);
            Path nvidia = f.resolve("nvidia");
            if (Files.isDirectory(nvidia)) {
                // CUDA 13 wheels: nvidia/cu13/lib; CUDA 12 wheels: nvidia/cublas/lib, nvidia/cusolver/lib, ...
                // Newest CUDA first, so a mixed environment prefers one consistent set.
                try (Stream<Path> subs = Files.list(nvidia)) {
                    subs.map(s -> s.resolve("lib")).filter(Files::isDirectory)
                            .sorted(Comparator.comparing((Path p) -> p.getParent().getFileName().toString().matches("cu\\d+") ? 0 : 1)
                                    .thenComparing(Comparator.comparing((Path p) -> p.getParent().getFileName().toString()).reversed()))
                            .forEach(all::add);
                } catch (IOException e) {
                    // unreadable: skip
                }
            }
            Path torchLib = f.resolve("torch/lib"); // older PyTorch wheels bundled cuBLAS here
            if (Files.isDirectory(torchLib)) {
                all.add(torchLib);
            }
        }
        return List.copyOf(all);
    }

    /** {@code lib/python3.*}/site-packages and dist-packages under {@code lib}. */
    static List<Path> sitePackagesUnder(Path lib) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(lib)) {
            return found;
        }
        try (DirectoryStream<Path> pythons = Files.newDirectoryStream(lib, "python3*")) {
            for (Path p : pythons) {
                for (String name : List.of("site-packages", "dist-packages")) {
                    if (Files.isDirectory(p.resolve(name))) {
                        found.add(p.resolve(name));
                    }
                }
            }
        } catch (IOException e) {
            // unreadable: nothing here
        }
        return found;
    }

    private static List<Path> askPython(String python) {
        List<String> lines = run(List.of(python, "-c", "import site, sys; print('\\n'.join([p for p in sys.path if p.endswith(('site-packages', 'dist-packages'))]))"));
        return lines.stream().filter(l -> !l.isBlank()).map(Path::of).filter(Files::isDirectory).toList();
    }

    private static List<Path> ldconfigFolders() {
        Set<Path> folders = new LinkedHashSet<>();
        List<String> lines = run(List.of("ldconfig", "-p"));
        if (lines.isEmpty()) {
            lines = run(List.of("/sbin/ldconfig", "-p"));
        }
        for (String line : lines) {
            int arrow = line.indexOf("=> ");
            if (arrow > 0 && line.contains("libcu")) {
                Path parent = Path.of(line.substring(arrow + 3).trim()).getParent();
                if (parent != null) {
                    folders.add(parent);
                }
            }
        }
        return List.copyOf(folders);
    }

    /** Output lines of a short command; empty when it is missing, fails or takes over 10 s. */
    private static List<String> run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            process.getOutputStream().close();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null && lines.size() < 100_000) {
                    lines.add(line);
                }
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return List.of();
            }
            return process.exitValue() == 0 ? lines : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** What these folders hold: for each library the first folder that has it, its highest version there. */
    static Source scan(String name, List<Path> folders) {
        Map<String, Path> libraries = new LinkedHashMap<>();
        List<String> wanted = new ArrayList<>(DEPENDENCIES);
        wanted.addAll(REQUIRED);
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            Map<String, Path> best = new LinkedHashMap<>();
            Map<String, int[]> bestVersion = new LinkedHashMap<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "lib*.so*")) {
                for (Path file : files) {
                    Matcher m = SONAME.matcher(file.getFileName().toString());
                    if (!m.matches() || !wanted.contains(m.group(1))) {
                        continue;
                    }
                    int[] version = version(m.group(2));
                    Path current = best.get(m.group(1));
                    int order = current == null ? 1 : compare(version, bestVersion.get(m.group(1)));
                    // Same major version: the shorter name (the soname link) rather than the file it links to.
                    if (order > 0 || order == 0 && file.getFileName().toString().length() < current.getFileName().toString().length()) {
                        bestVersion.put(m.group(1), version);
                        best.put(m.group(1), file);
                    }
                }
            } catch (IOException e) {
                continue;
            }
            best.forEach(libraries::putIfAbsent);
        }
        return new Source(name, folders, Map.copyOf(libraries));
    }

    /**
     * ".so.13" → {13}, ".so.12.8.4.1" → {12, 8, 4, 1}, ".so" → {} (the unversioned developer link,
     * ranked lowest). Only the major version decides between files of one library: the file
     * named by the soname (one number) and the fully versioned file it links to are the same.
     */
    static int[] version(String suffix) {
        if (suffix.isEmpty()) {
            return new int[0];
        }
        String[] parts = suffix.substring(1).split("\\.");
        return new int[] {Integer.parseInt(parts[0])};
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return Integer.compare(a.length, b.length);
    }
}
