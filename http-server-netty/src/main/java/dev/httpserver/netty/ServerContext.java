package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.RequestLog;
import dev.httpserver.api.Server;
import dev.httpserver.api.SimpleHttpRequestHandler;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the pipeline sees of its server: the configuration, the handler threads, the counters and
 * the shutdown state. Built by {@link HttpServer#start()} and handed to
 * {@link HttpPipelineInitializer}, which passes it on to the {@link ConnectionGuard}, the
 * {@link HandlerBridge} and the {@link ChannelTransport} of each connection; none of them holds the
 * server itself. The {@link Server} a handler is given is only the public view.
 */
final class ServerContext {

    private final ServerConfig config;
    private final Server view;
    private final SslContext sslContext;
    private final ExecutorService handlers;
    private final ChannelGroup channels;
    private final RequestCounter requests;
    private final AtomicInteger connections;
    private final AtomicLong handlersMade = new AtomicLong();
    private volatile boolean draining;

    ServerContext(ServerConfig config, Server view, SslContext sslContext, ExecutorService handlers,
            ChannelGroup channels, RequestCounter requests, AtomicInteger connections) {
        this.config = config;
        this.view = view;
        this.sslContext = sslContext;
        this.handlers = handlers;
        this.channels = channels;
        this.requests = requests;
        this.connections = connections;
    }

    /** The limits applied to each connection. */
    Limits limits() {
        return config.limits();
    }

    /** The TLS context; null for plain HTTP. */
    SslContext sslContext() {
        return sslContext;
    }

    /** Whether TLS clients may choose HTTP/2 by ALPN. */
    boolean alpnH2() {
        return config.alpnProtocols().contains(ApplicationProtocolNames.HTTP_2);
    }

    /** Whether cleartext HTTP/2 (prior knowledge and {@code Upgrade: h2c}) is spoken. */
    boolean h2c() {
        return config.h2c();
    }

    /** Whether compressible responses are compressed on the fly ({@link Compression}). */
    /** Where the request log goes. */
    RequestLog requestLog() {
        return config.requestLog();
    }

    /**
     * A problem of the server's own on a connection (not a request's): standard error, or the error
     * logger of a {@code System.Logger} request log.
     */
    void unexpected(Object remote, Throwable cause) {
        RequestLog log = config.requestLog();
        if (log == RequestLog.stderr()) {
            System.err.println("Unexpected error on connection " + remote + ": " + cause);
        } else {
            log.error(String.valueOf(remote), "unexpected error on the connection: " + cause);
        }
    }

    boolean compress() {
        return config.compress();
    }

    /** The server as its handlers see it. */
    Server view() {
        return view;
    }

    /**
     * Whether every handler the factory makes is a stock {@link SimpleHttpRequestHandler} (the factory
     * is a {@link SimpleHttpRequestHandler.Factory}, Python's {@code partial(SimpleHTTPRequestHandler,
     * directory=...)}): then the file stage may make one on the event loop and answer a GET at once.
     */
    boolean stockHandlers() {
        return config.handlerFactory() instanceof SimpleHttpRequestHandler.Factory;
    }

    /** A new handler from the factory. */
    BaseHttpRequestHandler newHandler() {
        handlersMade.incrementAndGet();
        BaseHttpRequestHandler h = config.handlerFactory().get();
        if (h == null) {
            throw new IllegalStateException("the handler factory returned null");
        }
        return h;
    }

    /** Handlers the factory made so far. */
    long handlersMade() {
        return handlersMade.get();
    }

    /** Runs {@code task} on a handler thread; {@code rejected} runs instead when the server is stopping. */
    void dispatch(Runnable task, Runnable rejected) {
        try {
            handlers.execute(task);
        } catch (RejectedExecutionException e) {
            rejected.run();
        }
    }

    /** Counts a new connection; false, counting nothing, beyond {@link Limits#maxConnections()}. */
    boolean tryAcquireConnection(Channel ch) {
        if (connections.incrementAndGet() > config.limits().maxConnections()) {
            connections.decrementAndGet();
            return false;
        }
        channels.add(ch); // the group forgets the channel by itself when it closes
        return true;
    }

    /** A connection counted by {@link #tryAcquireConnection} closed. */
    void releaseConnection() {
        connections.decrementAndGet();
    }

    /** A response was completely handed to its channel. */
    void requestFinished() {
        requests.finished();
    }

    /** Shutdown is letting the last requests finish: no connection is kept alive after its response. */
    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
