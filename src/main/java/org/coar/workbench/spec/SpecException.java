package org.coar.workbench.spec;

import java.util.List;
import org.coar.workbench.WorkbenchException;

/** A spec that cannot be used; {@link #problems()} lists every problem, each naming its field. */
public class SpecException extends WorkbenchException {
    private final List<SpecProblem> problems;

    public SpecException(String source, List<SpecProblem> problems) {
        super(source + ": invalid spec:\n  " + String.join("\n  ", problems.stream().map(SpecProblem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() {
        return problems;
    }
}
