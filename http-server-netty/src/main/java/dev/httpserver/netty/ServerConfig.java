package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.RequestLog;
import dev.httpserver.netty.tls.PemMaterial;
import dev.httpserver.netty.tls.SslContexts;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a server is made of, fixed at construction: every constructor of the {@link HttpServer}
 * family and the {@link HttpServerBuilder} end in one of these. Checked here, so that a bad value
 * fails before anything is bound.
 *
 * @param address        the address to listen on (resolved; port 0 for a free port)
 * @param handlerFactory makes a handler per connection (or HTTP/2 stream)
 * @param threading      a thread per connection ({@link ThreadingHttpServer}) rather than one handler thread
 * @param limits         the per-connection timeouts and limits
 * @param tlsMaterial    the certificate and key, or null for plain HTTP
 * @param alpnProtocols  the ALPN protocols offered over TLS, in order of preference; empty for plain HTTP
 * @param h2c            cleartext HTTP/2 (always false under TLS, where ALPN {@code h2} decides)
 * @param compress       on-the-fly compression of compressible responses ({@link Compression})
 * @param requestLog     where the request log goes (standard error by default)
 */
record ServerConfig(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handlerFactory,
        boolean threading, Limits limits, PemMaterial tlsMaterial, List<String> alpnProtocols, boolean h2c,
        boolean compress, RequestLog requestLog) {

    /**
     * @throws dev.httpserver.netty.tls.TlsConfigException if an ALPN name is unknown or repeated
     * @throws IllegalArgumentException if the host name of {@code address} cannot be resolved
     */
    ServerConfig {
        alpnProtocols = tlsMaterial == null ? List.of() : SslContexts.alpnProtocols(alpnProtocols);
        h2c = h2c && tlsMaterial == null;
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handlerFactory, "handler");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(requestLog, "requestLog");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve the host name " + address.getHostString()
                    + ": give an IP address or a name this machine can resolve");
        }
    }

    /** Plain HTTP (with cleartext HTTP/2 when {@code h2c}). */
    static ServerConfig plain(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean threading, Limits limits, boolean h2c) {
        return new ServerConfig(address, handler, threading, limits, null, null, h2c, false, RequestLog.stderr());
    }

    /** HTTPS with {@code material}; {@code alpnProtocols} null for Python's default {@code ["http/1.1"]}. */
    static ServerConfig tls(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean threading, Limits limits, PemMaterial material, List<String> alpnProtocols) {
        return new ServerConfig(address, handler, threading, limits, Objects.requireNonNull(material, "material"),
                alpnProtocols, false, false, RequestLog.stderr());
    }

    /** This configuration with on-the-fly compression on or off. */
    ServerConfig withCompress(boolean on) {
        return new ServerConfig(address, handlerFactory, threading, limits, tlsMaterial, alpnProtocols, h2c, on,
                requestLog);
    }

    /** This configuration with its request log going to {@code log}. */
    ServerConfig withRequestLog(RequestLog log) {
        return new ServerConfig(address, handlerFactory, threading, limits, tlsMaterial, alpnProtocols, h2c, compress,
                log);
    }

    /** Whether clients connect over TLS. */
    boolean secure() {
        return tlsMaterial != null;
    }
}
