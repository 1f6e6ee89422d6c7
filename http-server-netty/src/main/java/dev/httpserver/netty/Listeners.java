package dev.httpserver.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.FileRegion;
import io.netty.channel.MessageSizeEstimator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The listening sockets of a server, and the socket options of the connections they accept. On
 * epoll and io_uring each event loop gets a socket of its own ({@code SO_REUSEPORT}): the kernel spreads new
 * connections over the loops, and each loop serves the connections it accepted, with no hand-over.
 */
final class Listeners {

    private static final MessageSizeEstimator FILES_COUNTED = new MessageSizeEstimator() {
        private final MessageSizeEstimator.Handle bytes = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public Handle newHandle() {
            return msg -> msg instanceof FileRegion ? (int) Math.min(Integer.MAX_VALUE, ((FileRegion) msg).count())
                    : bytes.size(msg);
        }
    };

    private Listeners() {
    }

    /**
     * Binds {@code address} on {@code group}, each accepted connection set up by {@code initializer}.
     * Either every socket is bound or none is left open.
     *
     * @return the listening sockets (at least one)
     */
    static List<Channel> bind(EventLoopGroup group, InetSocketAddress address, ChannelHandler initializer)
            throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .channel(Transports.serverChannelType(group))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A client may send its request and shut its side (printf ... | nc -N): still answer it.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                // A file waiting to be sent counts as what it will send: a client that does not read makes
                // the channel unwritable however its answers are made (a FileRegion holds a descriptor).
                .childOption(ChannelOption.MESSAGE_SIZE_ESTIMATOR, FILES_COUNTED)
                .childHandler(initializer);
        Transports.tuneChildren(b);
        List<Channel> bound = new ArrayList<>();
        try {
            if (Transports.reusePort()) {
                InetSocketAddress at = freeAddress(address);
                for (EventExecutor e : group) {
                    EventLoopGroup loop = (EventLoopGroup) e;
                    bound.add(b.clone().group(loop, loop).option(Transports.reusePortOption(), true)
                            .bind(at).syncUninterruptibly().channel());
                }
            } else {
                bound.add(b.group(group).bind(address).syncUninterruptibly().channel());
            }
        } catch (Throwable t) {
            for (Channel c : bound) {
                c.close();
            }
            throw t;
        }
        return List.copyOf(bound);
    }

    /**
     * {@code requested}, with its port chosen when it is 0, after checking that no other socket
     * listens there: sockets with {@code SO_REUSEPORT} would otherwise share a port that another
     * server (another instance of this one, say) already holds.
     */
    private static InetSocketAddress freeAddress(InetSocketAddress requested) throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open(requested.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET)) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(requested);
            return new InetSocketAddress(requested.getAddress(), ((InetSocketAddress) probe.getLocalAddress()).getPort());
        }
    }

    /** What {@code t}, thrown while binding {@code requested}, means to the user: the address and what to do. */
    static RuntimeException bindFailure(InetSocketAddress requested, Throwable t) {
        String where = describe(requested);
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

    /** {@code 127.0.0.1 port 8000}. */
    static String describe(InetSocketAddress a) {
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return host + " port " + a.getPort();
    }
}
