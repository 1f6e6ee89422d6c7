package dev.httpserver.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.stream.ChunkedInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * A part of a file as body pieces for {@code ChunkedWriteHandler}, where a {@code FileRegion}
 * ({@code sendfile}) cannot be used: under TLS (the bytes go through the TLS engine) and on HTTP/2
 * streams (they go in DATA frames). Each piece is at most {@value #CHUNK} bytes, read with positional
 * reads, so the channel's own position is never used and one {@link FileChannel} can be shared by
 * several transfers at once. The pieces are {@link HttpContent}s, which
 * both the HTTP/1 encoder (Content-Length or chunked) and the HTTP/2 stream codec frame; the end of
 * the body is sent by the caller.
 *
 * <p>{@code onClose} runs once when the transfer ends, however it ends: it closes the file, or gives
 * back a reference to a shared one. A file shorter than announced fails the transfer (the connection
 * closes) rather than send a body shorter than its Content-Length.
 *
 * <p>{@code endsBody} makes the last piece a {@code LastHttpContent}: on an HTTP/2 stream its DATA
 * frame then carries END_STREAM, instead of an empty DATA frame after it. An empty part is one empty
 * piece (never a bare buffer, which an HTTP/2 stream could not send).
 */
final class FileChunks implements ChunkedInput<HttpContent> {

    static final int CHUNK = 64 * 1024;

    private final FileChannel file;
    private final long start;
    private final long end;
    private final Runnable onClose;
    private final boolean endsBody;
    private long offset;
    private boolean closed;
    private boolean emptySent;

    FileChunks(FileChannel file, long position, long count, Runnable onClose) {
        this(file, position, count, onClose, false);
    }

    FileChunks(FileChannel file, long position, long count, Runnable onClose, boolean endsBody) {
        this.file = file;
        this.start = position;
        this.end = position + count;
        this.offset = position;
        this.onClose = onClose;
        this.endsBody = endsBody;
    }

    @Override
    public boolean isEndOfInput() {
        return offset >= end && (end != start || emptySent);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }

    @Deprecated
    @Override
    public HttpContent readChunk(ChannelHandlerContext ctx) throws Exception {
        return readChunk(ctx.alloc());
    }

    @Override
    public HttpContent readChunk(ByteBufAllocator allocator) throws Exception {
        if (offset >= end) {
            if (end == start && !emptySent) {
                emptySent = true;
                return piece(Unpooled.EMPTY_BUFFER, true);
            }
            return null;
        }
        int size = (int) Math.min(CHUNK, end - offset);
        ByteBuf buf = allocator.buffer(size);
        boolean done = false;
        try {
            int read = 0;
            while (read < size) {
                int n = buf.writeBytes(file, offset + read, size - read);
                if (n < 0) {
                    throw new EOFException("the file ended at byte " + (offset + read) + ", before the " + (end - start)
                            + " bytes announced: it was truncated while being sent");
                }
                read += n;
            }
            offset += size;
            done = true;
            return piece(buf, offset >= end);
        } finally {
            if (!done) {
                buf.release();
            }
        }
    }

    private HttpContent piece(ByteBuf buf, boolean last) {
        return last && endsBody ? new DefaultLastHttpContent(buf) : new DefaultHttpContent(buf);
    }

    @Override
    public long length() {
        return end - start;
    }

    @Override
    public long progress() {
        return offset - start;
    }

    /** Closes {@code file}, ignoring a failure: there is nothing more to do with it. */
    static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }
}
