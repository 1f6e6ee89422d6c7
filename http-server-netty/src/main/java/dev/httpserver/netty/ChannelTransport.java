package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.spi.RequestHead;
import dev.httpserver.api.spi.Transport;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@link Transport} of one channel, an HTTP/1 connection or an HTTP/2 stream: runs its handler
 * on a handler thread, one request after another, between the {@link InboundQueue} that the event
 * loop fills and the {@link ResponseWriter} that frames the answers.
 *
 * <pre>
 *   event loop:      HandlerBridge --offerHead/offerContent--&gt; InboundQueue
 *   handler thread:  run() -&gt; handler.handle() -&gt; nextRequest() / rfile ... writeHead() / wfile -&gt; ResponseWriter
 *   event loop:      ResponseWriter's batches -&gt; the channel
 * </pre>
 *
 * <p>A handler task runs only while a request waits, so an idle keep-alive connection holds no
 * thread. A GET or HEAD for the stock {@code SimpleHttpRequestHandler} may instead be answered on
 * the event loop by the same handler code ({@link #serveInline}, the file stage), when nothing else
 * is pending on the channel. An HTTP/2 stream carries one request: its handler serves that one, and the stream ends
 * with the response (a handler's {@code closeConnection} ends only the stream).
 */
final class ChannelTransport implements Transport {

    private final ServerContext server;
    private final Channel channel;
    private final ConnectionGuard guard;
    private final InetSocketAddress remote;
    private final boolean stream;
    private final InboundQueue inbound;
    private final ResponseWriter writer;

    /** The actions of {@link #onClientGone}, until the client goes; guarded by itself. */
    private final List<Runnable> goneActions = new ArrayList<>();
    /** The client went ({@link #onClientGone}); guarded by {@link #goneActions}. */
    private boolean gone;

    // ---- the thread serving the channel (a handler thread, or the event loop for the file stage) ----
    private BaseHttpRequestHandler handler;
    /** A handler exists; set once, on the thread that made it. */
    private volatile boolean handlerMade;
    /** The handler is the stock {@code SimpleHttpRequestHandler}, which the file stage may run. */
    private volatile boolean stockHandler;

    /**
     * @param guard  the connection's guard, told when each response has been handed to the channel;
     *               null on an HTTP/2 stream (the parent connection's guard counts streams instead)
     * @param stream whether the channel is an HTTP/2 stream
     */
    ChannelTransport(Channel channel, ServerContext server, ConnectionGuard guard, boolean stream) {
        this.server = server;
        this.channel = channel;
        this.guard = guard;
        this.stream = stream;
        this.remote = (InetSocketAddress) channel.remoteAddress();
        // sendfile only where the bytes go to the socket as they are: not through TLS, not in HTTP/2 frames
        boolean fileRegions = !stream && channel.pipeline().get(SslHandler.class) == null;
        this.inbound = new InboundQueue(channel, server.limits().maxPipelined(), this::bodyRefused);
        this.writer = new ResponseWriter(channel, inbound, stream, fileRegions, server.compress());
    }

    // ---- event loop ----

    /** Where the event loop puts request bodies. */
    InboundQueue inbound() {
        return inbound;
    }

    /** Queues a request head, starting a handler task for it if none is running. */
    void onHead(RequestHead head) {
        if (inbound.offerHead(head)) {
            server.dispatch(this::run, this::abort);
        }
    }

    /**
     * The client shut its sending side down (a half-close): the requests already received are still
     * answered, then the connection closes.
     */
    void onInputShutdown() {
        if (!stream) {
            clientGone();
        }
        if (inbound.inputShutdown()) {
            writer.closeWhenWritten();
        }
    }

    /** The channel closed (or left HTTP/1 for HTTP/2): a waiting handler thread sees the end. */
    void onInactive() {
        clientGone();
        inbound.close();
        writer.wakeWriter();
    }

    /** Runs the actions of {@link #onClientGone}, once. */
    private void clientGone() {
        List<Runnable> actions;
        synchronized (goneActions) {
            if (gone) {
                return;
            }
            gone = true;
            actions = new ArrayList<>(goneActions);
            goneActions.clear();
        }
        for (Runnable action : actions) {
            action.run();
        }
    }

    void onWritabilityChanged() {
        writer.wakeWriter();
    }

    // ---- handler thread ----

    /** The handler task: serves the waiting requests, then parks the channel or closes it. */
    private void run() {
        while (serveQueued()) {
            switch (inbound.park()) {
                case PARKED:
                    return;
                case INPUT_SHUT: // the client half-closed and everything it sent is answered
                    close();
                    return;
                default:
                    break; // more requests came meanwhile
            }
        }
    }

    /**
     * Whether a request that arrives whole may be answered on the event loop by the file stage
     * ({@link FileStage}): the channel's handler is a {@link FileStage#stock stock} one (or none was
     * made yet and the server's factory makes only those), nothing else is pending on the
     * channel, so responses stay in order, and the client reads its answers.
     */
    boolean canServeInline() {
        return (stockHandler || (!handlerMade && server.stockHandlers())) && channel.isWritable()
                && writer.noPendingBatches() && inbound.idle();
    }

    /**
     * On the event loop: answers {@code head}, a GET or HEAD without a body that {@link #canServeInline()}
     * allowed, with the channel's stock handler, now. Its code reads the file system (as nginx does
     * on its event loop) but never waits for the network: it writes what it has, and a client that
     * stops reading makes the next request go to a handler thread, which waits for it.
     */
    void serveInline(RequestHead head) {
        inbound.offerWhole(head);
        if (serveQueued()) {
            switch (inbound.park()) {
                case PARKED:
                    return;
                case INPUT_SHUT:
                    close();
                    return;
                default:
                    server.dispatch(this::run, this::abort);
            }
        }
    }

    /** Serves what is queued with the channel's handler; false, having closed the channel, when it ends. */
    private boolean serveQueued() {
        try {
            if (handler == null) {
                handler = server.newHandler();
                writer.handler(handler);
                handler.attach(this, remote, server.view());
                stockHandler = FileStage.stock(handler);
                handlerMade = true;
            }
            handler.handle();
        } catch (Throwable t) {
            onHandlerFailure(t);
        }
        try {
            finishExchange();
        } catch (Throwable t) {
            writer.markClosing();
        }
        if (writer.closing() || handler == null || handler.closeConnection() || !channel.isActive()) {
            close();
            return false;
        }
        return true;
    }

    private void close() {
        writer.closeAfterWrites();
        inbound.releaseReading();
    }

    private void bodyRefused() {
        writer.markClosing();
    }

    private void onHandlerFailure(Throwable t) {
        boolean answerable = handler != null && writer.inExchange() && !writer.headSent() && channel.isActive();
        writer.failed();
        if (t instanceof BadBodyException) {
            if (answerable) {
                sendErrorQuietly(((BadBodyException) t).status, t.getMessage() + ".");
            }
            return;
        }
        if (!channel.isActive() && t instanceof IOException) {
            if (handler != null) {
                handler.logError("%s", "connection closed by the client: " + t.getMessage());
            }
            return;
        }
        // As CPython's socketserver handle_error(): the traceback in the log, and the server goes on.
        server.requestLog().exception(String.valueOf(remote), t);
        if (answerable) {
            sendErrorQuietly(500, null);
        }
    }

    private void sendErrorQuietly(int code, String explain) {
        try {
            handler.sendError(code, null, explain);
        } catch (Throwable ignored) {
            // the connection closes anyway
        }
    }

    /** Ends the current exchange: terminates the body, decides whether the channel goes on. */
    private void finishExchange() {
        if (!writer.finish(guard)) {
            return;
        }
        server.requestFinished();
        if (stream) {
            writer.markClosing(); // one request per stream: the stream ends with its response
        }
        if (!inbound.finishBody(writer.closing())) {
            writer.markClosing();
        }
    }

    @Override
    public RequestHead nextRequest() throws IOException {
        finishExchange();
        if (writer.closing()) {
            return null;
        }
        RequestHead head = inbound.nextHead();
        if (head != null) {
            writer.begin(head.command(), head.version(), http10WithLength(head));
        }
        return head;
    }

    /**
     * An HTTP/1.0 request that announces a body length. Netty's decoder merges repeated
     * {@code Content-Length} fields of an HTTP/1.0 request into the first one before the server sees
     * them, so differing lengths (RFC 9112 6.3, a way to smuggle a second request past a proxy inside
     * the body) cannot be refused here; instead the connection ends with this response, and nothing
     * after the body is ever read as a request. HTTP/1.0 keep-alive with a body is rare.
     */
    private static boolean http10WithLength(RequestHead head) {
        return "HTTP/1.0".equals(head.version()) && head.headers().contains("Content-Length");
    }

    @Override
    public boolean hasQueuedRequest() {
        return inbound.hasQueuedHead() && !writer.closing();
    }

    @Override
    public InputStream requestBody() {
        return inbound.body();
    }

    @Override
    public OutputStream responseBody() {
        return writer.body();
    }

    @Override
    public boolean headSent() {
        return writer.headSent();
    }

    @Override
    public boolean closing() {
        return writer.closing();
    }

    @Override
    public Registration onClientGone(Runnable action) {
        synchronized (goneActions) {
            if (!gone && channel.isActive()) {
                goneActions.add(action);
                return () -> {
                    synchronized (goneActions) {
                        goneActions.remove(action);
                    }
                };
            }
        }
        action.run();
        return () -> { };
    }

    @Override
    public void abort() {
        writer.markClosing();
        channel.close();
    }

    @Override
    public void reset() {
        writer.markClosing();
        if (!stream) {
            // SO_LINGER 0: the close sends RST at once instead of FIN (an HTTP/2 stream's close sends RST_STREAM)
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        channel.close();
    }

    @Override
    public boolean writeRaw(byte[] bytes) throws IOException {
        ChannelHandlerContext codec = stream ? null : channel.pipeline().context(HttpPipelineInitializer.HTTP);
        if (codec == null || writer.headSent()) {
            return false;
        }
        // written below the HTTP codec (into TLS, if any), on the event loop after what is already queued
        ChannelFuture done = codec.writeAndFlush(Unpooled.wrappedBuffer(bytes.clone()));
        try {
            if (!done.await(server.limits().writeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("raw write not done within the write timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing", e);
        }
        if (!done.isSuccess()) {
            throw new IOException("raw write failed: " + done.cause(), done.cause());
        }
        return true;
    }

    @Override
    public void writeHead(String version, int code, String reason, List<Map.Entry<String, String>> fields,
            boolean keepAlive) throws IOException {
        writer.writeHead(version, code, reason, fields, keepAlive, server.draining());
    }

    @Override
    public boolean sendFile(FileChannel file, long position, long count) throws IOException {
        return writer.sendFile(file, position, count, true);
    }

    @Override
    public boolean sendFile(FileChannel file, long position, long count, boolean close) throws IOException {
        return writer.sendFile(file, position, count, close);
    }
}
