package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.tls.PemMaterial;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Python 3.14's {@code http.server.ThreadingHTTPSServer}: an {@link HttpsServer} that serves each
 * connection (and each HTTP/2 stream) on its own thread, as {@link ThreadingHttpServer} does.
 */
public class ThreadingHttpsServer extends HttpsServer {

    /** Python's {@code ThreadingHTTPSServer(server_address, RequestHandlerClass, certfile=..., ...)}: binds now. */
    public ThreadingHttpsServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            Path certfile, Path keyfile, char[] password, List<String> alpnProtocols) {
        this(address, handler, true, certfile, keyfile, password, alpnProtocols);
    }

    /** With {@code bindAndActivate} false, nothing is bound until {@link #start()}; the files are read now. */
    public ThreadingHttpsServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean bindAndActivate, Path certfile, Path keyfile, char[] password, List<String> alpnProtocols) {
        this(ServerConfig.tls(address, handler, true, Limits.defaults(), PemMaterial.load(certfile, keyfile, password),
                alpnProtocols), bindAndActivate);
    }

    ThreadingHttpsServer(ServerConfig config, boolean bindAndActivate) {
        super(config, bindAndActivate);
    }
}
