package org.coar.workbench.evaluation;

import java.util.Arrays;
import java.util.Locale;
import org.coar.workbench.WorkbenchException;

/** The cheap alternatives COAR is compared with, as in the paper's Fig. 1. */
public enum Baseline {
    /** Ablate each component alone: p model runs, cached beside the store. */
    LEAVE_ONE_OUT("loo", LeaveOneOut.METHOD),
    /** Gradient of the output times the weights, summed over each component's slice: one backward pass per example. */
    GRADIENT_X_PARAMETER("grad-x-param", GradientTimesParameter.METHOD),
    /** L2 norm of each component's weight slice, the same for every example. */
    WEIGHT_NORM("weight-norm", WeightNorm.METHOD);

    private final String cliName;
    private final String method;

    Baseline(String cliName, String method) {
        this.cliName = cliName;
        this.method = method;
    }

    public String cliName() {
        return cliName;
    }

    /** The name in reports and figures. */
    public String method() {
        return method;
    }

    public static Baseline parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(b -> b.cliName.equals(n)).findFirst()
                .orElseThrow(() -> new WorkbenchException("--baselines: unknown baseline '" + name + "'; use "
                        + String.join(", ", Arrays.stream(values()).map(Baseline::cliName).toList()) + " or none"));
    }
}
