package org.coar.workbench.fit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.coar.workbench.WorkbenchException;

/**
 * Writes a {@link FitConfig} as a regression YAML in the reference layout (data.*, cfg.*) plus the
 * workbench's own section, so {@link FitConfigReader} reads it back and the reference scripts read
 * its reference keys. Least squares is written the reference's way: {@code k: 1, manual_max_lambda: 0}.
 */
public final class FitConfigWriter {
    private final YAMLMapper mapper = new YAMLMapper();

    public String toYaml(FitConfig config) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode data = root.putObject("data");
        putRows(data, "num_train", config.numTrain());
        putRows(data, "num_val", config.numVal());
        if (config.seed() != null) {
            data.put("seed", config.seed());
        }
        data.put("target_start_ind", config.targetStart());
        data.put("target_end_ind", config.targetEnd());
        ObjectNode cfg = root.putObject("cfg");
        boolean leastSquares = config.solver() == Solver.OLS;
        cfg.put("k", leastSquares ? 1 : config.k());
        cfg.put("eps", config.eps());
        cfg.put("use_bias", config.useBias() ? 1 : 0);
        if (leastSquares) {
            cfg.put("manual_max_lambda", 0);
        } else if (config.manualMaxLambda() >= 0) {
            cfg.put("manual_max_lambda", config.manualMaxLambda());
        }
        if (config.outDir() != null) {
            cfg.put("out_dir", config.outDir());
        }
        ObjectNode workbench = root.putObject("workbench");
        workbench.put("solver", config.solver().name().toLowerCase(java.util.Locale.ROOT));
        if (!config.lambdas().isEmpty()) {
            config.lambdas().forEach(workbench.putArray("lambdas")::add);
        }
        if (config.outputArray() != null) {
            workbench.put("output_array", config.outputArray());
        }
        workbench.put("exclude_non_finite", config.excludeNonFinite());
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putRows(ObjectNode node, String key, RowCount rows) {
        if (rows.fraction()) {
            node.put(key, rows.value());
        } else {
            node.put(key, (long) rows.value());
        }
    }

    public void write(FitConfig config, Path file) {
        try {
            Files.writeString(file, toYaml(config));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the regression config (" + e.getMessage() + ")", e);
        }
    }
}
