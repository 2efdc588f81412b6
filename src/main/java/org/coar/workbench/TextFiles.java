package org.coar.workbench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Text files the user writes (specs, configs), read as UTF-8 with failures the user can act on. */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * The file's text. A file that is not UTF-8 (e.g. saved as Latin-1) is refused naming the
     * first offending byte and its position, not with the decoder's "Input length = 1".
     *
     * @param what what the file should be, for messages ("spec", "regression config")
     */
    public static String readUtf8(Path file, String what) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new WorkbenchException(file + ": no such " + what + " file");
        } catch (IOException | OutOfMemoryError e) {
            throw new WorkbenchException(file + ": cannot read the " + what + " (" + e.getMessage() + ")", e);
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            long line = 1;
            for (int i = 0; i < offset; i++) {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new WorkbenchException(file + ": the " + what + " is not UTF-8 text: byte 0x"
                    + String.format("%02X", bytes[offset] & 0xff) + " at offset " + offset + " (line " + line + ") is not valid "
                    + "UTF-8 (a Latin-1 or Windows-1252 file?). Save the file as UTF-8");
        }
        try {
            CoderResult flushed = decoder.flush(out);
            if (flushed.isError()) {
                flushed.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new WorkbenchException(file + ": the " + what + " is not UTF-8 text; save the file as UTF-8", e);
        }
        return out.flip().toString();
    }
}
