package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.api.spi.RequestHead;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.lang.reflect.Method;

/**
 * The file stage of one channel: a GET or HEAD for the stock {@code SimpleHttpRequestHandler} is
 * answered on the event loop, by that handler's own code, as soon as the request has arrived whole,
 * instead of going to a handler thread and back. The answer is the one a handler thread would give
 * (the same code runs): the file system is read for every request, so a changed, replaced, truncated,
 * deleted or new file, or a changed folder, shows in the very next response; nothing is cached.
 *
 * <p>It is opted into explicitly: the server's factory is a {@code SimpleHttpRequestHandler.Factory},
 * or the channel's handler is a {@link #stock stock} one: {@code SimpleHttpRequestHandler} itself, or a
 * subclass that declares no method at all (one that only sets fields such as {@code protocolVersion}
 * or {@code extensionsMap}, which the same code honours). A subclass that declares any method may
 * shape its responses, so it never takes the stage, whatever the method is called. A request takes the stage only when nothing else is pending on
 * the channel (responses stay in order) and the channel is writable: a client that does not read its
 * answers sends its next requests to a handler thread, which waits for it, and reading stops there
 * ({@link InboundQueue}), so pipelined requests stay in the socket, not in memory.
 *
 * <pre>
 *   HandlerBridge: HttpRequest (GET/HEAD, no body) -&gt; {@link #hold} ... LastHttpContent -&gt; {@link #release}
 *                  -&gt; ChannelTransport.serveInline -&gt; SimpleHttpRequestHandler.handle() on the event loop
 * </pre>
 */
final class FileStage {

    private final ChannelTransport transport;
    /** The head of a request waiting for its end (the codec's LastHttpContent), or null. */
    private RequestHead held;

    FileStage(ChannelTransport transport) {
        this.transport = transport;
    }

    /**
     * Keeps {@code head} until the request has arrived whole, when {@code request} may be answered
     * on the event loop; false, keeping nothing, when it goes to a handler thread.
     */
    boolean hold(HttpRequest request, RequestHead head) {
        if (!takes(request) || head.isMalformed() || !transport.canServeInline()) {
            return false;
        }
        held = head;
        return true;
    }

    /** Whether a request is held. */
    boolean holding() {
        return held != null;
    }

    /** The held request has arrived whole: answers it now. */
    void release() {
        RequestHead head = held;
        held = null;
        transport.serveInline(head);
    }

    private static final ClassValue<Boolean> STOCK = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != SimpleHttpRequestHandler.class; c = c.getSuperclass()) {
                if (c == null || !SimpleHttpRequestHandler.class.isAssignableFrom(c)) {
                    return false;
                }
                for (Method m : c.getDeclaredMethods()) {
                    if (!m.isSynthetic()) { // a lambda in an initializer is not an override
                        return false;
                    }
                }
            }
            return true;
        }
    };

    /** Whether {@code handler} runs exactly the stock {@code SimpleHttpRequestHandler} code. */
    static boolean stock(BaseHttpRequestHandler handler) {
        return STOCK.get(handler.getClass());
    }

    /** A GET or HEAD that announces no body and expects no interim answer. */
    private static boolean takes(HttpRequest request) {
        HttpMethod method = request.method();
        if ((method != HttpMethod.GET && method != HttpMethod.HEAD) || !request.decoderResult().isSuccess()
                || Http1Codec.odd(request)) {
            return false;
        }
        HttpHeaders h = request.headers();
        String length = h.get(HttpHeaderNames.CONTENT_LENGTH);
        return !h.contains(HttpHeaderNames.TRANSFER_ENCODING) && !h.contains(HttpHeaderNames.EXPECT)
                && (length == null || length.equals("0"));
    }
}
