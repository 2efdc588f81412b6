package org.coar.workbench.ui.common;

import org.coar.workbench.WorkbenchException;

/** Reads numbers typed into form fields; a field that does not parse is an error naming it. */
public final class FormFields {
    private FormFields() {
    }

    public static long wholeNumber(String text, String field) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new WorkbenchException(field + ": expected a whole number, got '" + text + "'");
        }
    }

    public static double number(String text, String field) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new WorkbenchException(field + ": expected a number, got '" + text.trim() + "'");
        }
    }
}
