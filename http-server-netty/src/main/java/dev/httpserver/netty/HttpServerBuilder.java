package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.RequestLog;
import dev.httpserver.netty.tls.PemMaterial;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Configures an {@link HttpServer}, {@link ThreadingHttpServer}, {@link HttpsServer} or
 * {@link ThreadingHttpsServer} ({@link HttpServer#builder()}); nothing is bound until
 * {@link HttpServer#start()}.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder().address("127.0.0.1", 0).handler(MyHandler::new).build().start();
 * }</pre>
 */
public final class HttpServerBuilder {
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private Supplier<? extends BaseHttpRequestHandler> handler;
    private boolean threading = true;
    private Limits limits = Limits.defaults();
    private PemMaterial tlsMaterial;
    private List<String> alpnProtocols;
    private boolean h2c;
    private boolean compress;
    private RequestLog requestLog = RequestLog.stderr();

    HttpServerBuilder() {
    }

    /**
     * Serves HTTPS with {@code material} (from {@link PemMaterial#load}, or
     * {@link dev.httpserver.netty.tls.SelfSigned#material()}): the server is then an
     * {@link HttpsServer} or {@link ThreadingHttpsServer}.
     *
     * @param material      the certificate chain and key
     * @param alpnProtocols the ALPN protocols in order of preference, among {@code h2} and
     *                      {@code http/1.1}; null for Python's default {@code ["http/1.1"]}; with
     *                      {@code h2} listed, clients that offer it speak HTTP/2
     * @return this builder
     */
    public HttpServerBuilder tls(PemMaterial material, List<String> alpnProtocols) {
        this.tlsMaterial = Objects.requireNonNull(material, "material");
        this.alpnProtocols = alpnProtocols == null ? null : List.copyOf(alpnProtocols);
        return this;
    }

    /**
     * Cleartext HTTP/2 (h2c) besides HTTP/1.1 on a plain server: a client that starts with the
     * HTTP/2 preface (prior knowledge) or asks {@code Upgrade: h2c} speaks HTTP/2. Off by default;
     * not for an HTTPS server, where ALPN {@code h2} is the way.
     *
     * @param h2c whether to speak cleartext HTTP/2
     * @return this builder
     */
    public HttpServerBuilder h2c(boolean h2c) {
        this.h2c = h2c;
        return this;
    }

    /**
     * On-the-fly compression (gzip, deflate) of compressible responses of at least 1 KiB for the
     * clients that accept it: text, JSON, JavaScript, XML and SVG, never a partial (206) response or
     * a body already encoded. Off by default, as in CPython; with it, files of those types are read and
     * compressed instead of sent with {@code sendfile} (other files still go out zero-copy).
     *
     * @param compress whether to compress
     * @return this builder
     */
    public HttpServerBuilder compress(boolean compress) {
        this.compress = compress;
        return this;
    }

    /**
     * Where the request log goes: {@link RequestLog#stderr()} (CPython's lines on standard error, the
     * default) or {@link RequestLog#systemLogger()} (the loggers {@code dev.httpserver.access} and
     * {@code dev.httpserver.error}, for a service's own logging), or an implementation of your own.
     *
     * @param log the request log
     * @return this builder
     */
    public HttpServerBuilder requestLog(RequestLog log) {
        this.requestLog = Objects.requireNonNull(log, "log");
        return this;
    }

    /**
     * The per-connection timeouts and limits (default {@link Limits#defaults()}).
     *
     * @param limits the limits
     * @return this builder
     */
    public HttpServerBuilder limits(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        return this;
    }

    /**
     * The address to listen on; default: the loopback address, port 0 (a free port).
     *
     * @param address the address
     * @return this builder
     */
    public HttpServerBuilder address(InetSocketAddress address) {
        this.address = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Listens on {@code host} (a name or an IP address) and {@code port} (0 for a free one).
     *
     * @param host a host name or an IP address
     * @param port the port, 0 to 65535
     * @return this builder
     * @throws IllegalArgumentException if the port is out of range
     */
    public HttpServerBuilder address(String host, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        return address(new InetSocketAddress(host, port));
    }

    /**
     * The handler factory, called once per connection (required).
     *
     * @param handler makes a handler ({@code MyHandler::new})
     * @return this builder
     */
    public HttpServerBuilder handler(Supplier<? extends BaseHttpRequestHandler> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * True (the default) for a thread per connection, false for a single handler thread.
     *
     * @param threading whether each connection gets its own thread
     * @return this builder
     */
    public HttpServerBuilder threading(boolean threading) {
        this.threading = threading;
        return this;
    }

    /**
     * The server, not yet bound.
     *
     * @return the server of the class the settings describe
     * @throws IllegalStateException if no handler factory was given, or h2c was asked over TLS
     */
    public HttpServer build() {
        if (handler == null) {
            throw new IllegalStateException("a handler factory is required: builder.handler(MyHandler::new)");
        }
        if (tlsMaterial != null) {
            if (h2c) {
                throw new IllegalStateException("h2c is cleartext HTTP/2: over TLS, list \"h2\" in the ALPN protocols");
            }
            ServerConfig config = ServerConfig.tls(address, handler, threading, limits, tlsMaterial, alpnProtocols)
                    .withCompress(compress).withRequestLog(requestLog);
            return threading ? new ThreadingHttpsServer(config, false) : new HttpsServer(config, false);
        }
        ServerConfig config = ServerConfig.plain(address, handler, threading, limits, h2c).withCompress(compress)
                .withRequestLog(requestLog);
        return threading ? new ThreadingHttpServer(config, false) : new HttpServer(config, false);
    }
}
