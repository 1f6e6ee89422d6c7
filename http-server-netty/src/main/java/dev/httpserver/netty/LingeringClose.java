package dev.httpserver.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closing a plain HTTP/1 connection whose reading was paused (a client that sent requests ahead of
 * reading its answers): bytes the server never read are still in the socket, and closing it then sends
 * a reset, which can destroy the last answer on its way, even after it was written whole. So, as
 * nginx's {@code lingering_close}: our side is shut down (the client reads the answer to its end, then
 * end of stream), what the client still sends is read and dropped, and the socket closes when the
 * client closes its side, or after {@value #LINGER_MILLIS} ms. Any other connection (reading not
 * paused, TLS, an HTTP/2 stream) closes at once, as before.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {

    /** How long what a client still sends is read and dropped before the socket closes anyway. */
    static final long LINGER_MILLIS = 2_000;

    private LingeringClose() {
    }

    /** Closes {@code channel} (on its event loop), lingering when unread bytes may be waiting. */
    static void close(Channel channel) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> close(channel));
            return;
        }
        if (!(channel instanceof DuplexChannel) || !channel.isActive() || channel.config().isAutoRead()
                || channel.pipeline().get(SslHandler.class) != null || channel.pipeline().get(LingeringClose.class) != null) {
            channel.close();
            return;
        }
        channel.pipeline().addFirst(new LingeringClose());
        shutDownThenClose((DuplexChannel) channel);
        channel.config().setAutoRead(true);
    }

    /**
     * Shuts our side of {@code channel} down and closes it {@value #LINGER_MILLIS} ms later (at once
     * if the shutdown fails); reading what the client still sends meanwhile is the caller's part.
     */
    static void shutDownThenClose(DuplexChannel channel) {
        channel.shutdownOutput().addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
            }
        });
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg); // read only to be dropped: the connection is ending
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // nothing for the handlers behind: no request is read any more
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            ctx.close(); // the client has closed its side: nothing more will come
        } else {
            ReferenceCountUtil.release(evt);
        }
    }
}
