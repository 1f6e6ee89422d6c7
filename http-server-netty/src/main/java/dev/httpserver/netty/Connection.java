package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.spi.RequestHead;
import dev.httpserver.api.spi.Transport;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection, between the event loop that reads and writes it and the handler thread
 * that serves it: the server's side of {@link Transport}.
 *
 * <p>The event loop ({@link HandlerBridge}) queues request heads, body buffers and end-of-body
 * marks; it stops reading from the socket while more than {@link #HIGH_WATER} body bytes wait, and
 * the handler thread resumes it below {@link #LOW_WATER}. The handler thread takes requests and
 * body bytes from the queue, and writes the response through the channel, waiting while the channel
 * is not writable. No handler code runs on the event loop; a handler task runs only while a request
 * is waiting, so an idle keep-alive connection holds no thread.
 *
 * <p>An HTTP/2 stream is a connection of its own here ({@code stream} true): one request, one
 * handler, and the stream ends with the response (a handler's {@code closeConnection} ends only the
 * stream). The response is framed by DATA frames and END_STREAM, never chunked, and the fields that
 * HTTP/2 forbids ({@code Connection}, {@code Keep-Alive}, {@code Proxy-Connection},
 * {@code Transfer-Encoding}, {@code Upgrade}; RFC 9113 8.2.2) are left out of the handler's head.
 *
 * <p>Files go out as a {@code FileRegion} ({@code sendfile}) on plain HTTP/1 connections, and through
 * the pipeline's {@code ChunkedWriteHandler} in 64 KiB pieces ({@link FileChunks}) under TLS and on
 * HTTP/2 streams, where the bytes must be encrypted or framed.
 */
final class Connection implements Transport {

    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;
    private static final int MAX_WRITE = 64 * 1024;
    private static final Object END = new Object();

    /** Queued in place of the rest of a body that exceeded {@link Limits#maxBodySize()}. */
    private static final class TooLarge {
        final long max;

        TooLarge(long max) {
            this.max = max;
        }
    }

    /** What {@code rfile} throws for a body the server refuses; the request is answered with {@link #status}. */
    static class BadBodyException extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        BadBodyException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The body exceeds the limit: 413. */
    static final class BodyTooLargeException extends BadBodyException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(long max) {
            super(413, "the request body is larger than " + max + " bytes");
        }
    }

    /** Queued in place of the rest of a body the codec could not decode (a bad chunk size or trailer). */
    private static final Object MALFORMED = new Object();
    private static final HttpHeadersFactory RESPONSE_HEADERS = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    /** A request head waiting in the queue. */
    private static final class Head {
        final RequestHead head;

        Head(RequestHead head) {
            this.head = head;
        }
    }

    /** How the body is delimited: Content-Length, chunked, end of connection, no body, or (HTTP/2) END_STREAM. */
    private enum Framing { LENGTH, CHUNKED, CLOSE, NONE, STREAM }

    /** The fields a response on an HTTP/2 stream may not carry (RFC 9113 8.2.2). */
    private static final io.netty.util.AsciiString[] CONNECTION_SPECIFIC = {HttpHeaderNames.CONNECTION,
        HttpHeaderNames.KEEP_ALIVE, io.netty.util.AsciiString.cached("proxy-connection"), HttpHeaderNames.TRANSFER_ENCODING,
        HttpHeaderNames.UPGRADE};

    private final Channel channel;
    private final HttpServer server;
    private final ConnectionGuard guard;
    private final InetSocketAddress remote;
    private final int maxPipelined;
    /** An HTTP/2 stream: one request, framed by the stream. */
    private final boolean stream;
    /** Files go out as FileRegions (plain HTTP/1) rather than through ChunkedWriteHandler. */
    private final boolean fileRegions;

    // ---- shared between the event loop and the handler thread, guarded by lock ----
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    private int queuedHeads;
    private long queuedBytes;
    private boolean inputClosed;
    private volatile boolean inputShut;
    /** The future of the last write the event loop performed for this connection. */
    private volatile ChannelFuture lastLoopWrite;
    private boolean running;
    private boolean readPaused;

    // ---- handler thread only ----
    private BaseHttpRequestHandler handler;
    private final RequestBody requestBody = new RequestBody();
    private final ResponseBody responseBody = new ResponseBody();
    private boolean inExchange;
    private boolean headRequest;
    private boolean http11Request;
    private boolean bodyEnded;
    private ByteBuf reading;
    private boolean headSent;
    private Framing framing;
    private long declaredLength;
    private long written;
    private boolean closing;
    private ChannelFuture lastWrite;
    /** Bytes handed to the event loop in tasks it has not run yet (the channel cannot count them). */
    private final java.util.concurrent.atomic.AtomicLong submittedBytes = new java.util.concurrent.atomic.AtomicLong();
    private static final long MAX_SUBMITTED = 128 * 1024;
    private volatile boolean writerWaiting;
    /** The handler failed after the head went out: the body is incomplete and must not look complete. */
    private boolean failedMidResponse;
    /** Batches handed to the event loop and not yet written there. */
    private final java.util.concurrent.atomic.AtomicInteger pendingBatches = new java.util.concurrent.atomic.AtomicInteger();
    /** Replayable file responses for this connection's handler, or null when it is not eligible. */
    private volatile Map<String, StaticFileCache.Entry> staticEntries;
    private volatile String logAddress;
    /** This connection's handler exists (it is made on the handler thread, for the first request that reaches it). */
    private volatile boolean handlerMade;
    /** A copy of the current response's body while it may be remembered for replays, or null. */
    private byte[] captured;
    /** The body's last bytes are queued as a LastHttpContent already (HTTP/2: their DATA frame ends the stream). */
    private boolean bodyEndQueued;

    /** On an HTTP/2 connection: the replayable responses its streams' handlers found, shared by its streams. */
    private static final io.netty.util.AttributeKey<StaticShare> STATIC_SHARE =
            io.netty.util.AttributeKey.valueOf(Connection.class, "staticShare");

    private static final class StaticShare {
        final Map<String, StaticFileCache.Entry> entries;
        final String logAddress;

        StaticShare(Map<String, StaticFileCache.Entry> entries, String logAddress) {
            this.entries = entries;
            this.logAddress = logAddress;
        }
    }
    private RequestHead currentHead;
    private int sentCode;
    private List<Map.Entry<String, String>> sentFields;
    /** Response messages not yet handed to the event loop: a whole small response goes in one task. */
    private final ArrayList<Object> outbound = new ArrayList<>(4);
    private int outboundBytes;

    Connection(Channel channel, HttpServer server, ConnectionGuard guard) {
        this(channel, server, guard, false);
    }

    Connection(Channel channel, HttpServer server, ConnectionGuard guard, boolean stream) {
        this.channel = channel;
        this.server = server;
        this.guard = guard;
        this.stream = stream;
        this.remote = (InetSocketAddress) channel.remoteAddress();
        this.maxPipelined = server.limits().maxPipelined();
        this.fileRegions = server.zeroCopy() && !stream
                && channel.pipeline().get(io.netty.handler.ssl.SslHandler.class) == null;
    }

    // =====================================================================================
    // Event loop side
    // =====================================================================================

    void onHead(RequestHead head) {
        boolean submit = false;
        lock.lock();
        try {
            if (inputClosed) {
                return;
            }
            inbound.add(new Head(head));
            queuedHeads++;
            if (queuedHeads >= maxPipelined && !readPaused) {
                readPaused = true;
                channel.config().setAutoRead(false);
            }
            if (!running) {
                running = true;
                submit = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (submit) {
            server.dispatch(this::run, this);
        }
    }

    /** Takes ownership of {@code content}. */
    void onContent(ByteBuf content) {
        lock.lock();
        try {
            if (inputClosed) {
                content.release();
                return;
            }
            inbound.add(content);
            queuedBytes += content.readableBytes();
            if (queuedBytes > HIGH_WATER && !readPaused) {
                readPaused = true;
                channel.config().setAutoRead(false);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void onBodyMalformed() {
        lock.lock();
        try {
            if (!inputClosed) {
                inbound.add(MALFORMED);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client shut its sending side down (a half-close): the requests already received are still
     * answered, then the connection closes.
     */
    void onInputShutdown() {
        boolean closeNow;
        lock.lock();
        try {
            inputShut = true;
            inputClosed = true;
            changed.signalAll();
            closeNow = !running && queuedHeads == 0;
        } finally {
            lock.unlock();
        }
        if (closeNow) {
            closeWhenWritten();
        }
    }

    /** On the event loop: closes once every response handed over so far has been written. */
    private void closeWhenWritten() {
        if (pendingBatches.get() != 0) {
            channel.eventLoop().execute(this::closeWhenWritten);
            return;
        }
        ChannelFuture last = lastLoopWrite;
        if (last != null && !last.isDone()) {
            last.addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    void onBodyTooLarge(long max) {
        lock.lock();
        try {
            if (!inputClosed) {
                inbound.add(new TooLarge(max));
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void onEnd() {
        lock.lock();
        try {
            if (!inputClosed) {
                inbound.add(END);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    void onInactive() {
        lock.lock();
        try {
            inputClosed = true;
            for (Object o; (o = inbound.poll()) != null; ) {
                ReferenceCountUtil.release(o);
            }
            queuedHeads = 0;
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void onWritabilityChanged() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // =====================================================================================
    // Handler thread side
    // =====================================================================================

    /** The handler task: serves the waiting requests, then parks the connection or closes it. */
    private void run() {
        while (true) {
            try {
                if (handler == null) {
                    handler = server.newHandler();
                    handlerMade = true;
                    handler.attach(this, remote, server);
                    StaticFileCache cache = server.staticCache();
                    if (cache != null && StaticFileCache.eligible(handler)) {
                        logAddress = handler.addressString();
                        staticEntries = cache.forHandler((dev.httpserver.api.SimpleHttpRequestHandler) handler);
                        if (stream && channel.parent() != null) {
                            // the later streams of this connection may be answered on the event loop
                            channel.parent().attr(STATIC_SHARE).setIfAbsent(new StaticShare(staticEntries, logAddress));
                        }
                    }
                }
                handler.handle();
            } catch (Throwable t) {
                onHandlerFailure(t);
            }
            try {
                finishExchange();
            } catch (Throwable t) {
                closing = true;
            }
            if (closing || handler == null || handler.closeConnection() || !channel.isActive()) {
                closeAfterWrites();
                releaseReading();
                return;
            }
            boolean shut = false;
            lock.lock();
            try {
                if (queuedHeads == 0) {
                    if (!inputShut) {
                        running = false;
                        return;
                    }
                    shut = true; // the client half-closed and everything it sent is answered
                }
            } finally {
                lock.unlock();
            }
            if (shut) {
                closeAfterWrites();
                releaseReading();
                return;
            }
        }
    }

    private void onHandlerFailure(Throwable t) {
        closing = true;
        if (headSent) {
            failedMidResponse = true;
        }
        if (t instanceof BadBodyException) {
            if (handler != null && inExchange && !headSent && channel.isActive()) {
                try {
                    handler.sendError(((BadBodyException) t).status, null, t.getMessage() + ".");
                } catch (Throwable ignored) {
                    // the connection closes anyway
                }
            }
            return;
        }
        if (!channel.isActive() && t instanceof IOException) {
            if (handler != null) {
                handler.logError("%s", "connection closed by the client: " + t.getMessage());
            }
            return;
        }
        StringWriter trace = new StringWriter();
        try (PrintWriter pw = new PrintWriter(trace)) {
            t.printStackTrace(pw);
        }
        System.err.print("----------------------------------------\n"
                + "Exception occurred during processing of request from " + remote + "\n"
                + trace + "----------------------------------------\n");
        if (handler != null && inExchange && !headSent && channel.isActive()) {
            try {
                handler.sendError(500, null, null);
            } catch (Throwable ignored) {
                // the connection closes anyway
            }
        }
    }

    @Override
    public RequestHead nextRequest() throws IOException {
        finishExchange();
        if (closing) {
            return null;
        }
        lock.lock();
        try {
            while (true) {
                Object o = inbound.peek();
                if (o instanceof Head) {
                    inbound.poll();
                    queuedHeads--;
                    resumeIfDrained();
                    RequestHead head = ((Head) o).head;
                    startExchange(head);
                    return head;
                }
                if (o != null) { // the rest of a body nobody read
                    inbound.poll();
                    dequeued(o);
                    continue;
                }
                if (inputClosed) {
                    return null;
                }
                awaitChange();
            }
        } finally {
            lock.unlock();
        }
    }

    private void startExchange(RequestHead head) {
        inExchange = true;
        failedMidResponse = false;
        currentHead = head;
        sentCode = 0;
        sentFields = null;
        headRequest = "HEAD".equals(head.command());
        String v = head.version();
        http11Request = v != null && (v.equals("HTTP/1.1") || (v.startsWith("HTTP/1.") && v.compareTo("HTTP/1.1") > 0));
        bodyEnded = false;
        bodyEndQueued = false;
        headSent = false;
        framing = null;
        declaredLength = -1;
        written = 0;
        server.requestStarted();
    }

    /** Called with the lock held: accounts for a queue entry the handler thread took. */
    private void dequeued(Object o) {
        if (o instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) o;
            queuedBytes -= buf.readableBytes();
            buf.release();
            resumeIfDrained();
        }
    }

    private void resumeIfDrained() {
        if (readPaused && queuedBytes < LOW_WATER && queuedHeads < maxPipelined && !closing) {
            readPaused = false;
            channel.eventLoop().execute(() -> {
                channel.config().setAutoRead(true);
                channel.read();
            });
        }
    }

    private void awaitChange() {
        try {
            changed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("handler thread interrupted", e);
        }
    }

    @Override
    public boolean hasQueuedRequest() {
        lock.lock();
        try {
            return queuedHeads > 0 && !closing;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public InputStream requestBody() {
        return requestBody;
    }

    @Override
    public OutputStream responseBody() {
        return responseBody;
    }

    @Override
    public boolean headSent() {
        return headSent;
    }

    @Override
    public boolean closing() {
        return closing;
    }

    @Override
    public void abort() {
        closing = true;
        channel.close();
    }

    @Override
    public void writeHead(String version, int code, String reason, List<Map.Entry<String, String>> fields,
            boolean keepAlive) throws IOException {
        if (!inExchange) {
            throw new IllegalStateException("no request is being answered");
        }
        if (headSent) {
            throw new IllegalStateException("the response head was already sent");
        }
        ensureOpen();
        if (server.draining() && code >= 200 && !stream) {
            keepAlive = false; // shutting down: this is the connection's last response
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
            enqueue(interim, 0);
            submit(true);
            return;
        }
        DefaultHttpResponse response = new DefaultHttpResponse(httpVersion, status, RESPONSE_HEADERS);
        HttpHeaders headers = response.headers();
        addAll(headers, fields);
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
        if (stream) {
            // HTTP/2: the stream frames the body and ends with it; connection-level fields make no sense
            // there and are forbidden (a client must treat them as malformed).
            stripConnectionSpecific(headers);
        } else if (framing == Framing.CLOSE || !keepAlive) {
            closing = true;
            if (httpVersion.minorVersion() >= 1 && !headers.contains(HttpHeaderNames.CONNECTION)) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        headSent = true;
        sentCode = code;
        sentFields = fields;
        captured = null;
        if (staticEntries != null && code == 200 && framing == Framing.LENGTH && declaredLength > 0
                && declaredLength <= StaticFileCache.MAX_IN_MEMORY && "GET".equals(currentHead.command())
                && StaticFileCache.replayable(currentHead.isHttp2() ? "HTTP/1.1" : currentHead.version(), currentHead.path(),
                        currentHead.headers()::get)
                && noField(fields, "Connection")) {
            // A small complete body from a stock handler (a folder listing): kept for replays, as a file is.
            captured = new byte[(int) declaredLength];
        }
        enqueue(response, 256);
        if (!bodyEnded && !takeEndOfBody()) {
            // The handler answers before reading the whole body (an early error): let the client see it now.
            submit(true);
        }
    }

    /**
     * Whether the request body has already ended without the handler reading it (a GET: nothing but
     * its end is queued), taking that end as {@code rfile} would. The head then waits to go out with
     * the body: one event-loop task (and, on HTTP/2, one HEADERS frame with END_STREAM) per small
     * response, instead of a separate flush for the head.
     */
    private boolean takeEndOfBody() {
        if (reading != null && reading.isReadable()) {
            return false;
        }
        lock.lock();
        try {
            if (inbound.peek() == END) {
                inbound.poll();
                bodyEnded = true;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private static void stripConnectionSpecific(HttpHeaders headers) {
        for (io.netty.util.AsciiString name : CONNECTION_SPECIFIC) {
            headers.remove(name);
        }
    }

    private static void addAll(HttpHeaders headers, List<Map.Entry<String, String>> fields) {
        for (Map.Entry<String, String> e : fields) {
            headers.add(e.getKey(), e.getValue());
        }
    }

    /** A reason phrase is free text but may not break the status line (RFC 9112 4). */
    private static String sanitizeReason(String reason) {
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

    @Override
    public boolean sendFile(FileChannel file, long position, long count) throws IOException {
        requireHead();
        captured = null; // a file body is remembered by sendFile(Path, ...) instead
        if (framing == Framing.NONE) {
            file.close();
            return true;
        }
        if (framing == Framing.LENGTH && written + count > declaredLength) {
            file.close();
            throw new IOException("file part of " + count + " bytes exceeds the Content-Length " + declaredLength);
        }
        ensureOpen();
        written += count;
        if (fileRegions) {
            FileRegions.split(file, position, count, () -> closeQuietly(file), m -> enqueue(m, 0));
        } else {
            // TLS or HTTP/2: the ChunkedWriteHandler reads the file as the channel can take it, and closes it.
            // On a stream, a file that completes the Content-Length ends the stream with its last piece.
            boolean last = stream && framing == Framing.LENGTH && written == declaredLength;
            enqueue(new FileChunks(file, position, count, () -> closeQuietly(file), last), 0);
            bodyEndQueued |= last;
        }
        submit(true);
        return true;
    }

    static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }

    @Override
    public boolean sendFile(java.nio.file.Path path, FileChannel file, long position, long count) throws IOException {
        boolean whole = position == 0 && framing == Framing.LENGTH && count == declaredLength && written == 0;
        Map<String, StaticFileCache.Entry> entries = staticEntries;
        // An HTTP/2 request is replayable as the same request in HTTP/1.1 is.
        String version = currentHead.isHttp2() ? "HTTP/1.1" : currentHead.version();
        if (entries != null && whole && headSent && sentCode == 200 && "GET".equals(currentHead.command())
                && StaticFileCache.replayable(version, currentHead.path(), currentHead.headers()::get)
                && noField(sentFields, "Connection")) {
            // Remembered before the response goes out: a client that has it may repeat it at once.
            server.staticCache().put(entries, currentHead.path(), path, sentFields, count);
        }
        return sendFile(file, position, count);
    }

    private static boolean noField(List<Map.Entry<String, String>> fields, String name) {
        for (Map.Entry<String, String> e : fields) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Answers {@code request} on the event loop from the {@link StaticFileCache} when this
     * connection's handler is eligible, the same request was answered within the last second, and
     * nothing else is pending on the connection (responses stay in order). Returns false, having
     * done nothing, otherwise.
     */
    boolean tryServeStatic(io.netty.channel.ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpRequest request) {
        Map<String, StaticFileCache.Entry> entries = staticEntries;
        String address = logAddress;
        if (entries == null && stream && channel.parent() != null) {
            StaticShare share = channel.parent().attr(STATIC_SHARE).get();
            if (share != null) {
                entries = share.entries;
                address = share.logAddress;
            }
        }
        if (entries == null && !handlerMade) {
            // No handler made for this connection yet: the server's, if its factory makes only stock ones.
            entries = server.staticCache() == null ? null : server.staticCache().shared();
            if (entries != null) {
                address = logAddress;
                if (address == null) {
                    logAddress = address = dev.httpserver.api.spi.Addresses.client(remote);
                }
            }
        }
        if (entries == null || !request.decoderResult().isSuccess()) {
            return false;
        }
        io.netty.handler.codec.http.HttpMethod method = request.method();
        boolean head = method == io.netty.handler.codec.http.HttpMethod.HEAD;
        if (method != io.netty.handler.codec.http.HttpMethod.GET && !head) {
            return false;
        }
        HttpHeaders h = request.headers();
        String uri = request.uri();
        if (!StaticFileCache.replayable(request.protocolVersion().text(), uri, h)) {
            return false;
        }
        StaticFileCache.Entry entry = entries.get(uri);
        if (entry == null || !entry.fresh(System.nanoTime())) {
            return false;
        }
        lock.lock();
        try {
            if (running || !inbound.isEmpty() || inputClosed || pendingBatches.get() != 0 || server.draining()) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        if (!entry.retain()) {
            return false;
        }
        // (on HTTP/2 Netty's codec gives the request version HTTP/1.1; the stream has no Connection field)
        boolean close = !stream && h.contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        HttpHeaders out = RESPONSE_HEADERS.newHeaders();
        AsciiString[] names = entry.names;
        AsciiString[] values = entry.values;
        for (int i = 0; i < names.length; i++) {
            out.add(names[i], i == entry.dateIndex ? currentDate() : values[i]);
        }
        if (close) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture done;
        if (head || entry.inMemory()) {
            // One message: the head and (for GET) the bytes, in one write.
            ByteBuf content = head ? Unpooled.EMPTY_BUFFER : entry.bodyView();
            done = ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content,
                    out, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE));
            done.addListener(entry); // gives the entry's reference back once written
        } else if (stream) {
            // one HEADERS frame, then DATA frames, the last one ending the stream
            ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, out));
            done = ctx.writeAndFlush(entry.chunks(true));
        } else {
            ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, out));
            if (fileRegions) {
                FileRegions.split(entry.file, 0, entry.size, entry::release, ctx::write);
            } else {
                ctx.write(entry.chunks(false));
            }
            done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (close) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
        dev.httpserver.api.spi.LogSink.write(address + " - - [" + dev.httpserver.api.spi.HttpDates.nowForLog() + "] \""
                + method.name() + " " + uri + (stream ? " HTTP/2.0" : " HTTP/1.1") + "\" 200 -\n");
        if (guard != null) {
            guard.responseFinished();
        }
        server.requestFinished();
        return true;
    }

    private static volatile Object[] dateCache = {-1L, null};

    /** The Date field's value now, made once a second. */
    private static AsciiString currentDate() {
        long second = System.currentTimeMillis() / 1000;
        Object[] c = dateCache;
        if ((Long) c[0] == second) {
            return (AsciiString) c[1];
        }
        AsciiString d = new AsciiString(dev.httpserver.api.spi.HttpDates.format(second));
        dateCache = new Object[] {second, d};
        return d;
    }

    private void requireHead() throws IOException {
        if (!headSent) {
            throw new IOException("the response body comes after its head: call sendResponse() and endHeaders() first");
        }
    }

    private void ensureOpen() throws IOException {
        if (!channel.isActive()) {
            throw new IOException("Broken pipe: the client closed the connection");
        }
    }

    private void enqueue(Object message, int bytes) {
        outbound.add(message);
        outboundBytes += bytes;
    }

    /**
     * Hands the queued response messages to the event loop in one task (one wake-up, one flush),
     * keeping the future of the last write so that a close can wait for it.
     */
    private void submit(boolean flush) {
        submit(flush, null);
    }

    private void submit(boolean flush, Runnable after) {
        if (outbound.isEmpty()) {
            return;
        }
        Object[] batch = outbound.toArray();
        long bytes = outboundBytes;
        outbound.clear();
        outboundBytes = 0;
        ChannelPromise promise = channel.newPromise();
        lastWrite = promise;
        pendingBatches.incrementAndGet();
        submittedBytes.addAndGet(bytes);
        try {
            channel.eventLoop().execute(() -> {
                pendingBatches.decrementAndGet();
                // From here the channel's own outbound buffer (and its writability) counts these bytes.
                if (submittedBytes.addAndGet(-bytes) <= MAX_SUBMITTED && writerWaiting) {
                    onWritabilityChanged();
                }
                int last = batch.length - 1;
                for (int i = 0; i < last; i++) {
                    channel.write(batch[i], channel.voidPromise());
                }
                channel.write(batch[last], promise);
                lastLoopWrite = promise;
                if (flush) {
                    channel.flush();
                }
                if (after != null) {
                    after.run();
                }
            });
        } catch (RejectedExecutionException e) {
            pendingBatches.decrementAndGet();
            submittedBytes.addAndGet(-bytes);
            for (Object o : batch) {
                if (o instanceof FileChunks) {
                    ((FileChunks) o).close(); // closes its file, or gives back the shared one
                } else {
                    ReferenceCountUtil.release(o);
                }
            }
            promise.tryFailure(e);
        }
    }

    /** Whether the handler must wait before writing more: the client is behind. */
    private boolean backedUp() {
        return !channel.isWritable() || submittedBytes.get() > MAX_SUBMITTED;
    }

    private void awaitWritable() throws IOException {
        if (!backedUp()) {
            return;
        }
        lock.lock();
        try {
            writerWaiting = true;
            while (backedUp() && channel.isActive()) {
                try {
                    changed.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the client to read", e);
                }
            }
        } finally {
            writerWaiting = false;
            lock.unlock();
        }
        ensureOpen();
    }

    /** Ends the current exchange: terminates the body, decides whether the connection goes on. */
    private void finishExchange() {
        if (!inExchange) {
            return;
        }
        inExchange = false;
        server.requestFinished();
        if (!headSent) {
            // The handler sent nothing at all; a client waiting for a response must not hang.
            closing = true;
        } else {
            if (framing == Framing.LENGTH && written < declaredLength) {
                handler.logError("%s", "response shorter than its Content-Length (" + written + " of " + declaredLength
                        + " bytes): closing the connection");
                closing = true;
            }
            if (failedMidResponse) {
                // No terminating chunk: the client must see a cut response, not a short complete one.
                closing = true;
                submit(true);
            } else {
                endBody();
                byte[] body = captured;
                Map<String, StaticFileCache.Entry> entries = staticEntries;
                if (body != null && entries != null && written == body.length && !closing) {
                    // Remembered before the end of the response goes out: the client may repeat it at once.
                    server.staticCache().put(entries, currentHead.path(), sentFields, body);
                }
                submit(true, guard == null ? null : guard::responseFinished);
            }
            captured = null;
        }
        if (stream) {
            closing = true; // one request per stream: the stream ends with its response
        }
        if (!bodyEnded && !closing) {
            discardRestOfBody();
        }
        releaseReading();
    }

    /**
     * Queues the end of the body. On an HTTP/2 stream the last queued message carries the end of the
     * stream itself (a head alone becomes one HEADERS frame with END_STREAM, a last piece of body one
     * DATA frame with it) instead of an extra empty DATA frame.
     */
    private void endBody() {
        if (bodyEndQueued) {
            return; // the file that completed the body ends the stream itself
        }
        int last = outbound.size() - 1;
        Object tail = last >= 0 ? outbound.get(last) : null;
        if (stream && tail != null && tail.getClass() == DefaultHttpContent.class) {
            outbound.set(last, new DefaultLastHttpContent(((DefaultHttpContent) tail).content()));
        } else if (stream && tail != null && tail.getClass() == DefaultHttpResponse.class) {
            DefaultHttpResponse r = (DefaultHttpResponse) tail;
            outbound.set(last, new DefaultFullHttpResponse(r.protocolVersion(), r.status(), Unpooled.EMPTY_BUFFER,
                    r.headers(), RESPONSE_HEADERS.newEmptyHeaders()));
        } else {
            enqueue(LastHttpContent.EMPTY_LAST_CONTENT, 0);
        }
    }

    private void discardRestOfBody() {
        lock.lock();
        try {
            while (true) {
                Object o = inbound.peek();
                if (o == END) {
                    inbound.poll();
                    bodyEnded = true;
                    return;
                }
                if (o instanceof Head || o instanceof TooLarge || o == MALFORMED || (o == null && inputClosed)) {
                    if (o instanceof TooLarge || o == MALFORMED) {
                        closing = true;
                    }
                    return;
                }
                if (o != null) {
                    inbound.poll();
                    dequeued(o);
                    continue;
                }
                awaitChange();
            }
        } finally {
            lock.unlock();
        }
    }

    private void releaseReading() {
        if (reading != null) {
            reading.release();
            reading = null;
        }
    }

    private void closeAfterWrites() {
        submit(true);
        ChannelFuture last = lastWrite;
        if (last != null && !last.isDone()) {
            last.addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }

    /** {@code rfile}: the current request's body, de-chunked by the codec, then end of stream. */
    private final class RequestBody extends InputStream {

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, reading.readableBytes());
            reading.readBytes(b, off, n);
            if (!reading.isReadable()) {
                releaseReading();
            }
            return n;
        }

        @Override
        public int available() {
            return reading == null ? 0 : reading.readableBytes();
        }

        /** Makes {@code reading} readable; false at the end of the body. */
        private boolean fill() throws IOException {
            if (reading != null && reading.isReadable()) {
                return true;
            }
            releaseReading();
            if (bodyEnded || !inExchange) {
                return false;
            }
            lock.lock();
            try {
                while (true) {
                    Object o = inbound.peek();
                    if (o == END || o instanceof Head) {
                        if (o == END) {
                            inbound.poll();
                        }
                        bodyEnded = true;
                        return false;
                    }
                    if (o instanceof TooLarge) {
                        closing = true;
                        throw new BodyTooLargeException(((TooLarge) o).max);
                    }
                    if (o == MALFORMED) {
                        closing = true;
                        throw new BadBodyException(400, "Bad request body: the chunked encoding is malformed");
                    }
                    if (o instanceof ByteBuf) {
                        inbound.poll();
                        ByteBuf buf = (ByteBuf) o;
                        queuedBytes -= buf.readableBytes();
                        resumeIfDrained();
                        reading = buf;
                        if (buf.isReadable()) {
                            return true;
                        }
                        releaseReading();
                        continue;
                    }
                    if (inputClosed) {
                        // The client's fault: after a half-close the connection can still carry a 400.
                        closing = true;
                        throw new BadBodyException(400,
                                "Bad request body: the client closed its side before the end of the body");
                    }
                    awaitChange();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** {@code wfile}: the current response's body, framed by the codec, with backpressure. */
    private final class ResponseBody extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
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
                closing = true;
                len = allowed;
                if (len == 0) {
                    return;
                }
            }
            if (captured != null) {
                System.arraycopy(b, off, captured, (int) written, len); // within declaredLength, checked above
            }
            while (len > 0) {
                if (backedUp()) {
                    submit(true);
                    awaitWritable();
                }
                ensureOpen();
                int n = Math.min(len, MAX_WRITE);
                ByteBuf buf = channel.alloc().directBuffer(n);
                buf.writeBytes(b, off, n);
                written += n;
                enqueue(new DefaultHttpContent(buf), n);
                if (outboundBytes >= MAX_WRITE) {
                    submit(true);
                }
                off += n;
                len -= n;
            }
        }

        @Override
        public void flush() {
            submit(true);
        }

        @Override
        public void close() {
            // The connection outlives the stream, as Python's wfile does until the handler finishes.
        }
    }
}
