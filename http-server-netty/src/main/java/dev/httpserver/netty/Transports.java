package dev.httpserver.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The I/O transport, chosen once per JVM from {@code -Ddev.httpserver.transport}: by default
 * ({@code auto}) Linux's native epoll when its library is on the class path and loads, Java NIO
 * otherwise; {@code io_uring} asks for Linux's io_uring (netty-transport-native-io_uring on the class
 * path, and a kernel that allows it) and falls back as {@code auto} does where it does not load;
 * {@code nio} forces NIO. A native transport's classes are used only once it has loaded, so neither
 * native jar is needed for the other transports.
 */
final class Transports {

    /** The transports, with the name {@link #name()} gives. */
    enum Kind {
        IO_URING("io_uring"), EPOLL("epoll"), NIO("nio");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final Kind KIND = choose(System.getProperty("dev.httpserver.transport", "auto"),
            Transports::ioUringLoads, Transports::epollLoads);

    private Transports() {
    }

    /** The transport for a value of the property, given which native transports load; package-private for tests. */
    static Kind choose(String wanted, BooleanSupplier ioUringLoads, BooleanSupplier epollLoads) {
        String w = wanted.trim().toLowerCase(Locale.ROOT);
        if (w.equals("nio")) {
            return Kind.NIO;
        }
        if (w.equals("io_uring") && ioUringLoads.getAsBoolean()) {
            return Kind.IO_URING;
        }
        return epollLoads.getAsBoolean() ? Kind.EPOLL : Kind.NIO;
    }

    private static boolean epollLoads() {
        // lambdas, not method references: Epoll and IoUring are resolved only when called, inside loads()
        return loads("io.netty.channel.epoll.Epoll", () -> Epoll.isAvailable());
    }

    private static boolean ioUringLoads() {
        return loads("io.netty.channel.uring.IoUring", () -> IoUring.isAvailable());
    }

    /** Whether {@code probe} is on the class path and {@code available} says its native library loaded. */
    private static boolean loads(String probe, BooleanSupplier available) {
        try {
            Class.forName(probe, false, Transports.class.getClassLoader());
            return available.getAsBoolean();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The transport in use, for logs and diagnostics: {@code io_uring}, {@code epoll} or {@code nio}. */
    static String name() {
        return KIND.label;
    }

    /**
     * Whether the server listens with one {@code SO_REUSEPORT} socket per event loop: on epoll and
     * io_uring, unless {@code -Ddev.httpserver.reusePort=false}.
     */
    static boolean reusePort() {
        return KIND != Kind.NIO && !"false".equalsIgnoreCase(System.getProperty("dev.httpserver.reusePort"));
    }

    /** {@code SO_REUSEPORT}, which both native transports take. */
    static ChannelOption<Boolean> reusePortOption() {
        return UnixChannelOption.SO_REUSEPORT;
    }

    /**
     * The most unsent bytes a connection's socket holds before the event loop is told it can take
     * more ({@code TCP_NOTSENT_LOWAT}, epoll and io_uring only; {@code -Ddev.httpserver.notsentLowat},
     * 0 for the kernel's default). Without it the kernel queues several MiB of a large file per connection
     * ahead of what the network takes, cold in the processor's caches by the time it is sent; with
     * 16 KiB (the value CDNs use for HTTP/2) the queue stays short while the congestion window, and so
     * the throughput of a long-distance connection, is untouched.
     */
    static final long NOTSENT_LOWAT = Long.getLong("dev.httpserver.notsentLowat", 16 * 1024);

    /** Sets the accepted connections' transport-specific options on {@code bootstrap}. */
    static void tuneChildren(ServerBootstrap bootstrap) {
        if (NOTSENT_LOWAT > 0 && KIND == Kind.EPOLL) {
            bootstrap.childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, NOTSENT_LOWAT);
        } else if (NOTSENT_LOWAT > 0 && KIND == Kind.IO_URING) {
            bootstrap.childOption(IoUringChannelOption.TCP_NOTSENT_LOWAT, NOTSENT_LOWAT);
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
        IoHandlerFactory io = KIND == Kind.IO_URING ? IoUringIoHandler.newFactory()
                : KIND == Kind.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(ioThreads(), tf, io);
    }

    static Class<? extends ServerChannel> serverChannelType(EventLoopGroup group) {
        return KIND == Kind.IO_URING ? IoUringServerSocketChannel.class
                : KIND == Kind.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
