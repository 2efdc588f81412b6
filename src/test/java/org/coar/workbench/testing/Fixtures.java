package org.coar.workbench.testing;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Test resources and the numpy interpreter used for interop checks. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path resource(String name) {
        URL url = Fixtures.class.getResource("/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A python3 that imports numpy (Debian's first), or empty. */
    public static java.util.Optional<String> pythonWithNumpy() {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return java.util.Optional.of(candidate);
                }
            } catch (IOException | InterruptedException e) {
                // try the next one
            }
        }
        return java.util.Optional.empty();
    }

    public record Result(int exitCode, String output) {
    }

    /**
     * Runs a python script from {@code tools/} (or inline code with "-c"); skips the test when no
     * python3 with numpy is present. CI installs Debian's python3-numpy, so there it always runs.
     */
    public static Result python(String... args) throws IOException, InterruptedException {
        String python = pythonWithNumpy().orElse(null);
        Assumptions.assumeTrue(python != null, "python3 with numpy not installed (apt-get install python3-numpy)");
        List<String> command = new ArrayList<>();
        command.add(python);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("python timed out: " + command);
        }
        return new Result(p.exitValue(), output);
    }

    public static Path tool(String name) {
        Path path = Path.of("tools", name);
        if (!Files.exists(path)) {
            throw new IllegalStateException("missing " + path.toAbsolutePath());
        }
        return path;
    }
}
