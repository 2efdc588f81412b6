package org.coar.workbench.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class SvgDocumentTest {
    @Test
    void numbersHaveAtMostTwoDecimalsAndNeverANegativeZero() {
        assertEquals("12.5", SvgDocument.number(12.5));
        assertEquals("3", SvgDocument.number(3.0));
        assertEquals("0.33", SvgDocument.number(1 / 3.0));
        assertEquals("0", SvgDocument.number(-0.001));
        assertEquals("-2.25", SvgDocument.number(-2.25));
    }

    @Test
    void elementsGroupsAndClipsMakeWellFormedSvgWithTextEscaped() throws Exception {
        SvgDocument svg = new SvgDocument(200, 100);
        svg.beginClippedGroup(10, 10, 180, 80);
        svg.add(SvgDocument.element("rect").attr("x", 10).attr("y", 20).attr("width", 30).attr("height", 40).attr("fill", "#ff0000"));
        svg.endGroup();
        svg.add(SvgDocument.element("text").attr("x", 5).attr("y", 95).text("α < β & \"γ\""));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.toXml().getBytes(StandardCharsets.UTF_8)));
        Element root = doc.getDocumentElement();
        assertEquals("svg", root.getTagName());
        assertEquals("0 0 200 100", root.getAttribute("viewBox"));
        Element rect = (Element) doc.getElementsByTagName("rect").item(1); // item 0 is the clip's rectangle
        assertEquals("30", rect.getAttribute("width"));
        assertEquals("url(#clip1)", ((Element) rect.getParentNode()).getAttribute("clip-path"));
        assertEquals("α < β & \"γ\"", doc.getElementsByTagName("text").item(0).getTextContent());
    }
}
