package org.coar.workbench.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.coar.workbench.WorkbenchException;

/**
 * A data file read front to back, gzipped or not (recognised by gzip's magic bytes, whatever the
 * name says). Counts the bytes it delivers, so a short or long file is reported with the bytes
 * expected and the bytes found.
 */
final class RecordFile implements AutoCloseable {

    private final Path file;
    private final InputStream in;
    private final boolean gzipped;
    private long bytesRead;

    private RecordFile(Path file, InputStream in, boolean gzipped) {
        this.file = file;
        this.in = in;
        this.gzipped = gzipped;
    }

    /** Opens {@code file}; {@code role} says which input it is, e.g. "labels file (--labels)". */
    static RecordFile open(Path file, String role) {
        requireFile(file, role);
        try {
            BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            boolean gzipped = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return new RecordFile(file, in, gzipped);
        } catch (IOException e) {
            throw new WorkbenchException(file + ": cannot read the " + role + " (" + e.getMessage() + ")", e);
        }
    }

    static void requireFile(Path file, String role) {
        if (Files.isDirectory(file)) {
            throw new WorkbenchException(file + ": is a folder, but the " + role + " must be a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new WorkbenchException(file + ": no such " + role + "; check the path");
        }
    }

    Path file() {
        return file;
    }

    boolean gzipped() {
        return gzipped;
    }

    /**
     * Fills {@code buffer} from the file; when the file ends first, fails saying that
     * {@code expectedTotal} bytes were due (what {@code layout} describes) and how many there are.
     */
    void readFully(byte[] buffer, long expectedTotal, String layout) {
        int n;
        try {
            n = in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw readFailure(e, expectedTotal, layout);
        }
        bytesRead += n;
        if (n < buffer.length) {
            throw new WorkbenchException(file + ": truncated: " + layout + " take " + expectedTotal + " bytes"
                    + (gzipped ? " uncompressed" : "") + ", but the file holds only " + bytesRead
                    + ". The download was probably cut short; fetch the file again");
        }
    }

    /** Fails when bytes remain after {@code expectedTotal}: the header and the data disagree. */
    void expectEnd(long expectedTotal, String layout) {
        long extra;
        try {
            extra = in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw readFailure(e, expectedTotal, layout);
        }
        if (extra > 0) {
            throw new WorkbenchException(file + ": " + layout + " take " + expectedTotal + " bytes"
                    + (gzipped ? " uncompressed" : "") + ", but the file holds " + (bytesRead + extra)
                    + "; the header does not describe this file. Check that it is the file you meant");
        }
    }

    private WorkbenchException readFailure(IOException e, long expectedTotal, String layout) {
        if (e instanceof EOFException) {
            // GZIPInputStream's way of saying the compressed stream itself was cut off.
            return new WorkbenchException(file + ": truncated: the gzip data is cut off (" + layout + " take "
                    + expectedTotal + " bytes uncompressed). The download was probably cut short; fetch the file again", e);
        }
        if (e instanceof ZipException) {
            return new WorkbenchException(file + ": corrupt gzip data (" + e.getMessage() + "); fetch the file again", e);
        }
        return new WorkbenchException(file + ": cannot read (" + e.getMessage() + ")", e);
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Read-only: nothing is lost when closing fails.
        }
    }
}
