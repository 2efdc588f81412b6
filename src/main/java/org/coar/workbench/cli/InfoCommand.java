package org.coar.workbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.coar.workbench.Sizes;
import java.util.stream.Collectors;
import org.coar.workbench.npy.NpyArray;
import org.coar.workbench.npy.NpyHeader;
import org.coar.workbench.store.RowRange;
import org.coar.workbench.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Describe a store: arrays (dtype, shape, size on disk), rows completed, pending row ranges.")
final class InfoCommand implements Callable<Integer> {
    private static final int MAX_RANGES_SHOWN = 20;

    @Spec
    private CommandSpec commandSpec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Store directory.")
    private Path storeDir;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = commandSpec.commandLine().getOut();
        try (Store store = Store.open(storeDir, false)) {
            out.printf("Store %s%n", storeDir.toAbsolutePath().normalize());
            out.printf("  %-20s %-8s %-24s %s%n", "array", "dtype", "shape", "file size");
            for (String name : store.arrayNames()) {
                NpyArray array = store.array(name);
                out.printf("  %-20s %-8s %-24s %s%n", name, array.dtype().numpyName(),
                        NpyHeader.shapeString(array.header().shape()), Sizes.human(Files.size(array.file())));
            }
            long done = store.completedCount();
            out.printf("Rows completed: %d / %d (%.1f%%)%n", done, store.numModels(), 100.0 * done / store.numModels());
            List<RowRange> ranges = store.rowRanges();
            String shown = ranges.stream().limit(MAX_RANGES_SHOWN).map(RowRange::toString).collect(Collectors.joining(", "));
            out.printf("Rows: %s%s%n", shown, ranges.size() > MAX_RANGES_SHOWN
                    ? ", ... (" + (ranges.size() - MAX_RANGES_SHOWN) + " more ranges)" : "");
            TaskTable.print(out, org.coar.workbench.ablation.TaskRecord.readAll(storeDir), java.time.Duration.ofMinutes(5));
        }
        return 0;
    }
}
