package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * Python's {@code http.server.ThreadingHTTPServer}: an {@link HttpServer} that serves each
 * connection on its own thread (a virtual thread on JDK 21 and later, a daemon platform thread on
 * JDK 17), so a slow request does not hold up the others.
 */
public class ThreadingHttpServer extends HttpServer {

    /**
     * Python's {@code ThreadingHTTPServer(server_address, RequestHandlerClass)}: binds now.
     *
     * @param address the address to listen on
     * @param handler makes the handler of each connection ({@code MyHandler::new})
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public ThreadingHttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler) {
        this(address, handler, true);
    }

    /**
     * With {@code bindAndActivate} false, nothing is bound until {@link #start()}.
     *
     * @param address the address to listen on
     * @param handler makes the handler of each connection ({@code MyHandler::new})
     * @param bindAndActivate whether to bind now
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} is true and the address cannot be bound
     */
    public ThreadingHttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean bindAndActivate) {
        super(ServerConfig.plain(address, handler, true, Limits.defaults(), false), bindAndActivate);
    }

    ThreadingHttpServer(ServerConfig config, boolean bindAndActivate) {
        super(config, bindAndActivate);
    }
}
