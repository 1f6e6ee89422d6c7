package dev.httpserver.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The I/O transport: Linux's native epoll when its library is on the class path and loads, Java NIO
 * otherwise ({@code -Ddev.httpserver.transport=nio} forces NIO).
 */
final class Transports {

    private static final boolean EPOLL = epollAvailable();

    private Transports() {
    }

    private static boolean epollAvailable() {
        if ("nio".equalsIgnoreCase(System.getProperty("dev.httpserver.transport"))) {
            return false;
        }
        try {
            Class.forName("io.netty.channel.epoll.Epoll", false, Transports.class.getClassLoader());
            return Epoll.isAvailable();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The transport in use, for logs and diagnostics: {@code epoll} or {@code nio}. */
    static String name() {
        return EPOLL ? "epoll" : "nio";
    }

    /**
     * Whether the server listens with one {@code SO_REUSEPORT} socket per event loop: on epoll,
     * unless {@code -Ddev.httpserver.reusePort=false}.
     */
    static boolean reusePort() {
        return EPOLL && !"false".equalsIgnoreCase(System.getProperty("dev.httpserver.reusePort"));
    }

    /**
     * The most unsent bytes a connection's socket holds before the event loop is told it can take
     * more ({@code TCP_NOTSENT_LOWAT}, epoll only; {@code -Ddev.httpserver.notsentLowat}, 0 for the
     * kernel's default). Without it the kernel queues several MiB of a large file per connection
     * ahead of what the network takes, cold in the processor's caches by the time it is sent; with
     * 16 KiB (the value CDNs use for HTTP/2) the queue stays short while the congestion window, and so
     * the throughput of a long-distance connection, is untouched.
     */
    static final long NOTSENT_LOWAT = Long.getLong("dev.httpserver.notsentLowat", 16 * 1024);

    /** Sets the accepted connections' transport-specific options on {@code bootstrap}. */
    static void tuneChildren(ServerBootstrap bootstrap) {
        if (EPOLL && NOTSENT_LOWAT > 0) {
            bootstrap.childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, NOTSENT_LOWAT);
        }
    }

    /**
     * The number of event loops: one per processor (handlers run on threads of their own, so a loop
     * never waits), or Netty's {@code -Dio.netty.eventLoopThreads}.
     */
    static int ioThreads() {
        return Math.max(1, Integer.getInteger("io.netty.eventLoopThreads", NettyRuntime.availableProcessors()));
    }

    static EventLoopGroup newGroup() {
        DefaultThreadFactory tf = new DefaultThreadFactory("http-io", true);
        return new MultiThreadIoEventLoopGroup(ioThreads(), tf, EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static Class<? extends ServerChannel> serverChannelType(EventLoopGroup group) {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
