package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.api.spi.Addresses;
import dev.httpserver.api.spi.HttpDates;
import dev.httpserver.api.spi.LogSink;
import dev.httpserver.api.spi.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The {@link StaticFileCache} as one channel (an HTTP/1 connection or an HTTP/2 stream) uses it:
 * on the handler thread it remembers the responses of a stock handler that may be replayed (a
 * whole file, or a small complete body such as a folder listing), and on the event loop it answers
 * a repeated request from them ({@link #tryServe}) without a handler thread.
 */
final class StaticReplay {

    /** On an HTTP/2 connection: the replayable responses its streams' handlers found, shared by its streams. */
    private static final AttributeKey<Share> SHARE = AttributeKey.valueOf(StaticReplay.class, "share");

    private record Share(Map<String, StaticFileCache.Entry> entries, String logAddress) {
    }

    private final StaticFileCache cache;
    private final ServerContext server;
    private final Channel channel;
    private final InetSocketAddress remote;
    private final boolean stream;
    private final boolean fileRegions;

    /** Replayable responses for this channel's handler, or null when it is not eligible. */
    private volatile Map<String, StaticFileCache.Entry> entries;
    private volatile String logAddress;
    /** This channel's handler exists (it is made on the handler thread, for the first request that reaches it). */
    private volatile boolean handlerMade;

    // ---- handler thread only: the response being written ----
    private RequestHead head;
    private int code;
    private List<Map.Entry<String, String>> fields;
    /** A copy of the current response's body while it may be remembered, or null. */
    private byte[] captured;

    StaticReplay(ServerContext server, Channel channel, boolean stream, boolean fileRegions) {
        this.cache = server.staticCache();
        this.server = server;
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.remoteAddress();
        this.stream = stream;
        this.fileRegions = fileRegions;
    }

    // ---- handler thread ----

    /** The channel's handler was made: its responses are remembered if it is a stock handler. */
    void handlerMade(BaseHttpRequestHandler handler) {
        handlerMade = true;
        if (!StaticFileCache.eligible(handler)) {
            return;
        }
        logAddress = handler.addressString();
        entries = cache.forHandler((SimpleHttpRequestHandler) handler);
        if (stream && channel.parent() != null) {
            // the later streams of this connection may be answered on the event loop
            channel.parent().attr(SHARE).setIfAbsent(new Share(entries, logAddress));
        }
    }

    /** A request is being answered. */
    void requestStarted(RequestHead head) {
        this.head = head;
        this.code = 0;
        this.fields = null;
        this.captured = null;
    }

    /** Its head went out; {@code length} is the Content-Length, or -1. */
    void responseHead(int code, long length, List<Map.Entry<String, String>> fields) {
        this.code = code;
        this.fields = fields;
        this.captured = null;
        if (length > 0 && length <= StaticFileCache.MAX_IN_MEMORY && replayable()) {
            // A small complete body from a stock handler (a folder listing): kept for replays, as a file is.
            captured = new byte[(int) length];
        }
    }

    /** Bytes of the body, written at {@code offset}. */
    void responseBytes(byte[] b, int off, int len, long offset) {
        if (captured != null) {
            System.arraycopy(b, off, captured, (int) offset, len);
        }
    }

    /** The body is not one that can be remembered. */
    void notReplayable() {
        captured = null;
    }

    /** The whole body is the file at {@code path}, of {@code size} bytes. */
    void responseFile(Path path, long size) {
        if (replayable()) {
            cache.put(entries, head.path(), path, fields, size);
        }
    }

    /** The response ended with {@code written} bytes of body. */
    void responseFinished(long written, boolean closing) {
        byte[] body = captured;
        captured = null;
        if (body != null && written == body.length && !closing) {
            // Remembered before the end of the response goes out: the client may repeat it at once.
            cache.put(entries, head.path(), fields, body);
        }
    }

    private boolean replayable() {
        // An HTTP/2 request is replayable as the same request in HTTP/1.1 is.
        return entries != null && code == 200 && "GET".equals(head.command())
                && StaticFileCache.replayable(head.isHttp2() ? "HTTP/1.1" : head.version(), head.path(), head.headers()::get)
                && noField(fields, "Connection");
    }

    private static boolean noField(List<Map.Entry<String, String>> fields, String name) {
        for (Map.Entry<String, String> e : fields) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    // ---- event loop ----

    /**
     * Answers {@code request} on the event loop from the cache when this channel's handler is
     * eligible, the same request was answered within the last second, and the channel is
     * {@code idle} (responses stay in order). Returns false, having done nothing, otherwise.
     */
    boolean tryServe(ChannelHandlerContext ctx, HttpRequest request, ConnectionGuard guard, BooleanSupplier idle) {
        Map<String, StaticFileCache.Entry> found = entries;
        String address = logAddress;
        if (found == null && stream && channel.parent() != null) {
            Share share = channel.parent().attr(SHARE).get();
            if (share != null) {
                found = share.entries();
                address = share.logAddress();
            }
        }
        if (found == null && !handlerMade) {
            // No handler made for this channel yet: the server's, if its factory makes only stock ones.
            found = cache.shared();
            if (found != null) {
                address = logAddress;
                if (address == null) {
                    logAddress = address = Addresses.client(remote);
                }
            }
        }
        if (found == null || !request.decoderResult().isSuccess()) {
            return false;
        }
        HttpMethod method = request.method();
        boolean headOnly = method == HttpMethod.HEAD;
        if (method != HttpMethod.GET && !headOnly) {
            return false;
        }
        HttpHeaders h = request.headers();
        String uri = request.uri();
        if (!StaticFileCache.replayable(request.protocolVersion().text(), uri, h)) {
            return false;
        }
        StaticFileCache.Entry entry = found.get(uri);
        if (entry == null || !entry.fresh(System.nanoTime()) || !idle.getAsBoolean() || server.draining()
                || !entry.retain()) {
            return false;
        }
        // (on HTTP/2 Netty's codec gives the request version HTTP/1.1; the stream has no Connection field)
        boolean close = !stream && h.contains(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
        ChannelFuture done = write(ctx, entry, headOnly, close);
        if (close) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
        LogSink.write(address + " - - [" + HttpDates.nowForLog() + "] \"" + method.name() + " " + uri
                + (stream ? " HTTP/2.0" : " HTTP/1.1") + "\" 200 -\n");
        if (guard != null) {
            guard.responseFinished();
        }
        server.requestFinished();
        return true;
    }

    /** Writes {@code entry} (retained) as the response; the returned future completes with its last write. */
    private ChannelFuture write(ChannelHandlerContext ctx, StaticFileCache.Entry entry, boolean headOnly, boolean close) {
        HttpHeaders out = ResponseWriter.RESPONSE_HEADERS.newHeaders();
        AsciiString[] names = entry.names;
        AsciiString[] values = entry.values;
        for (int i = 0; i < names.length; i++) {
            out.add(names[i], i == entry.dateIndex ? currentDate() : values[i]);
        }
        if (close) {
            out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        if (headOnly || entry.inMemory()) {
            // One message: the head and (for GET) the bytes, in one write.
            ByteBuf content = headOnly ? Unpooled.EMPTY_BUFFER : entry.bodyView();
            ChannelFuture done = ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    content, out, EmptyHttpHeaders.INSTANCE));
            done.addListener(entry); // gives the entry's reference back once written
            return done;
        }
        ctx.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, out));
        if (stream) {
            // one HEADERS frame, then DATA frames, the last one ending the stream
            return ctx.writeAndFlush(entry.chunks(true));
        }
        if (fileRegions) {
            FileRegions.split(entry.file, 0, entry.size, entry::release, ctx::write);
        } else {
            ctx.write(entry.chunks(false));
        }
        return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static volatile Object[] dateCache = {-1L, null};

    /** The Date field's value now, made once a second. */
    private static AsciiString currentDate() {
        long second = System.currentTimeMillis() / 1000;
        Object[] c = dateCache;
        if ((Long) c[0] == second) {
            return (AsciiString) c[1];
        }
        AsciiString d = new AsciiString(HttpDates.format(second));
        dateCache = new Object[] {second, d};
        return d;
    }
}
