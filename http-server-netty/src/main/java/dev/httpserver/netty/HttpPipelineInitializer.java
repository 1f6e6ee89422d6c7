package dev.httpserver.netty;

import dev.httpserver.api.internal.RequestHeadRules;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;

/**
 * The only place that knows the order of the pipeline. A connection starts as one of:
 *
 * <pre>
 *   plain HTTP/1:      ConnectionGuard -&gt; Http1Codec -&gt; HandlerBridge
 *   HTTPS, HTTP/1 only: SslHandler -&gt; ConnectionGuard -&gt; Http1Codec -&gt; ChunkedWriteHandler -&gt; HandlerBridge
 *   HTTPS with h2:      SslHandler -&gt; ConnectionGuard -&gt; Alpn  (then one of the two below, by ALPN)
 *   plain with h2c:     ConnectionGuard -&gt; H2cPreface -&gt; Http1Codec
 *                       -&gt; HttpServerUpgradeHandler -&gt; HandlerBridge
 * </pre>
 *
 * An HTTPS connection has {@link PlainHttpOnTlsPort} before its SslHandler until its first byte:
 * plain HTTP there gets a clear-text 400. A connection that speaks HTTP/2 (ALPN {@code h2}, the h2c
 * preface, or {@code Upgrade: h2c}) ends as
 *
 * <pre>
 *   [SslHandler] -&gt; ConnectionGuard -&gt; Http2FrameCodec -&gt; Http2MultiplexHandler -&gt; Http2Tail
 *   and per stream: Http2StreamFrameToHttpObjectCodec -&gt; ChunkedWriteHandler -&gt; HandlerBridge
 * </pre>
 *
 * <p>Every connection also has a {@code FlushConsolidationHandler} just before the
 * {@link ConnectionGuard} (after the {@code SslHandler}): flushes made while a read is handled
 * (pipelined requests, HTTP/2 streams answered on the event loop) leave as one write, under TLS one
 * wrap, at the end of the read; a flush from a handler thread goes out at once
 * ({@code -Ddev.httpserver.flushConsolidation=false} removes it).
 *
 * <p>{@link ConnectionGuard} (timeouts and the connection limit) sees decrypted bytes, after the
 * {@code SslHandler}; the {@code SslContext} is built once, when the server starts. The
 * {@code ChunkedWriteHandler} is there only where files cannot go out as {@code FileRegion}s
 * (TLS, HTTP/2 streams): a plain HTTP/1 connection sends them with {@code sendfile}.
 */
final class HttpPipelineInitializer extends ChannelInitializer<SocketChannel> {

    /** The whole header block; CPython bounds each line ({@link RequestHeadRules#MAX_LINE}) and their number. */
    static final int MAX_HEADER_BLOCK = 128 * 1024;
    /** HTTP/2 streams a client may have open at once on one connection (SETTINGS_MAX_CONCURRENT_STREAMS). */
    static final int MAX_CONCURRENT_STREAMS = 100;
    /** RST_STREAM frames received, or sent, per window before the connection is closed (see {@link #newHttp2Codec}). */
    static final int MAX_RST_FRAMES_PER_WINDOW = 200;
    static final int RST_FRAMES_WINDOW_SECONDS = 30;
    /** CONTINUATION frames under 8 KiB allowed per header block (Netty's own default). */
    static final int MAX_SMALL_CONTINUATION_FRAMES = 16;
    /** An {@code Upgrade: h2c} request is taken only without a body; this bounds what is buffered of it. */
    private static final int MAX_UPGRADE_REQUEST = 16 * 1024;

    static final String TLS = "tls";
    static final String GUARD = "guard";
    static final String FLUSH = "flush";
    static final String HTTP = "http";
    static final String CHUNKED = "chunked";
    static final String COMPRESS = "compress";
    static final String BRIDGE = "bridge";

    private final ServerContext server;

    HttpPipelineInitializer(ServerContext server) {
        this.server = server;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        SslContext ssl = server.sslContext();
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(ch.alloc());
            // A client that connects and says nothing (or too little) is dropped after this.
            tls.setHandshakeTimeoutMillis(server.limits().tlsHandshakeTimeout().toMillis());
            p.addLast("plain-http", new PlainHttpOnTlsPort());
            p.addLast(TLS, tls);
        }
        // Not with on-the-fly compression on a plain connection: there, a flush it makes when the channel
        // turns unwritable runs inside ChunkedWriteHandler's write of a piece of a file, and a failed
        // socket write at that moment released queued buffers twice (measured: 16 MiB downloads cut by
        // the client). Under TLS the SslHandler stands between them.
        boolean consolidate = !"false".equalsIgnoreCase(System.getProperty("dev.httpserver.flushConsolidation"))
                && (ssl != null || !server.compress());
        if (consolidate) {
            // Flushes made while a read is being handled (pipelined requests, HTTP/2 streams answered
            // from one read) go out as one at the end of the read: one write, and under TLS one wrap.
            p.addLast(FLUSH, new FlushConsolidationHandler(
                    FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, false));
        }
        p.addLast(GUARD, new ConnectionGuard(server));
        if (ssl != null && server.alpnH2()) {
            p.addLast("alpn", new Alpn(server));
        } else if (ssl == null && server.h2c()) {
            Http1Codec codec = newHttp1Codec();
            HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec, protocol ->
                    AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                            ? new Http2ServerUpgradeCodec(newHttp2Codec(server), newMultiplexer(server), new Http2Tail(server))
                            : null,
                    MAX_UPGRADE_REQUEST, DefaultHttpHeadersFactory.headersFactory(),
                    DefaultHttpHeadersFactory.trailersFactory(), true) {
                @Override
                protected boolean shouldHandleUpgradeRequest(HttpRequest req) {
                    // Only a request without a body switches (curl's GET does): a large upload is never
                    // buffered for the switch; with a body the client just goes on in HTTP/1.1.
                    return req.decoderResult().isSuccess() && !HttpUtil.isTransferEncodingChunked(req)
                            && HttpUtil.getContentLength(req, 0L) == 0
                            && req.headers().contains(HttpHeaderNames.UPGRADE, Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, true);
                }
            };
            // It puts the codec and the upgrade handler after itself, and gives way to HTTP/2 on the preface.
            p.addLast("h2c", new H2cPreface(codec, upgrade, new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel c) {
                    addHttp2(c.pipeline(), server);
                }
            }));
            if (server.compress()) {
                // HTTP/1 on this connection; the codec and the upgrade handler go in before these
                p.addLast(COMPRESS, new Compression());
                p.addLast(CHUNKED, new ChunkedWriteHandler());
            }
            p.addLast(BRIDGE, new HandlerBridge(server));
        } else {
            addHttp1(p, server, ssl != null || server.compress());
        }
    }

    /** HTTP/1's codec, with CPython's limits (its {@code _MAXLINE} for the request line). */
    static Http1Codec newHttp1Codec() {
        return new Http1Codec(MAX_HEADER_BLOCK, 64 * 1024);
    }

    /** Appends the HTTP/1 handlers; {@code chunked} where files go through {@code ChunkedWriteHandler} (TLS). */
    static void addHttp1(ChannelPipeline p, ServerContext server, boolean chunked) {
        p.addLast(HTTP, newHttp1Codec());
        if (server.compress()) {
            p.addLast(COMPRESS, new Compression());
        }
        if (chunked) {
            p.addLast(CHUNKED, new ChunkedWriteHandler());
        }
        p.addLast(BRIDGE, new HandlerBridge(server));
    }

    /** Appends the HTTP/2 handlers: the frame codec, a child channel per stream, and a quiet tail. */
    static void addHttp2(ChannelPipeline p, ServerContext server) {
        p.addLast("h2", newHttp2Codec(server));
        p.addLast("h2-streams", newMultiplexer(server));
        p.addLast("h2-tail", new Http2Tail(server));
    }

    /**
     * The HTTP/2 frame codec, with Netty's defences set explicitly rather than left to defaults:
     * <ul>
     *   <li>at most {@value #MAX_CONCURRENT_STREAMS} concurrent streams, enforced from the first frame
     *       (before the client acknowledges our SETTINGS), and no reserved (pushed) streams;</li>
     *   <li>CVE-2023-44487, "Rapid Reset": a client that opens and cancels streams (RST_STREAM) faster
     *       than {@value #MAX_RST_FRAMES_PER_WINDOW} per {@value #RST_FRAMES_WINDOW_SECONDS} s loses the
     *       connection ({@code decoderEnforceMaxRstFramesPerWindow});</li>
     *   <li>CVE-2025-55163, "MadeYouReset": a client that makes the server reset its streams (malformed
     *       frames, WINDOW_UPDATE or DATA where not allowed), so that they stop counting against the
     *       concurrent-stream limit while their work goes on, is cut off past the same rate of
     *       RST_STREAM frames sent ({@code encoderEnforceMaxRstFramesPerWindow});</li>
     *   <li>CVE-2019-9518 (empty frames flood): at most 2 consecutive empty DATA frames;</li>
     *   <li>CVE-2024-27316 / CVE-2024-29025 (CONTINUATION flood): the number of small CONTINUATION
     *       frames per header block is bounded (Netty's default, set again here), and so is the header
     *       list: {@value #MAX_HEADER_BLOCK} bytes, HTTP/1's header block limit (CPython's 64 KiB per
     *       line is checked per field as on HTTP/1; beyond the list size the request gets 431);</li>
     *   <li>CVE-2019-9512 / 9515 (ping and settings floods): the queue of control frames waiting for a
     *       client that does not read is bounded.</li>
     * </ul>
     * On shutdown the codec sends GOAWAY and gives open streams the server's shutdown timeout.
     */
    static Http2FrameCodec newHttp2Codec(ServerContext server) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(MAX_HEADER_BLOCK);
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .maxReservedStreams(0)
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES_PER_WINDOW, RST_FRAMES_WINDOW_SECONDS)
                .encoderEnforceMaxRstFramesPerWindow(MAX_RST_FRAMES_PER_WINDOW, RST_FRAMES_WINDOW_SECONDS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(2)
                .decoderEnforceMaxSmallContinuationFrames(MAX_SMALL_CONTINUATION_FRAMES)
                .encoderEnforceMaxQueuedControlFrames(Http2CodecUtil.DEFAULT_MAX_QUEUED_CONTROL_FRAMES)
                .gracefulShutdownTimeoutMillis(server.limits().shutdownTimeout().toMillis())
                .build();
    }

    /** A child channel per stream, each with its own HTTP object codec, chunked writer and handler bridge. */
    static Http2MultiplexHandler newMultiplexer(ServerContext server) {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                if (server.compress()) {
                    ch.pipeline().addLast(new Compression());
                }
                ch.pipeline().addLast(new ChunkedWriteHandler(), new HandlerBridge(server, true));
            }
        });
    }

    /** Over TLS with {@code h2} offered: HTTP/2 or HTTP/1.1, as the client chose by ALPN. */
    static final class Alpn extends ApplicationProtocolNegotiationHandler {
        private final ServerContext server;

        Alpn(ServerContext server) {
            super(ApplicationProtocolNames.HTTP_1_1); // no ALPN, or none of ours: HTTP/1.1, as Python
            this.server = server;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                addHttp2(ctx.pipeline(), server);
            } else {
                addHttp1(ctx.pipeline(), server, true);
            }
        }

        @Override
        protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // plaintext, a bad client hello, a timeout: that client's problem, no stack trace
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
            if (HandlerBridge.expected(cause)) {
                ctx.close();
            } else {
                super.exceptionCaught(ctx, cause);
            }
        }
    }

    /**
     * The last handler of an HTTP/2 connection: drops the connection-level frames nobody needs
     * (SETTINGS, PING, GOAWAY are handled by the codec), closes quietly on a client's failure. Once in
     * place it removes the HTTP/1 handlers an {@code Upgrade: h2c} left behind, and tells the
     * {@link ConnectionGuard} that streams, not request heads, are counted from now on.
     */
    static final class Http2Tail extends ChannelInboundHandlerAdapter {
        private final ServerContext server;

        Http2Tail(ServerContext server) {
            this.server = server;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline p = ctx.pipeline();
            for (String name : new String[] {COMPRESS, CHUNKED, BRIDGE}) {
                if (p.get(name) != null) {
                    p.remove(name);
                }
            }
            ConnectionGuard guard = p.get(ConnectionGuard.class);
            if (guard != null) {
                guard.http2();
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
                // The codec tells of a protocol error it is handling: it sends GOAWAY (or RST_STREAM) with the
                // error's code, then closes. Closing here first would send GOAWAY NO_ERROR in its place.
                return;
            }
            if (!HandlerBridge.expected(cause)) {
                server.unexpected(ctx.channel().remoteAddress(), cause);
            }
            ctx.close();
        }
    }
}
