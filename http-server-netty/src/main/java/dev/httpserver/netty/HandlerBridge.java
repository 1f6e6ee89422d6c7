package dev.httpserver.netty;

import dev.httpserver.api.spi.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The last inbound handler of the pipeline, after {@code Http1Codec}: turns Netty's request
 * objects into {@link RequestHead}s and body buffers for the connection's handler thread, and turns
 * decoding failures into the statuses CPython answers them with (414 for a long request line, 431
 * for long or too many header lines, 400 otherwise). It runs on the event loop and never blocks.
 *
 * <pre>
 *   [SslHandler] -&gt; ConnectionGuard -&gt; Http1Codec -&gt; [ChunkedWriteHandler] -&gt; HandlerBridge  ==queue==&gt;  handler thread
 *   HTTP/2 stream: Http2StreamFrameToHttpObjectCodec -&gt; ChunkedWriteHandler -&gt; HandlerBridge  ==queue==&gt;  handler thread
 * </pre>
 *
 * <p>On an HTTP/2 stream ({@code stream} true) the bridge serves that one stream's request, as
 * {@link RequestHead#ofHttp2} ({@code HTTP/2.0}), on a {@link ChannelTransport} of the stream's own; the
 * {@link ConnectionGuard} of the parent connection counts the open streams.
 */
final class HandlerBridge extends ChannelInboundHandlerAdapter {

    private final ServerContext server;
    private final boolean stream;
    private ChannelTransport transport;
    private ConnectionGuard guard;
    /** The parent connection's guard, told when this stream ends (streams only). */
    private ConnectionGuard parentGuard;
    /** This HTTP/2 stream's channel, as its connection's guard knows it. */
    private Channel streamChannel;
    private long bodyBytes;
    private boolean discardingBody;
    private FileStage files;
    /** Streams only, while the stream cannot take bytes: its reset at the write timeout. */
    private ScheduledFuture<?> stallCheck;

    HandlerBridge(ServerContext server) {
        this(server, false);
    }

    HandlerBridge(ServerContext server, boolean stream) {
        this.server = server;
        this.stream = stream;
    }

    /** Added to a live channel (after ALPN chose HTTP/1.1, or on an HTTP/2 stream): starts at once. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            init(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        init(ctx);
        super.channelActive(ctx);
    }

    private void init(ChannelHandlerContext ctx) {
        if (transport != null) {
            return;
        }
        if (stream) {
            Channel parent = ctx.channel().parent();
            parentGuard = parent == null ? null : parent.pipeline().get(ConnectionGuard.class);
            streamChannel = ctx.channel();
            if (parentGuard != null) {
                parentGuard.streamOpened(streamChannel);
            }
        } else {
            guard = ctx.pipeline().get(ConnectionGuard.class);
        }
        transport = new ChannelTransport(ctx.channel(), server, guard, stream);
        files = new FileStage(transport);
    }

    /** Removed from a live channel (the connection switched to HTTP/2 by {@code Upgrade: h2c}). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        end();
    }

    /**
     * A stream whose client keeps its flow-control window shut holds the response queued (64 KiB or
     * more) and its handler blocked: once the stream has been unable to take bytes for {@code writeTimeout}
     * it is reset (RST_STREAM CANCEL), as nginx resets it. The connection's own check only sees the
     * connection's buffer, which stays empty while a stream's window is shut. A timer runs only while
     * the stream cannot take bytes.
     */
    private void watchForStall(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        if (ch.isWritable()) {
            if (stallCheck != null) {
                stallCheck.cancel(false);
                stallCheck = null;
            }
        } else if (stallCheck == null && ch.isActive()) {
            stallCheck = ctx.executor().schedule(() -> {
                stallCheck = null;
                if (!ch.isWritable()) {
                    ch.close();
                }
            }, server.limits().writeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void end() {
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        if (transport != null) {
            transport.onInactive();
        }
        if (parentGuard != null) {
            ConnectionGuard g = parentGuard;
            parentGuard = null;
            g.streamClosed(streamChannel);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (transport == null) {
                return;
            }
            if (msg instanceof HttpRequest && !ctx.channel().isActive()
                    && ((HttpRequest) msg).decoderResult().isFailure()) {
                // A head cut short by the closing of the connection (after a 408, say): nobody is there to
                // be answered, and an error logged for it would name a status the client never got.
                return;
            }
            if (msg instanceof HttpRequest) {
                bodyBytes = 0;
                discardingBody = false;
                if (guard != null) {
                    guard.headReceived(true);
                }
                HttpRequest request = (HttpRequest) msg;
                RequestHead head = stream ? RequestHeads.http2(request, server.limits().maxBodySize())
                        : RequestHeads.http1(request, server.limits().maxBodySize(),
                                guard == null ? null : guard.rawRequestLine());
                if (!files.hold(request, head)) {
                    transport.onHead(head);
                }
            }
            if (files.holding() && msg instanceof HttpContent) {
                if (msg instanceof LastHttpContent) {
                    if (guard != null) {
                        guard.bodyEnded();
                    }
                    files.release();
                }
                return;
            }
            if (msg instanceof HttpContent && ((HttpContent) msg).decoderResult().isFailure()) {
                // A bad chunk size or trailer: the body is not what the client meant; never pass it as complete.
                if (!discardingBody) {
                    discardingBody = true;
                    ctx.channel().config().setAutoRead(false);
                    transport.inbound().offerMalformed();
                }
                return;
            }
            if (msg instanceof HttpContent) {
                ByteBuf content = ((HttpContent) msg).content();
                long max = server.limits().maxBodySize();
                if (content.isReadable() && !discardingBody) {
                    bodyBytes += content.readableBytes();
                    if (max >= 0 && bodyBytes > max) {
                        // A chunked body grew past the limit: end it here; the connection closes after the 413.
                        discardingBody = true;
                        ctx.channel().config().setAutoRead(false);
                        transport.inbound().offerTooLarge(max);
                    } else {
                        transport.inbound().offerContent(content.retain());
                    }
                }
                if (msg instanceof LastHttpContent) {
                    if (guard != null) {
                        guard.bodyEnded();
                    }
                    if (!discardingBody) {
                        transport.inbound().offerEnd();
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        end();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent && transport != null) {
            transport.onInputShutdown();
        }
        if (evt instanceof Http2ResetFrame) {
            // The client reset the stream. Netty ends a stream only through its reads, which are paused while
            // the handler is behind: close it, once the codec has closed the stream (so that no RST_STREAM
            // answers the client's), to release what is queued and tell the handler.
            Channel ch = ctx.channel();
            ch.eventLoop().execute(() -> ch.close());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (stream) {
            watchForStall(ctx);
        }
        if (transport != null) {
            transport.onWritabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Exception http2 = stream ? Http2CodecUtil.getEmbeddedHttp2Exception(cause) : null;
        if (http2 != null) {
            // A stream error the codec leaves to the stream (a WINDOW_UPDATE overflow: FLOW_CONTROL_ERROR):
            // the stream is reset with its code, where closing the channel would reset it with CANCEL.
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(http2.error())).addListener(f -> ctx.close());
            return;
        }
        if (!expected(cause)) {
            server.unexpected(ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /**
     * Whether {@code cause} is what a client can do to a connection (reset it, send plaintext to the
     * TLS port, fail or abandon the handshake, break the HTTP/2 protocol): closed without a word, as
     * the connection alone is affected.
     */
    static boolean expected(Throwable cause) {
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 8; t = t.getCause(), depth++) {
            if (t instanceof IOException || t instanceof Http2Exception) { // SSLException is an IOException
                return true;
            }
        }
        return false;
    }
}
