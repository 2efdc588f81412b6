package org.coar.workbench.ui.common;

/**
 * How a dialog lays out its message so none of it is cut: a short message is the dialog's text, in
 * full and wrapped; a long one (a path-heavy error, a list of conflicts) gets its first sentence as
 * the text and the whole message below it in a scrollable, selectable details area, shown expanded.
 *
 * @param summary the text shown above (the whole message when it is short)
 * @param details the whole message for the details area, or null when the summary already says it all
 */
public record DialogText(String summary, String details) {
    /** Longer than this, or with more lines than {@link #SHORT_LINES}, a message gets a details area. */
    static final int SHORT_CHARS = 400;
    static final int SHORT_LINES = 6;
    /** A summary is cut at a sentence end before this many characters, else at a word boundary. */
    static final int SUMMARY_CHARS = 200;

    public static DialogText of(String message) {
        String text = message == null ? "" : message.strip();
        if (text.length() <= SHORT_CHARS && text.lines().count() <= SHORT_LINES) {
            return new DialogText(text, null);
        }
        return new DialogText(firstSentence(text), text);
    }

    private static String firstSentence(String text) {
        String firstLine = text.lines().findFirst().orElse("");
        int end = -1;
        for (int i = 0; i < Math.min(firstLine.length(), SUMMARY_CHARS); i++) {
            char c = firstLine.charAt(i);
            // A sentence ends at ". ", not inside a file name such as "run.json".
            if (c == '.' && (i + 1 == firstLine.length() || firstLine.charAt(i + 1) == ' ')) {
                end = i;
                break;
            }
        }
        if (end >= 0) {
            return firstLine.substring(0, end + 1) + " (details below)";
        }
        if (firstLine.length() <= SUMMARY_CHARS) {
            return firstLine + " (details below)";
        }
        int space = firstLine.lastIndexOf(' ', SUMMARY_CHARS);
        return firstLine.substring(0, space > 0 ? space : SUMMARY_CHARS) + " … (details below)";
    }
}
