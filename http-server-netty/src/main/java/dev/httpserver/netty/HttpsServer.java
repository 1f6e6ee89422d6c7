package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.tls.PemMaterial;
import dev.httpserver.netty.tls.TlsConfigException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Python 3.14's {@code http.server.HTTPSServer}: an {@link HttpServer} whose clients connect over
 * TLS (1.3 or 1.2), with the certificate chain and key read from PEM files as Python's
 * {@code load_cert_chain(certfile, keyfile, password)} reads them ({@link PemMaterial}).
 *
 * <pre>{@code
 * try (HttpServer server = new HttpsServer(new InetSocketAddress("127.0.0.1", 8443), MyHandler::new,
 *         Path.of("cert.pem"), Path.of("key.pem"), null, List.of("h2", "http/1.1"))) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>{@code alpnProtocols} is the list offered by ALPN, in order of preference: null gives Python's
 * default {@code ["http/1.1"]}; with {@code "h2"} in it, a client that offers {@code h2} speaks
 * HTTP/2, each stream served by a handler of its own (the same handler classes: a request on a stream
 * has {@code requestVersion} {@code HTTP/2.0}). A client that offers none of the listed protocols, or
 * no ALPN at all, speaks HTTP/1.1.
 *
 * <p>A certificate or key that cannot be used (missing or unreadable file, wrong or missing
 * password, key not matching the certificate, unknown ALPN name) fails the constructor with a
 * {@link TlsConfigException} (an {@link IllegalArgumentException}) whose message names the file and
 * the cause; nothing is bound then. The TLS context is built once, when the server starts.
 *
 * <p>File bodies go through the TLS engine in 64 KiB pieces ({@code ChunkedWriteHandler}) instead of
 * {@code sendfile}; {@link #isSecure()} is true (CGI scripts see {@code HTTPS=on}).
 */
public class HttpsServer extends HttpServer {

    /**
     * Python's {@code HTTPSServer(server_address, RequestHandlerClass, certfile=..., keyfile=None,
     * password=None, alpn_protocols=None)}: reads the certificate and key and binds {@code address} now.
     *
     * @param address the address to listen on
     * @param handler makes the handler of each connection ({@code MyHandler::new})
     * @param certfile      a PEM file: the server's certificate, then its intermediates (and the key,
     *                      when {@code keyfile} is null)
     * @param keyfile       the PEM file of the private key, or null when it is in {@code certfile}
     * @param password      the key's password, or null; used only if the key is encrypted; not modified
     * @param alpnProtocols the ALPN protocols in order of preference ({@code h2}, {@code http/1.1}), or
     *                      null for {@code ["http/1.1"]}
     * @throws TlsConfigException if the certificate, key, password or ALPN list cannot be used
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public HttpsServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler, Path certfile,
            Path keyfile, char[] password, List<String> alpnProtocols) {
        this(address, handler, true, certfile, keyfile, password, alpnProtocols);
    }

    /**
     * Python's {@code HTTPSServer(server_address, RequestHandlerClass, bind_and_activate, *, certfile,
     * keyfile, password, alpn_protocols)}: with {@code bindAndActivate} false nothing is bound until
     * {@link #start()}; the files are read now either way.
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
     * @throws TlsConfigException if the certificate, key, password or ALPN list cannot be used
     * @throws java.io.UncheckedIOException if {@code bindAndActivate} is true and the address cannot be bound
     */
    public HttpsServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean bindAndActivate, Path certfile, Path keyfile, char[] password, List<String> alpnProtocols) {
        this(ServerConfig.tls(address, handler, false, Limits.defaults(), PemMaterial.load(certfile, keyfile, password),
                alpnProtocols), bindAndActivate);
    }

    HttpsServer(ServerConfig config, boolean bindAndActivate) {
        super(requireTls(config), bindAndActivate);
    }

    private static ServerConfig requireTls(ServerConfig config) {
        if (!config.secure()) {
            throw new NullPointerException("material");
        }
        return config;
    }
}
