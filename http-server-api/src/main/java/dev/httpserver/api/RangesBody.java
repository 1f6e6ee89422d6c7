package dev.httpserver.api;

import dev.httpserver.api.internal.BlockInputStream;
import dev.httpserver.api.internal.ByteRanges;
import dev.httpserver.api.internal.MultipartByteranges;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@code multipart/byteranges} body (RFC 9110 14.6) of an open file, as
 * {@link SimpleHttpRequestHandler#sendHead()} returns it for a request of several ranges: readable
 * as a stream by any {@code copyfile} override, and sent part by part by the default one, each
 * part's bytes handed to the server ({@link dev.httpserver.api.spi.Transport#sendFile(FileChannel,
 * long, long, boolean)}), zero-copy where it can, from the one file that was opened.
 */
final class RangesBody extends InputStream {

    private final FileChannel channel;
    private final MultipartByteranges parts;
    private InputStream stream;
    private boolean handedOver;

    RangesBody(FileChannel channel, MultipartByteranges parts) {
        this.channel = channel;
        this.parts = parts;
    }

    FileChannel channel() {
        return channel;
    }

    MultipartByteranges parts() {
        return parts;
    }

    /** The server owns the channel from now on and closes it when the last part is sent. */
    void handOver() {
        handedOver = true;
    }

    private InputStream stream() {
        if (stream == null) {
            List<InputStream> pieces = new ArrayList<>();
            for (int i = 0; i < parts.partCount(); i++) {
                pieces.add(new ByteArrayInputStream(parts.partHeader(i)));
                ByteRanges.Range r = parts.range(i);
                pieces.add(new Slice(channel, r.start(), r.length()));
            }
            pieces.add(new ByteArrayInputStream(parts.closing()));
            stream = new SequenceInputStream(Collections.enumeration(pieces));
        }
        return stream;
    }

    @Override
    public int read() throws IOException {
        return stream().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return stream().read(b, off, len);
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        return stream().transferTo(out);
    }

    @Override
    public void close() throws IOException {
        if (!handedOver) {
            channel.close();
        }
    }

    /** {@code length} bytes of a file from {@code position}, read with positional reads. */
    static final class Slice extends BlockInputStream {
        private final FileChannel channel;
        private long position;
        private long left;

        Slice(FileChannel channel, long position, long length) {
            this.channel = channel;
            this.position = position;
            this.left = length;
        }

        @Override
        protected int readSome(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), position);
            if (n <= 0) {
                return -1; // the file is shorter now: the body ends early, and the server cuts the response
            }
            position += n;
            left -= n;
            return n;
        }
    }
}
