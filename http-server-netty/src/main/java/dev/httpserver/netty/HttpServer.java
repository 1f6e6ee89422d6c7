package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.Server;
import dev.httpserver.netty.tls.PemMaterial;
import dev.httpserver.netty.tls.SslContexts;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Python's {@code http.server.HTTPServer}: listens on an address and serves each connection with a
 * new handler from the factory it was given ({@code MyHandler::new}, as Python is given the class).
 * Handlers run one request at a time on a single handler thread, never on Netty's event loop; for a
 * thread per connection use {@link ThreadingHttpServer}.
 *
 * <pre>{@code
 * try (HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), MyHandler::new)) {
 *     System.out.println("serving on port " + server.serverPort());
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>The two-argument constructor binds at once, as Python's {@code bind_and_activate=True} does;
 * {@link #builder()} configures a server that binds on {@link #start()}. Either way a bad address or
 * a port in use fails with an {@link UncheckedIOException} that names them, and nothing is left
 * half-started.
 *
 * <p>HTTPS is {@link HttpsServer} (or {@link Builder#tls}); cleartext HTTP/2 (h2c, by prior
 * knowledge or by {@code Upgrade: h2c}) is {@link Builder#h2c(boolean)}, off by default. Either way
 * each HTTP/2 stream is one request served by a handler of its own, as if it were a connection.
 */
public class HttpServer implements Server, AutoCloseable {

    private final InetSocketAddress requestedAddress;
    private final Supplier<? extends BaseHttpRequestHandler> handlerFactory;
    private final boolean threading;
    private final Limits limits;
    private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean draining;
    private final StaticFileCache staticCache = Boolean.getBoolean("dev.httpserver.noStaticCache") ? null : new StaticFileCache();
    /** The certificate and key, or null for plain HTTP. */
    private final PemMaterial tlsMaterial;
    /** The ALPN protocols offered over TLS, in order of preference (checked at construction). */
    private final List<String> alpnProtocols;
    private final boolean h2c;
    /** Built once, at {@link #start()}, from {@link #tlsMaterial}. */
    private volatile SslContext sslContext;

    private final Object stateLock = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean started;
    private volatile boolean shutDown;
    private EventLoopGroup group;
    /** The listening sockets: one, or one per event loop ({@link Transports#reusePort()}). */
    private List<Channel> listeners = List.of();
    private ExecutorService handlers;
    private ChannelGroup channels;
    private InetSocketAddress boundAddress;
    private String serverName;

    private final Object requestMonitor = new Object();
    /** Requests answered so far; counted without a lock, as every request does it. */
    private final java.util.concurrent.atomic.AtomicLong requestsFinished = new java.util.concurrent.atomic.AtomicLong();
    /** Threads in {@link #handleRequest()}: only then does a finished request take the monitor. */
    private final java.util.concurrent.atomic.AtomicInteger requestWaiters = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Python's {@code HTTPServer(server_address, RequestHandlerClass)}: binds {@code address} now
     * (port 0 picks a free port) and serves connections with handlers from {@code handler}.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public HttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler) {
        this(address, handler, true);
    }

    /**
     * Python's {@code HTTPServer(server_address, RequestHandlerClass, bind_and_activate)}: with
     * {@code bindAndActivate} false, nothing is bound until {@link #start()}.
     */
    public HttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean bindAndActivate) {
        this(address, handler, false, Limits.defaults(), bindAndActivate);
    }

    HttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler, boolean threading,
            Limits limits, boolean bindAndActivate) {
        this(address, handler, threading, limits, null, null, false, bindAndActivate);
    }

    /**
     * The constructor every other one calls: {@code tlsMaterial} null for plain HTTP (then
     * {@code alpnProtocols} is ignored); {@code h2c} for cleartext HTTP/2 (ignored under TLS, where
     * ALPN {@code h2} decides).
     *
     * @throws dev.httpserver.netty.tls.TlsConfigException if an ALPN name is unknown or repeated
     */
    HttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler, boolean threading,
            Limits limits, PemMaterial tlsMaterial, List<String> alpnProtocols, boolean h2c, boolean bindAndActivate) {
        this.tlsMaterial = tlsMaterial;
        this.alpnProtocols = tlsMaterial == null ? List.of() : SslContexts.alpnProtocols(alpnProtocols);
        this.h2c = h2c && tlsMaterial == null;
        this.requestedAddress = Objects.requireNonNull(address, "address");
        this.handlerFactory = Objects.requireNonNull(handler, "handler");
        if (staticCache != null && handler instanceof dev.httpserver.api.SimpleHttpRequestHandler.Factory) {
            staticCache.sharedBy((dev.httpserver.api.SimpleHttpRequestHandler.Factory) handler);
        }
        this.threading = threading;
        this.limits = Objects.requireNonNull(limits, "limits");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve the host name " + address.getHostString()
                    + ": give an IP address or a name this machine can resolve");
        }
        if (bindAndActivate) {
            start();
        }
    }

    /** A builder for a server that binds on {@link #start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the address and starts serving; returns once the port is bound (so {@link #serverPort()}
     * is known). Does nothing if already started.
     *
     * @throws UncheckedIOException if the address cannot be bound (the message names it and the cause)
     * @throws IllegalStateException if the server was shut down
     */
    public HttpServer start() {
        synchronized (stateLock) {
            if (shutDown) {
                throw new IllegalStateException("this server was shut down; create a new one");
            }
            if (started) {
                return this;
            }
            if (tlsMaterial != null && sslContext == null) {
                // Once per server, before anything is bound: a key the TLS engine refuses fails here.
                sslContext = SslContexts.server(tlsMaterial, alpnProtocols);
            }
            EventLoopGroup g = Transports.newGroup();
            ExecutorService exec = threading ? HandlerExecutors.threadPerTask() : HandlerExecutors.singleThread();
            ChannelGroup all = new DefaultChannelGroup("http-server", GlobalEventExecutor.INSTANCE);
            try {
                ServerBootstrap b = new ServerBootstrap()
                        .channel(Transports.serverChannelType(g))
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        // A client may send its request and shut its side (printf ... | nc -N): still answer it.
                        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                        .childHandler(new HttpPipelineInitializer(this));
                Transports.tuneChildren(b);
                List<Channel> bound = new ArrayList<>();
                try {
                    if (Transports.reusePort()) {
                        // One listening socket per event loop (SO_REUSEPORT): the kernel spreads new connections
                        // over the loops, and each loop serves the connections it accepted, with no hand-over.
                        InetSocketAddress at = freeAddress(requestedAddress);
                        for (io.netty.util.concurrent.EventExecutor e : g) {
                            EventLoopGroup loop = (EventLoopGroup) e;
                            bound.add(b.clone().group(loop, loop).option(io.netty.channel.epoll.EpollChannelOption.SO_REUSEPORT, true)
                                    .bind(at).syncUninterruptibly().channel());
                        }
                    } else {
                        bound.add(b.group(g).bind(requestedAddress).syncUninterruptibly().channel());
                    }
                } catch (Throwable t) {
                    for (Channel c : bound) {
                        c.close();
                    }
                    throw t;
                }
                Channel ch = bound.get(0);
                this.group = g;
                this.handlers = exec;
                this.channels = all;
                this.listeners = List.copyOf(bound);
                this.boundAddress = (InetSocketAddress) ch.localAddress();
                this.serverName = fqdn(boundAddress.getAddress());
                this.started = true;
                return this;
            } catch (Throwable t) {
                g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                exec.shutdownNow();
                throw bindFailure(t);
            }
        }
    }

    /**
     * {@code requested}, with its port chosen when it is 0, after checking that no other socket
     * listens there: sockets with {@code SO_REUSEPORT} would otherwise share a port that another
     * server (another instance of this one, say) already holds.
     */
    private static InetSocketAddress freeAddress(InetSocketAddress requested) throws IOException {
        try (java.nio.channels.ServerSocketChannel probe = java.nio.channels.ServerSocketChannel.open(
                requested.getAddress() instanceof java.net.Inet6Address ? java.net.StandardProtocolFamily.INET6
                        : java.net.StandardProtocolFamily.INET)) {
            probe.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(requested);
            return new InetSocketAddress(requested.getAddress(), ((InetSocketAddress) probe.getLocalAddress()).getPort());
        }
    }

    private RuntimeException bindFailure(Throwable t) {
        String where = describe(requestedAddress);
        if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
            String detail = t.getMessage() == null ? "" : t.getMessage();
            if (detail.contains("in use")) {
                return new UncheckedIOException(new BindException("cannot listen on " + where
                        + ": the port is already in use; choose another port, or stop the program that uses it"));
            }
            return new UncheckedIOException(new BindException("cannot listen on " + where + ": " + detail));
        }
        if (t instanceof IOException) {
            return new UncheckedIOException(new IOException("cannot listen on " + where + ": " + t.getMessage(), t));
        }
        if (t instanceof RuntimeException) {
            return (RuntimeException) t;
        }
        return new IllegalStateException("cannot listen on " + where + ": " + t, t);
    }

    private static String describe(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return host + " port " + a.getPort();
    }

    private static String fqdn(InetAddress address) {
        try {
            InetAddress a = address.isAnyLocalAddress() ? InetAddress.getLocalHost() : address;
            return a.getCanonicalHostName();
        } catch (UnknownHostException | SecurityException e) {
            return address.getHostAddress();
        }
    }

    /**
     * Python's {@code serve_forever()}: starts if need be, then blocks until {@link #shutdown()} is
     * called from another thread; returns at once if it was called already (even before this call).
     */
    public void serveForever() {
        if (shutDown) {
            return;
        }
        start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Python's {@code handle_request()}: starts if need be, then waits until one more request has
     * been answered.
     */
    public void handleRequest() throws InterruptedException {
        start();
        requestWaiters.incrementAndGet();
        try {
            synchronized (requestMonitor) {
                long target = requestsFinished.get() + 1;
                while (requestsFinished.get() < target && !shutDown) {
                    requestMonitor.wait(1000);
                }
            }
        } finally {
            requestWaiters.decrementAndGet();
        }
    }

    /**
     * Python's {@code shutdown()} and {@code server_close()}, made graceful: stops accepting, closes
     * idle keep-alive connections at once, lets requests in flight finish for up to
     * {@link Limits#shutdownTimeout()} (their responses say {@code Connection: close}), then closes
     * what is left and stops the handler threads. {@link #serveForever()} returns. Idempotent.
     */
    public void shutdown() {
        synchronized (stateLock) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            if (started) {
                draining = true;
                for (Channel l : listeners) {
                    l.close().syncUninterruptibly();
                }
                for (Channel ch : channels) {
                    ch.eventLoop().execute(() -> {
                        ConnectionGuard guard = ch.pipeline().get(ConnectionGuard.class);
                        if (guard != null) {
                            guard.drain();
                        } else {
                            ch.close();
                        }
                    });
                }
                long deadline = System.nanoTime() + limits.shutdownTimeout().toNanos();
                while (!channels.isEmpty() && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
                handlers.shutdown();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
                try {
                    if (!handlers.awaitTermination(2, TimeUnit.SECONDS)) {
                        handlers.shutdownNow();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    handlers.shutdownNow();
                }
                if (staticCache != null) {
                    staticCache.clear();
                }
                BaseHttpRequestHandler.flushLog();
            }
        }
        synchronized (requestMonitor) {
            requestMonitor.notifyAll();
        }
        stopped.countDown();
    }

    /** {@link #shutdown()}: a server is {@link AutoCloseable}, as Python's is a context manager. */
    @Override
    public void close() {
        shutdown();
    }

    /** Whether {@link #start()} has bound the address and {@link #shutdown()} has not been called. */
    public boolean isRunning() {
        return started && !shutDown;
    }

    @Override
    public String serverName() {
        requireStarted();
        return serverName;
    }

    @Override
    public int serverPort() {
        requireStarted();
        return boundAddress.getPort();
    }

    @Override
    public InetSocketAddress serverAddress() {
        requireStarted();
        return boundAddress;
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the server is not started: call start() first");
        }
    }

    /** Whether handlers run on a thread per connection ({@link ThreadingHttpServer}). */
    public boolean isThreading() {
        return threading;
    }

    // ---- for the pipeline ----

    /** The listening sockets. */
    List<Channel> listeners() {
        return listeners;
    }

    /** The open connections. */
    Iterable<Channel> connections() {
        return channels;
    }

    /** Handlers the factory made so far. */
    private final java.util.concurrent.atomic.AtomicLong handlersMade = new java.util.concurrent.atomic.AtomicLong();

    long handlersMade() {
        return handlersMade.get();
    }

    BaseHttpRequestHandler newHandler() {
        handlersMade.incrementAndGet();
        BaseHttpRequestHandler h = handlerFactory.get();
        if (h == null) {
            throw new IllegalStateException("the handler factory returned null");
        }
        return h;
    }

    void dispatch(Runnable task, Connection connection) {
        try {
            handlers.execute(task);
        } catch (RejectedExecutionException e) {
            connection.abort();
        }
    }

    /**
     * Whether file bodies may go out as {@code FileRegion}s ({@code sendfile}): on plain HTTP/1
     * connections only. Under TLS the bytes must pass through the TLS engine, and on HTTP/2 they go in
     * DATA frames: there files go through {@code ChunkedWriteHandler} in 64 KiB pieces instead.
     */
    boolean zeroCopy() {
        return tlsMaterial == null;
    }

    /** Whether clients reach this server over TLS ({@link HttpsServer}); CGI scripts then see {@code HTTPS=on}. */
    @Override
    public boolean isSecure() {
        return tlsMaterial != null;
    }

    /** Whether cleartext HTTP/2 (h2c) is spoken: prior knowledge and {@code Upgrade: h2c}. */
    public boolean isH2c() {
        return h2c;
    }

    /** The ALPN protocols offered over TLS, in order of preference; empty for plain HTTP. */
    public List<String> alpnProtocols() {
        return alpnProtocols;
    }

    /** The TLS context, built at {@link #start()}; null for plain HTTP. */
    SslContext sslContext() {
        return sslContext;
    }

    /** Whether TLS clients may choose HTTP/2 by ALPN. */
    boolean alpnH2() {
        return alpnProtocols.contains(ApplicationProtocolNames.HTTP_2);
    }

    /** The limits this server applies to each connection. */
    public Limits limits() {
        return limits;
    }

    /** The replayable file responses, or null when disabled ({@code -Ddev.httpserver.noStaticCache=true}). */
    StaticFileCache staticCache() {
        return staticCache;
    }

    /** Whether {@link #shutdown()} is letting the last requests finish. */
    boolean draining() {
        return draining;
    }

    boolean tryAcquireConnection() {
        if (connections.incrementAndGet() > limits.maxConnections()) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void releaseConnection() {
        connections.decrementAndGet();
    }

    /** The number of open client connections. */
    public int connectionCount() {
        return connections.get();
    }

    void connectionOpened(Channel ch) {
        channels.add(ch);
    }

    void connectionClosed(Channel ch) {
        // the channel group forgets closed channels by itself
    }

    void requestStarted() {
        // counted when finished
    }

    void requestFinished() {
        requestsFinished.incrementAndGet();
        if (requestWaiters.get() > 0) {
            synchronized (requestMonitor) {
                requestMonitor.notifyAll();
            }
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + (started ? "[" + describe(boundAddress) + "]" : "[not started]");
    }

    /** Configures an {@link HttpServer}, {@link ThreadingHttpServer}, {@link HttpsServer} or {@link ThreadingHttpsServer}; nothing is bound until {@link HttpServer#start()}. */
    public static final class Builder {
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private Supplier<? extends BaseHttpRequestHandler> handler;
        private boolean threading = true;
        private Limits limits = Limits.defaults();
        private PemMaterial tlsMaterial;
        private List<String> alpnProtocols;
        private boolean h2c;

        private Builder() {
        }

        /**
         * Serves HTTPS with {@code material} (from {@link PemMaterial#load}, or
         * {@link dev.httpserver.netty.tls.SelfSigned#material()}): the server is then an
         * {@link HttpsServer} or {@link ThreadingHttpsServer}.
         *
         * @param alpnProtocols the ALPN protocols in order of preference, among {@code h2} and
         *                      {@code http/1.1}; null for Python's default {@code ["http/1.1"]}; with
         *                      {@code h2} listed, clients that offer it speak HTTP/2
         */
        public Builder tls(PemMaterial material, List<String> alpnProtocols) {
            this.tlsMaterial = Objects.requireNonNull(material, "material");
            this.alpnProtocols = alpnProtocols == null ? null : List.copyOf(alpnProtocols);
            return this;
        }

        /**
         * Cleartext HTTP/2 (h2c) besides HTTP/1.1 on a plain server: a client that starts with the
         * HTTP/2 preface (prior knowledge) or asks {@code Upgrade: h2c} speaks HTTP/2. Off by default;
         * not for an HTTPS server, where ALPN {@code h2} is the way.
         */
        public Builder h2c(boolean h2c) {
            this.h2c = h2c;
            return this;
        }

        /** The per-connection timeouts and limits (default {@link Limits#defaults()}). */
        public Builder limits(Limits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** The address to listen on; default: the loopback address, port 0 (a free port). */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Listens on {@code host} (a name or an IP address) and {@code port} (0 for a free one). */
        public Builder address(String host, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            return address(new InetSocketAddress(host, port));
        }

        /** The handler factory, called once per connection (required). */
        public Builder handler(Supplier<? extends BaseHttpRequestHandler> handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** True (the default) for a thread per connection, false for a single handler thread. */
        public Builder threading(boolean threading) {
            this.threading = threading;
            return this;
        }

        /** The server, not yet bound. */
        public HttpServer build() {
            if (handler == null) {
                throw new IllegalStateException("a handler factory is required: builder.handler(MyHandler::new)");
            }
            if (tlsMaterial != null) {
                if (h2c) {
                    throw new IllegalStateException("h2c is cleartext HTTP/2: over TLS, list \"h2\" in the ALPN protocols");
                }
                return threading ? new ThreadingHttpsServer(address, handler, limits, tlsMaterial, alpnProtocols, false)
                        : new HttpsServer(address, handler, false, limits, tlsMaterial, alpnProtocols, false);
            }
            return threading ? new ThreadingHttpServer(address, handler, limits, h2c, false)
                    : new HttpServer(address, handler, false, limits, null, null, h2c, false);
        }
    }
}
