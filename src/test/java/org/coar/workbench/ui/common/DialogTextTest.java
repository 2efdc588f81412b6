package org.coar.workbench.ui.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DialogTextTest {
    @Test
    void aShortMessageIsShownWholeWithNoDetails() {
        DialogText text = DialogText.of("/data/store: no such store directory");
        assertEquals("/data/store: no such store directory", text.summary());
        assertNull(text.details());
    }

    @Test
    void aLongMessageKeepsItsFirstSentenceOnTopAndAllOfItInTheDetails() {
        String message = "/s/run.json: this store's rows were made with other settings. " + "--alpha: recorded 0.05, requested 0.1; ".repeat(12)
                + "use a new store for new settings";
        DialogText text = DialogText.of(message);
        assertEquals("/s/run.json: this store's rows were made with other settings. (details below)", text.summary());
        assertEquals(message, text.details());
    }

    @Test
    void aSentenceEndsAtAStopFollowedByASpaceNotInsideAFileName() {
        String message = "The model file run.json names is missing. " + "x".repeat(500);
        assertEquals("The model file run.json names is missing. (details below)", DialogText.of(message).summary());
    }

    @Test
    void manyShortLinesCountAsLongAndAnUnbrokenLineIsCutAtAWord() {
        assertEquals("a\nb\nc\nd\ne\nf\ng", DialogText.of("a\nb\nc\nd\ne\nf\ng").details());
        String words = "word ".repeat(100).strip();
        DialogText text = DialogText.of(words);
        assertEquals(words, text.details());
        assertEquals("word ".repeat(40).strip() + " … (details below)", text.summary());
    }
}
