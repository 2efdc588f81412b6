package org.coar.workbench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tables as CSV (RFC 4180): fields separated by commas, records ended by CRLF, a field holding a
 * comma, a double quote, CR or LF enclosed in double quotes with its quotes doubled.
 */
public final class Csv {
    private Csv() {
    }

    /** A header record, then one record per row. */
    public static String of(List<String> header, List<List<String>> rows) {
        StringBuilder csv = new StringBuilder();
        record(csv, header);
        rows.forEach(row -> record(csv, row));
        return csv.toString();
    }

    public static void write(Path file, List<String> header, List<List<String>> rows) {
        try {
            AtomicFiles.replace(file, temp -> Files.writeString(temp, of(header, rows), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the table (" + e.getMessage() + ")", e);
        }
    }

    private static void record(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }

    /** One field, quoted where RFC 4180 requires it; null is empty. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
