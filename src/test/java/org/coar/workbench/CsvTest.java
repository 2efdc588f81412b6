package org.coar.workbench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.coar.workbench.testing.CsvRecords;
import org.junit.jupiter.api.Test;

class CsvTest {
    @Test
    void fieldsWithCommasQuotesAndLineBreaksAreQuotedAsRfc4180Says() {
        assertEquals("plain", Csv.field("plain"));
        assertEquals("\"a,b\"", Csv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.field("two\nlines"));
        assertEquals("", Csv.field(null));
        assertEquals("h1,h2\r\n1,\"x,y\"\r\n", Csv.of(List.of("h1", "h2"), List.of(List.of("1", "x,y"))));
    }

    @Test
    void awkwardTextRoundTripsThroughAnRfc4180Reader() {
        List<String> header = List.of("name", "note");
        List<List<String>> rows = List.of(List.of("conv1.weight[3]", "kept, then \"ablated\""), List.of("", "line one\r\nline two"),
                List.of("\"", ",,"));
        List<List<String>> expected = new java.util.ArrayList<>();
        expected.add(header);
        expected.addAll(rows);
        assertEquals(expected, CsvRecords.parse(Csv.of(header, rows)));
    }
}
