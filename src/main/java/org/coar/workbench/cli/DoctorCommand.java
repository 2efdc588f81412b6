package org.coar.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.coar.workbench.model.DeviceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor", aliases = "devices", mixinStandardHelpOptions = true,
        description = {"Show what the workbench sees for building: the PyTorch natives DJL loads (version, CPU or CUDA build), "
            + "the CUDA runtime, the NVIDIA driver and its GPUs, the devices a build can use, and why a GPU cannot be used.",
            "Exit code 1 when the PyTorch natives do not load (or, with --require-gpu, when no GPU is usable)."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Option(names = "--require-gpu", description = "Fail (exit code 1) unless at least one GPU is usable.")
    private boolean requireGpu;

    @Override
    public Integer call() throws Exception {
        DeviceReport report = DeviceReport.inspect();
        PrintWriter out = commandSpec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
        } else {
            report.lines().forEach(out::println);
        }
        return !report.engineLoaded() || requireGpu && !report.anyGpuUsable() ? 1 : 0;
    }
}
