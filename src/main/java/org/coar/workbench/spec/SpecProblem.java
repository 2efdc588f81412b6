package org.coar.workbench.spec;

/**
 * One problem in a spec.
 *
 * @param field JSON path of the offending field, e.g. {@code schema.masks.dtype}; empty for the document
 * @param line  1-based line in the source text, or 0 when unknown
 * @param column 1-based column in the source text, or 0 when unknown
 */
public record SpecProblem(String field, String message, int line, int column) {
    @Override
    public String toString() {
        String where = line > 0 ? "line " + line + ", column " + column + ": " : "";
        return where + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
