package dev.httpserver.netty;

import dev.httpserver.api.Headers;
import dev.httpserver.api.spi.Python;
import dev.httpserver.api.spi.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The last inbound handler of the pipeline, after {@code HttpServerCodec}: turns Netty's request
 * objects into {@link RequestHead}s and body buffers for the connection's handler thread, and turns
 * decoding failures into the statuses CPython answers them with (414 for a long request line, 431
 * for long or too many header lines, 400 otherwise). It runs on the event loop and never blocks.
 *
 * <pre>
 *   [SslHandler] -&gt; ConnectionGuard -&gt; HttpServerCodec -&gt; [ChunkedWriteHandler] -&gt; HandlerBridge  ==queue==&gt;  handler thread
 *   HTTP/2 stream: Http2StreamFrameToHttpObjectCodec -&gt; ChunkedWriteHandler -&gt; HandlerBridge  ==queue==&gt;  handler thread
 * </pre>
 *
 * <p>On an HTTP/2 stream ({@code stream} true) the bridge serves that one stream's request, as
 * {@link RequestHead#ofHttp2} ({@code HTTP/2.0}), on a {@link ChannelTransport} of the stream's own; the
 * {@link ConnectionGuard} of the parent connection counts the open streams.
 */
final class HandlerBridge extends ChannelInboundHandlerAdapter {

    /** CPython's {@code http.client._MAXHEADERS}. */
    static final int MAX_HEADERS = 100;

    private final ServerContext server;
    private final boolean stream;
    private ChannelTransport connection;
    private ConnectionGuard guard;
    /** The parent connection's guard, told when this stream ends (streams only). */
    private ConnectionGuard parentGuard;
    private long bodyBytes;
    private boolean discardingBody;
    private FileStage files;

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
        if (connection != null) {
            return;
        }
        if (stream) {
            io.netty.channel.Channel parent = ctx.channel().parent();
            parentGuard = parent == null ? null : parent.pipeline().get(ConnectionGuard.class);
            if (parentGuard != null) {
                parentGuard.streamOpened();
            }
        } else {
            guard = ctx.pipeline().get(ConnectionGuard.class);
        }
        connection = new ChannelTransport(ctx.channel(), server, guard, stream);
        files = new FileStage(connection);
    }

    /** Removed from a live channel (the connection switched to HTTP/2 by {@code Upgrade: h2c}). */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        end();
    }

    private void end() {
        if (connection != null) {
            connection.onInactive();
        }
        if (parentGuard != null) {
            ConnectionGuard g = parentGuard;
            parentGuard = null;
            g.streamClosed();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (connection == null) {
                return;
            }
            if (msg instanceof HttpRequest) {
                bodyBytes = 0;
                discardingBody = false;
                if (guard != null) {
                    guard.headReceived(true);
                }
                HttpRequest request = (HttpRequest) msg;
                RequestHead head = stream ? toHttp2Head(request, server.limits().maxBodySize())
                        : toHead(request, server.limits().maxBodySize(), guard == null ? null : guard.rawRequestLine());
                if (!files.hold(request, head)) {
                    connection.onHead(head);
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
                    connection.inbound().offerMalformed();
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
                        connection.inbound().offerTooLarge(max);
                    } else {
                        connection.inbound().offerContent(content.retain());
                    }
                }
                if (msg instanceof LastHttpContent) {
                    if (guard != null) {
                        guard.bodyEnded();
                    }
                    if (!discardingBody) {
                        connection.inbound().offerEnd();
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /**
     * The head of a request that came on an HTTP/2 stream, as Netty's {@code Http2StreamFrameToHttpObjectCodec}
     * converted it ({@code :authority} became {@code Host}); its {@code x-http2-*} fields, Netty's
     * bookkeeping, are left out. CPython's limits apply as on HTTP/1 (the codec already bounds the
     * whole header list).
     */
    static RequestHead toHttp2Head(HttpRequest request, long maxBodySize) {
        String method = request.method().name();
        String uri = request.uri();
        String line = method + " " + uri + " " + RequestHead.HTTP_2;
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            return RequestHead.malformed(line, method, uri, RequestHead.HTTP_2, 400,
                    "Bad request" + (cause == null || cause.getMessage() == null ? "" : " (" + Python.repr(cause.getMessage()) + ")"),
                    null);
        }
        Headers.Builder headers = Headers.builder();
        int count = 0;
        for (Iterator<Map.Entry<String, String>> it = request.headers().iteratorAsString(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            if (e.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) { // Netty's bookkeeping (stream id, scheme)
                continue;
            }
            if (++count > MAX_HEADERS) {
                return RequestHead.malformed(line, method, uri, RequestHead.HTTP_2, 431, "Too many headers",
                        "got more than " + MAX_HEADERS + " headers");
            }
            if (e.getKey().length() + e.getValue().length() + 4 > HttpPipelineInitializer.MAX_LINE) {
                return RequestHead.malformed(line, method, uri, RequestHead.HTTP_2, 431, "Line too long", "header line");
            }
            headers.add(e.getKey(), e.getValue());
        }
        if (maxBodySize >= 0) {
            String length = request.headers().get("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > maxBodySize) {
                        return RequestHead.malformed(line, method, uri, RequestHead.HTTP_2, 413, null,
                                "The request body is larger than this server accepts (" + maxBodySize + " bytes).");
                    }
                } catch (NumberFormatException e) {
                    // Netty's HTTP/2 decoder has already refused a malformed length
                }
            }
        }
        return RequestHead.ofHttp2(method, uri, headers.build());
    }

    static RequestHead toHead(HttpRequest request, long maxBodySize, String rawLine) {
        String method = request.method().name();
        String uri = request.uri();
        String version = request.protocolVersion().text();
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            Throwable cause = result.cause();
            if (cause instanceof TooLongHttpLineException) {
                return RequestHead.malformed("", "", null, "", 414, null, null);
            }
            if (cause instanceof TooLongHttpHeaderException) {
                return RequestHead.malformed(method + " " + uri + " " + version, method, uri, version, 431,
                        "Line too long", "header line");
            }
            if (rawLine != null && !rawLine.isEmpty()) {
                return lineError(rawLine);
            }
            String reason = cause == null ? null : cause.getMessage();
            return RequestHead.malformed("", null, null, null, 400,
                    "Bad request syntax" + (reason == null ? "" : " (" + Python.repr(reason) + ")"), null);
        }
        String line = method + " " + uri + " " + version;
        for (int i = 0; i < uri.length(); i++) {
            if (Character.isWhitespace(uri.charAt(i))) {
                // CPython splits the line on white space: more than three words is bad syntax.
                return RequestHead.malformed(line, null, null, null, 400, "Bad request syntax (" + Python.repr(line) + ")",
                        null);
            }
        }
        for (String te : request.headers().getAll("Transfer-Encoding")) {
            if (!te.trim().equalsIgnoreCase("chunked")) {
                // RFC 9112 6.1: a transfer coding the server does not understand gets 501.
                return RequestHead.malformed(line, method, uri, version, 501,
                        "Unsupported Transfer-Encoding (" + Python.repr(te) + ")", null);
            }
        }
        if (request.headers().size() > MAX_HEADERS) {
            return RequestHead.malformed(line, method, uri, version, 431, "Too many headers",
                    "got more than " + MAX_HEADERS + " headers");
        }
        if (maxBodySize >= 0) {
            String length = request.headers().get("Content-Length");
            if (length != null) {
                try {
                    if (Long.parseLong(length.trim()) > maxBodySize) {
                        return RequestHead.malformed(line, method, uri, version, 413, null,
                                "The request body is larger than this server accepts (" + maxBodySize + " bytes).");
                    }
                } catch (NumberFormatException e) {
                    // the codec has already refused a malformed length
                }
            }
        }
        Headers.Builder headers = Headers.builder();
        for (Iterator<Map.Entry<String, String>> it = request.headers().iteratorAsString(); it.hasNext(); ) {
            Map.Entry<String, String> e = it.next();
            // CPython refuses a header line longer than 65536 bytes, its line ending included.
            if (e.getKey().length() + e.getValue().length() + 4 > HttpPipelineInitializer.MAX_LINE) {
                return RequestHead.malformed(line, method, uri, version, 431, "Line too long", "header line");
            }
            headers.add(e.getKey(), e.getValue());
        }
        return RequestHead.of(method, uri, version, headers.build());
    }

    /**
     * CPython's verdict on a request line the codec refused ({@code parse_request}): the same status
     * and message, and the line itself for the log.
     */
    static RequestHead lineError(String line) {
        String[] words = line.trim().isEmpty() ? new String[0] : line.trim().split("\\s+");
        if (words.length >= 3) {
            String version = words[words.length - 1];
            String[] number = version.startsWith("HTTP/") ? version.substring(5).split("\\.", -1) : null;
            boolean ok = number != null && number.length == 2;
            if (ok) {
                for (String part : number) {
                    ok &= !part.isEmpty() && part.length() <= 10 && part.chars().allMatch(c -> c >= '0' && c <= '9');
                }
            }
            if (!ok) {
                return RequestHead.malformed(line, null, null, null, 400, "Bad request version (" + Python.repr(version) + ")", null);
            }
            if (Long.parseLong(number[0]) >= 2) {
                return RequestHead.malformed(line, null, null, version, 505, "Invalid HTTP version (" + version.substring(5) + ")", null);
            }
        }
        if (words.length == 2 && !words[0].equals("GET")) {
            return RequestHead.malformed(line, null, null, null, 400, "Bad HTTP/0.9 request type (" + Python.repr(words[0]) + ")", null);
        }
        return RequestHead.malformed(line, null, null, null, 400, "Bad request syntax (" + Python.repr(line) + ")", null);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        end();
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && connection != null) {
            connection.onInputShutdown();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            connection.onWritabilityChanged();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!expected(cause)) {
            System.err.println("Unexpected error on connection " + ctx.channel().remoteAddress() + ": " + cause);
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
