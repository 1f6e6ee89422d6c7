package dev.httpserver.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;

/**
 * An open file as {@link SimpleHttpRequestHandler#sendHead()} returns it: readable as a stream by any
 * {@code copyfile} override, and handed to the server whole ({@link #channel()}) by the default
 * {@code copyfile}, so that it can go out zero-copy.
 */
final class FileBody extends InputStream {

    private final FileChannel channel;
    private final long position;
    private final long length;
    /** The bytes, read with positional reads, for a {@code copyfile} override that reads the stream. */
    private final InputStream stream;
    private boolean handedOver;

    /** {@code length} bytes of the file from {@code position}: the whole file, or a range of it. */
    FileBody(FileChannel channel, long position, long length) {
        this.channel = channel;
        this.position = position;
        this.length = length;
        this.stream = new RangesBody.Slice(channel, position, length);
    }

    FileChannel channel() {
        return channel;
    }

    long position() {
        return position;
    }

    long length() {
        return length;
    }

    /** The server owns the channel from now on and closes it when the transfer ends. */
    void handOver() {
        handedOver = true;
    }

    @Override
    public int read() throws IOException {
        return stream.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return stream.read(b, off, len);
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        return stream.transferTo(out);
    }

    @Override
    public void close() throws IOException {
        if (!handedOver) {
            channel.close();
        }
    }
}
