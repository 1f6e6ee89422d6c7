package dev.httpserver.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * An open file as {@link SimpleHttpRequestHandler#sendHead()} returns it: readable as a stream by any
 * {@code copyfile} override, and handed to the server whole ({@link #channel()}) by the default
 * {@code copyfile}, so that it can go out zero-copy.
 */
final class FileBody extends InputStream {

    private final Path path;
    private final FileChannel channel;
    private final long position;
    private final long length;
    private final InputStream stream;
    private boolean handedOver;

    /** The whole file: {@code length} bytes from its start. */
    FileBody(Path path, FileChannel channel, long length) {
        this(path, channel, 0, length);
    }

    /** {@code length} bytes of the file from {@code position} (a range). */
    FileBody(Path path, FileChannel channel, long position, long length) {
        this.path = path;
        this.channel = channel;
        this.position = position;
        this.length = length;
        this.stream = position == 0 ? Channels.newInputStream(channel) : new RangesBody.Slice(channel, position, length);
    }

    Path path() {
        return path;
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
        long total = 0;
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        byte[] array = buf.array();
        int n;
        while (total < length && (n = channel.read(buf.clear().limit((int) Math.min(buf.capacity(), length - total)),
                position + total)) > 0) {
            out.write(array, 0, n);
            total += n;
        }
        return total;
    }

    @Override
    public void close() throws IOException {
        if (!handedOver) {
            channel.close();
        }
    }
}
