package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.RequestLog;
import dev.httpserver.api.Server;
import dev.httpserver.api.internal.LogSink;
import dev.httpserver.netty.tls.SslContexts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>HTTPS is {@link HttpsServer} (or {@link HttpServerBuilder#tls}); cleartext HTTP/2 (h2c, by prior
 * knowledge or by {@code Upgrade: h2c}) is {@link HttpServerBuilder#h2c(boolean)}, off by default. Either way
 * each HTTP/2 stream is one request served by a handler of its own, as if it were a connection.
 */
public class HttpServer implements Server, AutoCloseable {

    private final ServerConfig config;
    /** Open connections; counted from the first one, read by {@link #connectionCount()} at any time. */
    private final AtomicInteger connections = new AtomicInteger();
    private final RequestCounter requests = new RequestCounter();

    private final Object stateLock = new Object();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean started;
    private volatile boolean shutDown;
    /** What the pipeline sees of this server; built by {@link #start()}. */
    private volatile ServerContext context;
    private EventLoopGroup group;
    /** The listening sockets: one, or one per event loop ({@link Transports#reusePort()}). */
    private List<Channel> listeners = List.of();
    private ExecutorService handlers;
    private ChannelGroup channels;
    private InetSocketAddress boundAddress;
    private String serverName;

    /**
     * Python's {@code HTTPServer(server_address, RequestHandlerClass)}: binds {@code address} now
     * (port 0 picks a free port) and serves connections with handlers from {@code handler}.
     *
     * @param address the address to listen on
     * @param handler makes the handler of each connection ({@code MyHandler::new})
     * @throws UncheckedIOException if the address cannot be bound
     */
    public HttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler) {
        this(address, handler, true);
    }

    /**
     * Python's {@code HTTPServer(server_address, RequestHandlerClass, bind_and_activate)}: with
     * {@code bindAndActivate} false, nothing is bound until {@link #start()}.
     *
     * @param address         the address to listen on
     * @param handler         makes the handler of each connection ({@code MyHandler::new})
     * @param bindAndActivate whether to bind now
     * @throws UncheckedIOException if the address cannot be bound
     */
    public HttpServer(InetSocketAddress address, Supplier<? extends BaseHttpRequestHandler> handler,
            boolean bindAndActivate) {
        this(ServerConfig.plain(address, handler, false, Limits.defaults(), false), bindAndActivate);
    }

    static {
        // The file stage logs on the event loop, which must never wait for a stalled standard error.
        LogSink.neverWaitWhen(() -> ThreadExecutorMap.currentExecutor() instanceof EventLoop);
    }

    /** The constructor every other one calls. */
    HttpServer(ServerConfig config, boolean bindAndActivate) {
        this.config = config;
        if (bindAndActivate) {
            start();
        }
    }

    /**
     * A builder for a server that binds on {@link #start()}.
     *
     * @return a new builder
     */
    public static HttpServerBuilder builder() {
        return new HttpServerBuilder();
    }

    /**
     * The I/O transport of every server in this JVM, chosen once: {@code io_uring} when asked for
     * with {@code -Ddev.httpserver.transport=io_uring} and netty-transport-native-io_uring loads;
     * otherwise {@code epoll} when netty-transport-native-epoll is on the class path and loads;
     * otherwise, or with {@code -Ddev.httpserver.transport=nio}, {@code nio}. A service that adds a
     * native library can check here that it took effect.
     *
     * @return {@code epoll}, {@code io_uring} or {@code nio}
     */
    public static String transport() {
        return Transports.name();
    }

    /**
     * Binds the address and starts serving; returns once the port is bound (so {@link #serverPort()}
     * is known). Does nothing if already started.
     *
     * @return this server
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
            // Once per server, before anything is bound: a key the TLS engine refuses fails here.
            SslContext ssl = config.secure() ? SslContexts.server(config.tlsMaterial(), config.alpnProtocols()) : null;
            EventLoopGroup g = Transports.newGroup();
            ExecutorService exec = config.threading() ? HandlerExecutors.threadPerTask() : HandlerExecutors.singleThread();
            ChannelGroup all = new DefaultChannelGroup("http-server", GlobalEventExecutor.INSTANCE);
            ServerContext ctx = new ServerContext(config, this, ssl, exec, all, requests, connections);
            try {
                List<Channel> bound = Listeners.bind(g, config.address(), new HttpPipelineInitializer(ctx));
                Channel ch = bound.get(0);
                this.context = ctx;
                this.group = g;
                this.handlers = exec;
                this.channels = all;
                this.listeners = bound;
                this.boundAddress = (InetSocketAddress) ch.localAddress();
                this.serverName = fqdn(boundAddress.getAddress());
                this.started = true;
                return this;
            } catch (Throwable t) {
                g.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                exec.shutdownNow();
                throw Listeners.bindFailure(config.address(), t);
            }
        }
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
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public void handleRequest() throws InterruptedException {
        start();
        requests.awaitNext(() -> shutDown);
    }

    /**
     * Python's {@code shutdown()} and {@code server_close()}, made graceful: stops accepting, closes
     * idle keep-alive connections at once, lets requests in flight finish for up to
     * {@link Limits#shutdownTimeout()} (their responses say {@code Connection: close}), then closes
     * what is left and stops the handler threads. {@link #serveForever()} returns. Idempotent.
     */
    public void shutdown() {
        try {
            synchronized (stateLock) {
                if (shutDown) {
                    return;
                }
                shutDown = true;
                if (started) {
                    drainAndStop();
                }
            }
        } finally {
            // Whatever failed while stopping, serveForever() and handleRequest() return.
            requests.wakeAll();
            stopped.countDown();
        }
    }

    private void drainAndStop() {
        context.startDraining();
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
        long deadline = System.nanoTime() + config.limits().shutdownTimeout().toNanos();
        while (!channels.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // The deadline: what is left is cut now. Not through the pipeline, where the HTTP/2 codec would
        // start a graceful close of its own (GOAWAY, then up to the shutdown timeout again, counted from
        // when that GOAWAY gets past the queued data): from the head of the pipeline, which closes the socket.
        for (Channel ch : channels) {
            ch.eventLoop().execute(() -> {
                ChannelHandlerContext first = ch.pipeline().firstContext();
                if (first != null) {
                    first.close();
                } else {
                    ch.close();
                }
            });
        }
        for (Channel ch : channels) {
            ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
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
        BaseHttpRequestHandler.flushLog();
    }

    /** {@link #shutdown()}: a server is {@link AutoCloseable}, as Python's is a context manager. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Whether {@link #start()} has bound the address and {@link #shutdown()} has not been called.
     *
     * @return true while serving
     */
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

    /**
     * Whether handlers run on a thread per connection ({@link ThreadingHttpServer}).
     *
     * @return true for a thread per connection, false for one handler thread
     */
    public boolean isThreading() {
        return config.threading();
    }

    /**
     * Where this server's request log goes, as configured ({@link RequestLog#stderr()} by default).
     *
     * @return the request log
     */
    @Override
    public RequestLog requestLog() {
        return config.requestLog();
    }

    /** Whether clients reach this server over TLS ({@link HttpsServer}); CGI scripts then see {@code HTTPS=on}. */
    @Override
    public boolean isSecure() {
        return config.secure();
    }

    /**
     * Whether cleartext HTTP/2 (h2c) is spoken: prior knowledge and {@code Upgrade: h2c}.
     *
     * @return true when h2c is on
     */
    public boolean isH2c() {
        return config.h2c();
    }

    /**
     * The ALPN protocols offered over TLS, in order of preference.
     *
     * @return the protocols; empty for plain HTTP
     */
    public List<String> alpnProtocols() {
        return config.alpnProtocols();
    }

    /**
     * The limits this server applies to each connection.
     *
     * @return the limits
     */
    public Limits limits() {
        return config.limits();
    }

    /**
     * The number of open client connections.
     *
     * @return the connections counted now
     */
    public int connectionCount() {
        return connections.get();
    }

    // ---- for tests in this package ----

    /** The listening sockets. */
    List<Channel> listeners() {
        return listeners;
    }

    /** The open connections. */
    Iterable<Channel> connections() {
        return channels;
    }

    /** Handlers the factory made so far. */
    long handlersMade() {
        ServerContext c = context;
        return c == null ? 0 : c.handlersMade();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + (started ? "[" + Listeners.describe(boundAddress) + "]" : "[not started]");
    }
}
