package org.coar.workbench.plot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.coar.workbench.AtomicFiles;
import org.coar.workbench.WorkbenchException;

/**
 * A vector figure as SVG 1.1, built element by element in drawing order (later elements paint over
 * earlier ones). Plain Java: the window's chart export walks its scene graph and adds what it finds.
 * Coordinates are user units (the window's pixels); numbers are written with up to 2 decimals.
 */
public final class SvgDocument {
    private final double width;
    private final double height;
    private final StringBuilder defs = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private final List<String> open = new ArrayList<>();
    private int clips;

    public SvgDocument(double width, double height) {
        this.width = width;
        this.height = height;
    }

    /** One element; {@link #add} writes it. */
    public static final class Element {
        private final String tag;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private String text;

        private Element(String tag) {
            this.tag = tag;
        }

        public Element attr(String name, double value) {
            attributes.put(name, number(value));
            return this;
        }

        /** Sets {@code name}; a null value leaves it out. */
        public Element attr(String name, String value) {
            if (value != null) {
                attributes.put(name, value);
            }
            return this;
        }

        /** The element's text content (for {@code text}). */
        public Element text(String content) {
            text = content;
            return this;
        }
    }

    public static Element element(String tag) {
        return new Element(tag);
    }

    public SvgDocument add(Element element) {
        body.append(indent()).append('<').append(element.tag);
        element.attributes.forEach((name, value) -> body.append(' ').append(name).append("=\"").append(escape(value)).append('"'));
        if (element.text == null) {
            body.append("/>\n");
        } else {
            body.append('>').append(escape(element.text)).append("</").append(element.tag).append(">\n");
        }
        return this;
    }

    /** Starts a group whose content is clipped to the rectangle; {@link #endGroup} ends it. */
    public SvgDocument beginClippedGroup(double x, double y, double w, double h) {
        String id = "clip" + ++clips;
        defs.append("    <clipPath id=\"").append(id).append("\"><rect x=\"").append(number(x)).append("\" y=\"").append(number(y))
                .append("\" width=\"").append(number(w)).append("\" height=\"").append(number(h)).append("\"/></clipPath>\n");
        body.append(indent()).append("<g clip-path=\"url(#").append(id).append(")\">\n");
        open.add("g");
        return this;
    }

    /** Starts a plain group, e.g. with an {@code opacity}. */
    public SvgDocument beginGroup(Element group) {
        body.append(indent()).append("<g");
        group.attributes.forEach((name, value) -> body.append(' ').append(name).append("=\"").append(escape(value)).append('"'));
        body.append(">\n");
        open.add("g");
        return this;
    }

    public SvgDocument endGroup() {
        if (open.isEmpty()) {
            throw new IllegalStateException("no group to end");
        }
        open.removeLast();
        body.append(indent()).append("</g>\n");
        return this;
    }

    public String toXml() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " groups not ended");
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(number(width))
                .append("\" height=\"").append(number(height)).append("\" viewBox=\"0 0 ").append(number(width)).append(' ')
                .append(number(height)).append("\">\n");
        if (!defs.isEmpty()) {
            xml.append("  <defs>\n").append(defs).append("  </defs>\n");
        }
        return xml.append(body).append("</svg>\n").toString();
    }

    public void write(Path file) {
        try {
            AtomicFiles.replace(file, temp -> java.nio.file.Files.writeString(temp, toXml(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot write the figure (" + e.getMessage() + ")", e);
        }
    }

    /** {@code value} with at most 2 decimals and no trailing zeros, never "-0". */
    public static String number(double value) {
        if (!Double.isFinite(value)) {
            return "0";
        }
        String s = String.format(Locale.ROOT, "%.2f", value);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }

    private String indent() {
        return "  ".repeat(open.size() + 1);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append(' '); // not allowed in XML 1.0
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
