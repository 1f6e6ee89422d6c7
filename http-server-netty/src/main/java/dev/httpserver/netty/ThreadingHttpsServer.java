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

    /**
     * Python's {@code ThreadingHTTPSServer(server_address, RequestHandlerClass, certfile=..., ...)}: binds now.
     *
     * @param address the address to listen on
     * @param handler makes the handler of each connection ({@code MyHandler::new})
     * @param certfile a PEM file: the server's certificate, then its intermediates (and the key, when
     *     {@code keyfile} is null)
     * @param keyfile the PEM file of the private key, or null when it is in {@code certfile}
     * @param password the key's password, or null; used only if the key is encrypted; not modified
     * @param alpnProtocols the ALPN protocols in order of preference ({@code h2}, {@code http/1.1}), or
     *     null for {@code ["http/1.1"]}
     * @throws dev.httpserver.netty.tls.TlsConfigException if the certificate, key, password or ALPN list
     *     cannot be used
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public ThreadingHttpsServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            Path certfile, Path keyfile, char[] password, List<String> alpnProtocols) {
        this(address, handler, true, certfile, keyfile, password, alpnProtocols);
    }

    /**
     * With {@code bindAndActivate} false, nothing is bound until {@link #start()}; the files are read now.
     *
     * @param address the address to listen on
     * @param handler makes the handler of each connection ({@code MyHandler::new})
     * @param bindAndActivate whether to bind now
     * @param certfile a PEM file: the server's certificate, then its intermediates (and the key, when
     *     {@code keyfile} is null)
     * @param keyfile the PEM file of the private key, or null when it is in {@code certfile}
     * @param password the key's password, or null; used only if the key is encrypted; not modified
     * @param alpnProtocols the ALPN protocols in order of preference ({@code h2}, {@code http/1.1}), or
     *     null for {@code ["http/1.1"]}
     * @throws dev.httpserver.netty.tls.TlsConfigException if the certificate, key, password or ALPN list
     *     cannot be used
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} is true and the address cannot be bound
     */
    public ThreadingHttpsServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean bindAndActivate, Path certfile, Path keyfile, char[] password, List<String> alpnProtocols) {
        this(ServerConfig.tls(address, handler, true, Limits.defaults(), PemMaterial.load(certfile, keyfile, password),
                alpnProtocols), bindAndActivate);
    }

    ThreadingHttpsServer(ServerConfig config, boolean bindAndActivate) {
        super(config, bindAndActivate);
    }
}
