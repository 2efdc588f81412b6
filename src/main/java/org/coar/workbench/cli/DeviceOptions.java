package org.coar.workbench.cli;

import java.util.List;
import org.coar.workbench.WorkbenchException;
import org.coar.workbench.model.BatchSize;
import org.coar.workbench.model.Devices;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Where the commands that run the model run it: devices, CPU replicas, batch size. */
final class DeviceOptions {
    @Option(names = "--devices", paramLabel = "LIST", split = ",", converter = DeviceNameConverter.class,
            description = "Devices, e.g. cpu or cuda:0,cuda:1; one worker and model replica each (default, or auto: every GPU, "
                    + "else the CPU).")
    List<String> devices = List.of();

    @Option(names = "--cpu-workers", paramLabel = "N", defaultValue = "0",
            description = "Model replicas on the CPU, one single-threaded worker each (default: one per core).")
    int cpuWorkers;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "auto", converter = BatchSizeConverter.class,
            description = "Examples per forward pass, or auto (default): 100 on the CPU, on a GPU the largest batch that fits "
                    + "in about half of its free memory.")
    int batchSize;

    /**
     * A device's name as the services take it (cpu, cuda:N; auto as it is), so a misspelt one is a
     * usage error; whether the device exists here is for the job to say.
     */
    static final class DeviceNameConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.trim().equalsIgnoreCase(Devices.AUTO)) {
                return Devices.AUTO;
            }
            try {
                return Devices.name(Devices.parse(value));
            } catch (WorkbenchException e) {
                throw new TypeConversionException(e.getMessage().replaceFirst("^--devices: ", ""));
            }
        }
    }

    /** "auto" is 0, which the services resolve per device. */
    static final class BatchSizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                return BatchSize.parse(value);
            } catch (WorkbenchException e) {
                throw new TypeConversionException("expected a positive number or auto, got '" + value + "'");
            }
        }
    }
}
