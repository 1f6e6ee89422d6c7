package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The response side of one channel (an HTTP/1 connection or an HTTP/2 stream), used by the handler
 * thread: frames each response and writes its body, through {@link OutboundBatches} (one event-loop
 * task per flush, and back-pressure: {@code wfile} blocks while the channel is not writable).
 *
 * <p>Framing is automatic: a {@code Content-Length} the handler sent is honoured (a shorter body
 * closes the connection, a longer one is cut); without one, an HTTP/1.1 keep-alive response is sent
 * chunked, an HTTP/2 response ends with its stream, and otherwise the connection closes after it.
 * HEAD, 204 and 304 have no body. On a stream the fields HTTP/2 forbids ({@code Connection},
 * {@code Keep-Alive}, {@code Proxy-Connection}, {@code Transfer-Encoding}, {@code Upgrade}; RFC 9113
 * 8.2.2) are left out.
 *
 * <p>Files go out as a {@code FileRegion} ({@code sendfile}) on plain HTTP/1 connections, and through
 * the pipeline's {@code ChunkedWriteHandler} in 64 KiB pieces ({@link FileChunks}) under TLS and on
 * HTTP/2 streams, where the bytes must be encrypted or framed.
 */
final class ResponseWriter {

    private static final int MAX_WRITE = 64 * 1024;
    /** Files up to this size are read into memory rather than sent with sendfile or in chunks. */
    static final int SMALL_FILE = 32 * 1024;
    static final HttpHeadersFactory RESPONSE_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);
    /** The fields a response on an HTTP/2 stream may not carry (RFC 9113 8.2.2). */
    private static final AsciiString[] CONNECTION_SPECIFIC = {HttpHeaderNames.CONNECTION, HttpHeaderNames.KEEP_ALIVE,
        AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderNames.UPGRADE};

    /** Where the current response stands. */
    private enum State {
        /** No request is being answered. */
        IDLE,
        /** A request is being answered and its head has not gone out. */
        AWAITING_HEAD,
        /** The head is out; the body is being written. */
        BODY,
        /** The body is complete and its last message already ends the HTTP/2 stream. */
        BODY_ENDED,
        /** The handler failed after the head went out: the body is incomplete and must not look complete. */
        CUT
    }

    /** How the body is delimited: Content-Length, chunked, end of connection, no body, or (HTTP/2) END_STREAM. */
    private enum Framing { LENGTH, CHUNKED, CLOSE, NONE, STREAM }

    private final Channel channel;
    private final InboundQueue inbound;
    /** An HTTP/2 stream: one request, framed by the stream. */
    private final boolean stream;
    /** Files may go out as FileRegions (plain HTTP/1) rather than through ChunkedWriteHandler. */
    private final boolean fileRegions;
    /** Compressible responses are compressed on the fly: their files must pass through the compressor. */
    private final boolean compress;
    private final Body body = new Body();

    private final OutboundBatches out;

    // ---- handler thread only ----
    private BaseHttpRequestHandler handler;
    private State state = State.IDLE;
    private boolean closing;
    private boolean headRequest;
    private boolean http11Request;
    private Framing framing;
    private long declaredLength;
    private long written;
    /** The request's framing is not to be trusted past its own body: the connection ends with this response. */
    private boolean lastOnConnection;
    /** This response's files go out as FileRegions. */
    private boolean zeroCopy;

    ResponseWriter(Channel channel, InboundQueue inbound, boolean stream, boolean fileRegions, boolean compress) {
        this.channel = channel;
        this.inbound = inbound;
        this.stream = stream;
        this.fileRegions = fileRegions;
        this.compress = compress;
        this.out = new OutboundBatches(channel);
    }

    /** The handler whose mistakes (a body longer or shorter than its length) are logged. */
    void handler(BaseHttpRequestHandler handler) {
        this.handler = handler;
    }

    // ---- exchange state ----

    /**
     * A request is being answered from now on; with {@code lastOnConnection} the connection closes
     * after its response.
     */
    void begin(String command, String version, boolean lastOnConnection) {
        state = State.AWAITING_HEAD;
        this.lastOnConnection = lastOnConnection;
        headRequest = "HEAD".equals(command);
        http11Request = version != null
                && (version.equals("HTTP/1.1") || (version.startsWith("HTTP/1.") && version.compareTo("HTTP/1.1") > 0));
        framing = null;
        declaredLength = -1;
        written = 0;
    }

    boolean inExchange() {
        return state != State.IDLE;
    }

    boolean headSent() {
        return state != State.IDLE && state != State.AWAITING_HEAD;
    }

    /** Whether the channel closes after this response. */
    boolean closing() {
        return closing;
    }

    /** The channel closes after this response; reading from it does not resume. */
    void markClosing() {
        closing = true;
        inbound.closing();
    }

    /** The handler failed: if its head went out, the body must end visibly cut. */
    void failed() {
        markClosing();
        if (headSent()) {
            state = State.CUT;
        }
    }

    /**
     * Ends the current response: terminates the body (or leaves it cut), and tells {@code guard} on
     * the event loop once its last message was handed to the channel. Returns false if no request
     * was being answered.
     */
    boolean finish(ConnectionGuard guard) {
        if (state == State.IDLE) {
            return false;
        }
        State was = state;
        state = State.IDLE;
        if (was == State.AWAITING_HEAD) {
            markClosing(); // the handler sent nothing at all; a client waiting for a response must not hang
            return true;
        }
        if (framing == Framing.LENGTH && written < declaredLength) {
            handler.logError("%s", "response shorter than its Content-Length (" + written + " of " + declaredLength
                    + " bytes): closing the connection");
            markClosing();
        }
        if (was == State.CUT) {
            out.submit(null); // no terminating chunk: the client must see a cut response
        } else {
            if (was != State.BODY_ENDED) {
                endBody();
            }
            out.submit(guard == null ? null : guard::responseFinished);
        }
        return true;
    }

    // ---- the head ----

    void writeHead(String version, int code, String reason, List<Map.Entry<String, String>> fields,
            boolean keepAlive, boolean draining) throws IOException {
        if (state == State.IDLE) {
            throw new IllegalStateException("no request is being answered");
        }
        if (headSent()) {
            throw new IllegalStateException("the response head was already sent");
        }
        ensureOpen();
        if ((draining || lastOnConnection) && code >= 200 && !stream) {
            keepAlive = false; // shutting down, or a request whose framing may hide another: the last response
        }
        HttpVersion httpVersion = HttpVersion.valueOf(version);
        HttpResponseStatus status = new HttpResponseStatus(code, sanitizeReason(reason));
        if (code < 200) {
            // An interim response (100 Continue): sent at once, and the final response follows.
            DefaultFullHttpResponse interim = new DefaultFullHttpResponse(httpVersion, status, Unpooled.EMPTY_BUFFER,
                    RESPONSE_HEADERS, RESPONSE_HEADERS);
            addAll(interim.headers(), fields);
            if (stream) {
                stripConnectionSpecific(interim.headers());
            }
            out.enqueue(interim, 0);
            out.submit(null);
            return;
        }
        DefaultHttpResponse response = new DefaultHttpResponse(httpVersion, status, RESPONSE_HEADERS);
        HttpHeaders headers = response.headers();
        addAll(headers, fields);
        frame(headers, code, keepAlive, httpVersion);
        if (stream) {
            // HTTP/2: the stream frames the body and ends with it; connection-level fields make no sense
            // there and are forbidden (a client must treat them as malformed).
            stripConnectionSpecific(headers);
        } else if (framing == Framing.CLOSE || !keepAlive) {
            markClosing();
            if (httpVersion.minorVersion() >= 1 && !headers.contains(HttpHeaderNames.CONNECTION)) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        state = State.BODY;
        zeroCopy = fileRegions && !(compress && Compression.compressible(headers.get(HttpHeaderNames.CONTENT_TYPE)));
        out.enqueue(response, 256);
        if (!inbound.takeEndOfBody()) {
            // The handler answers before reading the whole body (an early error): let the client see it now.
            out.submit(null);
        }
    }

    /** Chooses the framing of a final response with {@code headers}, adjusting them. */
    private void frame(HttpHeaders headers, int code, boolean keepAlive, HttpVersion httpVersion) {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        boolean noBody = headRequest || code == 204 || code == 304;
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING) && !noBody) {
            // The server frames the body itself; a handler's own Transfer-Encoding would be applied twice.
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            length = null;
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        }
        if (noBody) {
            framing = Framing.NONE;
        } else if (code == 205 && length == null && !stream) {
            // 205 has no content, but unlike 204 and 304 it is not bodiless by definition (RFC 9112 6.3): sent,
            // as CPython sends it, without a length, it can only end with the connection
            framing = Framing.CLOSE;
        } else if (length != null) {
            try {
                declaredLength = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid Content-Length sent by the handler: " + length);
            }
            if (declaredLength < 0) {
                throw new IllegalArgumentException("invalid Content-Length sent by the handler: " + length);
            }
            framing = Framing.LENGTH;
        } else if (stream) {
            framing = Framing.STREAM;
        } else if (keepAlive && http11Request && httpVersion.minorVersion() >= 1) {
            framing = Framing.CHUNKED;
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else {
            framing = Framing.CLOSE;
        }
    }

    private static void stripConnectionSpecific(HttpHeaders headers) {
        for (AsciiString name : CONNECTION_SPECIFIC) {
            headers.remove(name);
        }
    }

    private static void addAll(HttpHeaders headers, List<Map.Entry<String, String>> fields) {
        for (Map.Entry<String, String> e : fields) {
            headers.add(e.getKey(), e.getValue());
        }
    }

    /** A reason phrase is free text but may not break the status line (RFC 9112 4). */
    static String sanitizeReason(String reason) {
        if (reason == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            boolean bad = (c < 0x20 && c != '\t') || c == 0x7f || c > 0xff;
            if (bad) {
                if (sb == null) {
                    sb = new StringBuilder(reason.length()).append(reason, 0, i);
                }
                sb.append(c > 0xff ? '?' : ' ');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? reason : sb.toString();
    }

    // ---- the body ----

    /** {@code wfile}. */
    OutputStream body() {
        return body;
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} as the next part of the body;
     * closes the file once sent if {@code close}.
     */
    boolean sendFile(FileChannel file, long position, long count, boolean close) throws IOException {
        Runnable done = close ? () -> FileChunks.closeQuietly(file) : () -> { };
        requireHead();
        if (framing == Framing.NONE) {
            done.run();
            return true;
        }
        if (framing == Framing.LENGTH && written + count > declaredLength) {
            done.run();
            throw new IOException("file part of " + count + " bytes exceeds the Content-Length " + declaredLength);
        }
        ensureOpen();
        if (count <= SMALL_FILE) {
            // Read now, and sent with the head in one write: one packet instead of a head and a sendfile.
            ByteBuf buf = readSmall(file, position, (int) count, done);
            written += buf.readableBytes();
            out.enqueue(new DefaultHttpContent(buf), buf.readableBytes());
            out.submit(null);
            return true;
        }
        written += count;
        if (zeroCopy) {
            FileRegions.split(file, position, count, done, m -> out.enqueue(m, 0));
        } else {
            // TLS or HTTP/2: the ChunkedWriteHandler reads the file as the channel can take it, and closes it.
            // On a stream, a file that completes the Content-Length ends the stream with its last piece.
            boolean last = stream && framing == Framing.LENGTH && written == declaredLength;
            out.enqueue(new FileChunks(file, position, count, done, last), 0);
            if (last) {
                state = State.BODY_ENDED;
            }
        }
        out.submit(null);
        return true;
    }

    /**
     * Reads {@code count} bytes of {@code file} from {@code position} (fewer if it is shorter now:
     * the response is then cut, as the framing finds), then runs {@code done}.
     */
    private ByteBuf readSmall(FileChannel file, long position, int count, Runnable done) throws IOException {
        ByteBuf buf = channel.alloc().directBuffer(Math.max(count, 1));
        try {
            while (buf.writerIndex() < count) {
                int n = buf.writeBytes(file, position + buf.writerIndex(), count - buf.writerIndex());
                if (n < 0) {
                    break;
                }
            }
            return buf;
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e;
        } finally {
            done.run();
        }
    }

    /**
     * Queues the end of the body. On an HTTP/2 stream the last queued message carries the end of the
     * stream itself (a head alone becomes one HEADERS frame with END_STREAM, a last piece of body one
     * DATA frame with it) instead of an extra empty DATA frame.
     */
    private void endBody() {
        Object tail = out.last();
        if (stream && tail != null && tail.getClass() == DefaultHttpContent.class) {
            out.replaceLast(new DefaultLastHttpContent(((DefaultHttpContent) tail).content()));
        } else if (stream && tail != null && tail.getClass() == DefaultHttpResponse.class) {
            DefaultHttpResponse r = (DefaultHttpResponse) tail;
            out.replaceLast(new DefaultFullHttpResponse(r.protocolVersion(), r.status(), Unpooled.EMPTY_BUFFER,
                    r.headers(), RESPONSE_HEADERS.newEmptyHeaders()));
        } else {
            out.enqueue(LastHttpContent.EMPTY_LAST_CONTENT, 0);
        }
    }

    private void requireHead() throws IOException {
        if (!headSent()) {
            throw new IOException("the response body comes after its head: call sendResponse() and endHeaders() first");
        }
    }

    private void ensureOpen() throws IOException {
        if (!channel.isActive()) {
            throw new IOException("Broken pipe: the client closed the connection");
        }
    }

    /** The channel's writability changed, or it closed: a waiting writer looks again. */
    void wakeWriter() {
        out.wakeWriter();
    }

    /** Whether no batch waits for the event loop. */
    boolean noPendingBatches() {
        return out.noPendingBatches();
    }

    /** On the handler thread: closes the channel once what was handed over so far is written. */
    void closeAfterWrites() {
        out.closeAfterWrites();
    }

    /** On the event loop: closes once every response handed over so far has been written. */
    void closeWhenWritten() {
        out.closeWhenWritten();
    }

    /** {@code wfile}: the current response's body, framed as {@link #writeHead} decided, with backpressure. */
    private final class Body extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return;
            }
            requireHead();
            if (framing == Framing.NONE) {
                return; // HEAD, 204, 304: a body would corrupt the connection
            }
            if (framing == Framing.LENGTH && written + len > declaredLength) {
                int allowed = (int) Math.max(0, declaredLength - written);
                if (!closing) {
                    handler.logError("%s", "response longer than its Content-Length (" + declaredLength
                            + " bytes): the excess is dropped and the connection closed");
                }
                markClosing();
                len = allowed;
                if (len == 0) {
                    return;
                }
            }
            while (len > 0) {
                out.awaitWritable();
                ensureOpen();
                int n = Math.min(len, MAX_WRITE);
                ByteBuf buf = channel.alloc().directBuffer(n);
                buf.writeBytes(b, off, n);
                written += n;
                out.enqueue(new DefaultHttpContent(buf), n);
                if (out.queuedBytes() >= MAX_WRITE) {
                    out.submit(null);
                }
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() {
            out.submit(null);
        }

        @Override
        public void close() {
            // The channel outlives the stream, as Python's wfile does until the handler finishes.
        }
    }
}
