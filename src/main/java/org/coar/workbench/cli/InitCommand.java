package org.coar.workbench.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.coar.workbench.Sizes;
import org.coar.workbench.spec.SpecCodec;
import org.coar.workbench.spec.StoreSpec;
import org.coar.workbench.store.DiskSpace;
import org.coar.workbench.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create an empty store (one .npy per schema array plus _completed.npy) from a spec.")
final class InitCommand implements Callable<Integer> {
    @Spec
    private CommandSpec commandSpec;

    @Option(names = "--spec", required = true, paramLabel = "SPEC.json",
            description = "Store spec in the reference layout: {\"num_models\": N, \"schema\": {NAME: {\"dtype\": D, \"shape\": [..]}}}.")
    private Path specFile;

    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "Directory to create the store in; created if absent, refused if it already holds store files.")
    private Path storeDir;

    @Override
    public Integer call() {
        StoreSpec spec = new SpecCodec().read(specFile);
        Store.create(storeDir, spec);
        DiskSpace.shortfall(storeDir, spec.dataBytes()).ifPresent(w -> commandSpec.commandLine().getErr().println("warning: " + w));
        commandSpec.commandLine().getOut().printf("Initialised %s: %d models, %d arrays, %s when filled%n",
                storeDir, spec.numModels(), spec.schema().size(), Sizes.human(spec.dataBytes()));
        return 0;
    }
}
