package dev.httpserver.api.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An {@link InputStream} whose subclasses read blocks only: {@link #read()} reads a block of one byte,
 * and {@link #read(byte[], int, int)} checks its arguments and answers an empty request itself, so
 * that {@link #readSome} always has at least one byte to read.
 */
public abstract class BlockInputStream extends InputStream {

    /** For subclasses. */
    protected BlockInputStream() {
    }

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return len == 0 ? 0 : readSome(b, off, len);
    }

    /**
     * Reads at least one and at most {@code len} bytes into {@code b} from {@code off}, waiting if need
     * be; -1 at the end of the stream.
     *
     * @param b   the buffer, already checked
     * @param off where the bytes go
     * @param len how many at most, at least 1
     * @return the number of bytes read, or -1 at the end
     * @throws IOException if the bytes cannot be read
     */
    protected abstract int readSome(byte[] b, int off, int len) throws IOException;
}
