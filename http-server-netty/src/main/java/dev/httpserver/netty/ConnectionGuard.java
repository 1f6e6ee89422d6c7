package dev.httpserver.netty;

import dev.httpserver.api.RequestLog;
import dev.httpserver.api.internal.Addresses;
import dev.httpserver.api.internal.Python;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every connection, closest to the socket: enforces {@link Limits} for that
 * connection alone, on its event loop, without blocking. It refuses connections beyond
 * {@code maxConnections} with 503, and keeps the connection's clocks: the request head
 * ({@code headerTimeout}, answered 408), the wait between keep-alive requests
 * ({@code idleTimeout}), a request body that stops arriving ({@code bodyTimeout}), and a response
 * the client stops reading ({@code writeTimeout}). It also closes the connection once it is idle
 * when the server drains for shutdown.
 *
 * <pre>
 *   [SslHandler] -&gt; ConnectionGuard -&gt; Http1Codec -&gt; [ChunkedWriteHandler] -&gt; HandlerBridge
 *   [SslHandler] -&gt; ConnectionGuard -&gt; Http2FrameCodec -&gt; Http2MultiplexHandler (a HandlerBridge per stream)
 * </pre>
 *
 * <p>Under TLS it sits after the {@code SslHandler}, so it counts only decrypted bytes; the handshake
 * has its own clock ({@link Limits#tlsHandshakeTimeout()}, enforced by the {@code SslHandler}). Once
 * the connection speaks HTTP/2 ({@link #http2()}) the request-head clocks no longer apply (HTTP/2 has
 * its own framing and limits); the connection is idle while no stream is open, and draining sends
 * GOAWAY and lets the open streams finish.
 *
 * {@link HandlerBridge} and {@link Connection} report where the exchange stands ({@link #headReceived},
 * {@link #bodyEnded}, {@link #responseFinished}), always on the event loop.
 */
final class ConnectionGuard extends ChannelDuplexHandler {

    private final ServerContext server;
    private final Limits limits;
    private final long tickNanos;

    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> tick;
    private boolean counted;
    private boolean closed;
    private boolean refusing;   // beyond maxConnections: the refusal waits for the client's protocol

    /** How long a refused connection waits for its client's protocol (first bytes, or TLS handshake). */
    private static final long REFUSAL_WAIT_MILLIS = 2_000;

    private int inFlight;          // requests whose response has not finished
    private boolean readingHead;   // bytes of a request head have arrived, the head is not complete
    private boolean readingBody;   // the current request's body is still arriving
    private long headStart;
    private long idleSince;
    private long lastRead;
    private final StringBuilder rawLine = new StringBuilder();
    private boolean rawLineDone = true;
    private long lastPending = -1;
    private long lastProgress = -1;
    private long stalledSince;
    private boolean http2;
    /** The open HTTP/2 streams' channels; event loop only. */
    private final Set<Channel> streams = new HashSet<>();

    ConnectionGuard(ServerContext server) {
        this.server = server;
        this.limits = server.limits();
        long shortest = limits.shortestTimeout().toNanos();
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 4));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        if (!server.tryAcquireConnection(ctx.channel())) {
            // Beyond the limit: accept, say why in the client's protocol, close (RFC 9110 15.6.4 503 with
            // Retry-After; on HTTP/2 a GOAWAY that processed no stream). Over TLS the protocol is known once
            // ALPN has chosen; with h2c, from the client's first bytes (the preface, or a request line).
            closed = true;
            refusing = true;
            if (ctx.pipeline().get(SslHandler.class) == null && !server.h2c()) {
                refuse(ctx, false);
            } else {
                // a client that says nothing still hears the answer, in HTTP/1
                ctx.executor().schedule(() -> refuse(ctx, false), REFUSAL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
            return;
        }
        counted = true;
        long now = System.nanoTime();
        idleSince = now;
        lastRead = now;
        tick = ctx.executor().scheduleAtFixedRate(this::check, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        // A stream whose handler is not reading never learns of the codec closing it (Netty delivers the
        // end of a stream only through reads): closed here, it lets go of what it holds, and its handler
        // hears that the client is gone.
        for (Channel stream : new ArrayList<>(streams)) {
            stream.close();
        }
        streams.clear();
        if (tick != null) {
            tick.cancel(false);
        }
        if (counted) {
            counted = false;
            server.releaseConnection();
        }
        super.channelInactive(ctx);
    }

    /**
     * The refusal of a connection beyond {@code maxConnections}, once: a 503 in HTTP/1, or for a client
     * speaking HTTP/2 the server's SETTINGS and a GOAWAY (last stream 0: nothing was processed, so the
     * client may retry) with ENHANCE_YOUR_CALM and a message.
     */
    private void refuse(ChannelHandlerContext ctx, boolean http2) {
        if (!refusing) {
            return;
        }
        refusing = false;
        ByteBuf answer;
        if (http2) {
            byte[] debug = "server busy: too many connections, retry later".getBytes(StandardCharsets.US_ASCII);
            answer = ctx.alloc().buffer(9 + 9 + 8 + debug.length);
            answer.writeMedium(0).writeByte(0x4).writeByte(0).writeInt(0); // SETTINGS, empty: the server preface
            answer.writeMedium(8 + debug.length).writeByte(0x7).writeByte(0).writeInt(0); // GOAWAY
            answer.writeInt(0).writeInt(0xb).writeBytes(debug); // last stream 0, ENHANCE_YOUR_CALM
        } else {
            answer = ErrorResponses.encode(ctx.alloc(), 503, "Retry-After: 1\r\n");
        }
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (closed) {
            if (refusing && msg instanceof ByteBuf) {
                ByteBuf b = (ByteBuf) msg;
                refuse(ctx, b.readableBytes() >= 3 && b.getByte(b.readerIndex()) == 'P'
                        && b.getByte(b.readerIndex() + 1) == 'R' && b.getByte(b.readerIndex() + 2) == 'I');
            }
            ReferenceCountUtil.release(msg);
            return;
        }
        long now = System.nanoTime();
        lastRead = now;
        if (http2) {
            super.channelRead(ctx, msg);
            return;
        }
        if (msg instanceof ByteBuf && ((ByteBuf) msg).isReadable() && !readingBody && !readingHead) {
            readingHead = true;
            headStart = now;
            rawLine.setLength(0);
            rawLineDone = false;
        }
        if (!rawLineDone && msg instanceof ByteBuf) {
            captureLine((ByteBuf) msg);
        }
        super.channelRead(ctx, msg);
    }

    /** Keeps the first line of the request being read (up to 8 KiB), for CPython's error messages. */
    private void captureLine(ByteBuf buf) {
        for (int i = buf.readerIndex(), end = buf.writerIndex(); i < end; i++) {
            byte b = buf.getByte(i);
            if (b == '\n' || rawLine.length() >= 8192) {
                rawLineDone = true;
                return;
            }
            rawLine.append((char) (b & 0xff));
        }
    }

    /** The request line of the request being read, as received (ISO-8859-1, without its line ending). */
    String rawRequestLine() {
        int n = rawLine.length();
        return n > 0 && rawLine.charAt(n - 1) == '\r' ? rawLine.substring(0, n - 1) : rawLine.toString();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (closed && evt instanceof SslHandshakeCompletionEvent) {
            if (refusing && ((SslHandshakeCompletionEvent) evt).isSuccess()) {
                SslHandler tls = ctx.pipeline().get(SslHandler.class);
                refuse(ctx, tls != null && ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol()));
            } else if (refusing) {
                ctx.close();
            }
            return; // no protocol is set up for a refused connection
        }
        if (evt instanceof ChannelInputShutdownEvent
                && ctx.pipeline().get(HandlerBridge.class) == null) {
            ctx.close(); // not (or no longer) HTTP/1: nothing will answer a half-closed client
        } else if (evt instanceof ChannelOutputShutdownEvent) {
            // A write failed in a way that shut our side (nothing here shuts it on purpose): nothing more can
            // be answered, so the connection is closed rather than left counted until a timeout.
            ctx.close();
        }
        super.userEventTriggered(ctx, evt);
    }

    /** The codec produced a request head. */
    void headReceived(boolean hasBody) {
        readingHead = false;
        readingBody = hasBody;
        inFlight++;
    }

    /** The current request's body ended. */
    void bodyEnded() {
        readingBody = false;
    }

    /** A response was completely handed to the channel. */
    void responseFinished() {
        if (inFlight > 0) {
            inFlight--;
        }
        if (inFlight == 0) {
            idleSince = System.nanoTime();
            if (server.draining() && !readingHead && ctx != null) {
                ctx.channel().close();
            }
        }
    }

    /**
     * The connection speaks HTTP/2 from now on (ALPN {@code h2}, prior knowledge, or {@code Upgrade: h2c}):
     * no request head is being read on it any more, and its streams are counted instead.
     */
    void http2() {
        http2 = true;
        readingHead = false;
        readingBody = false;
        rawLineDone = true;
        rawLine.setLength(0);
        inFlight = 0;
        idleSince = System.nanoTime();
    }

    /** An HTTP/2 stream of this connection opened. */
    void streamOpened(Channel stream) {
        streams.add(stream);
    }

    /** An HTTP/2 stream of this connection ended. */
    void streamClosed(Channel stream) {
        streams.remove(stream);
        if (streams.isEmpty()) {
            idleSince = System.nanoTime();
        }
    }

    /**
     * The server drains for shutdown: an idle connection closes now, a busy one after its responses.
     * An HTTP/2 connection is closed through its codec, which sends GOAWAY and waits for the open
     * streams (up to the shutdown timeout).
     */
    void drain() {
        if (ctx == null) {
            return;
        }
        if (http2 || (inFlight == 0 && !readingHead)) {
            ctx.channel().close();
        }
    }

    boolean idle() {
        return http2 ? streams.isEmpty() : inFlight == 0 && !readingHead;
    }

    private void check() {
        if (closed || ctx == null) {
            return;
        }
        long now = System.nanoTime();
        if (http2) {
            if (streams.isEmpty() && now - idleSince > limits.idleTimeout().toNanos()) {
                ctx.channel().close(); // through the HTTP/2 codec: GOAWAY, then close
                return;
            }
            checkWrites(now);
            return;
        }
        if (readingHead && now - headStart > limits.headerTimeout().toNanos()) {
            timeout(inFlight == 0 ? 408 : 0);
            return;
        }
        if (!readingHead && inFlight == 0 && now - idleSince > limits.idleTimeout().toNanos()) {
            ctx.channel().close();
            return;
        }
        if (readingBody && ctx.channel().config().isAutoRead() && now - lastRead > limits.bodyTimeout().toNanos()) {
            ctx.channel().close();
            return;
        }
        checkWrites(now);
    }

    /** Closes a connection whose client has stopped reading for {@code writeTimeout}. */
    private void checkWrites(long now) {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long pending = out == null ? 0 : out.totalPendingWriteBytes();
        long progress = out == null ? 0 : out.currentProgress();
        if (pending > 0 && pending == lastPending && progress == lastProgress) {
            if (now - stalledSince > limits.writeTimeout().toNanos()) {
                ctx.channel().close();
            }
        } else {
            lastPending = pending;
            lastProgress = progress;
            stalledSince = now;
        }
    }

    private void timeout(int status) {
        closed = true;
        if (status != 0) {
            // No handler has this request, so the lines CPython's send_error would log are written here.
            String client = Addresses.client((InetSocketAddress) ctx.channel().remoteAddress());
            String error = "code " + status + ", message Request Timeout: the request head did not arrive within "
                    + limits.headerTimeout().toMillis() + " ms";
            String request = "\"" + Python.escapeControl(rawRequestLine()) + "\" " + status + " -";
            RequestLog log = server.requestLog();
            log.error(client, error);
            log.message(client, request);
            ctx.writeAndFlush(ErrorResponses.encode(ctx.alloc(), status, "")).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.channel().close();
        }
    }
}
