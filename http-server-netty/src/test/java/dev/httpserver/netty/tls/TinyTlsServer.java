package dev.httpserver.netty.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal HTTPS server on 127.0.0.1 and a free port: {@code SslHandler}, then HTTP/1.1, answering
 * every request with the TLS version and ALPN protocol it negotiated, then closing. Records each
 * handshake as the server saw it.
 */
final class TinyTlsServer implements AutoCloseable {

    /** A handshake as the server saw it: the TLS version and ALPN protocol ("" for none), or the failure. */
    static final class Handshake {
        final String protocol;
        final String alpn;
        final Throwable failure;

        Handshake(String protocol, String alpn, Throwable failure) {
            this.protocol = protocol;
            this.alpn = alpn;
            this.failure = failure;
        }

        @Override
        public String toString() {
            return failure != null ? "failed: " + failure : protocol + " alpn=" + alpn;
        }
    }

    final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
    private final ChannelGroup children = new DefaultChannelGroup("tiny-tls", GlobalEventExecutor.INSTANCE);
    private final Channel server;

    TinyTlsServer(EventLoopGroup group, SslContext context) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        SslHandler ssl = context.newHandler(ch.alloc());
                        ssl.setHandshakeTimeoutMillis(5_000);
                        ch.pipeline().addLast("ssl", ssl);
                        ch.pipeline().addLast("handshake", new HandshakeRecorder());
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("answer", new Answer());
                    }
                });
        this.server = b.bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    Handshake nextHandshake() throws InterruptedException {
        Handshake h = handshakes.poll(10, TimeUnit.SECONDS);
        if (h == null) {
            throw new AssertionError("the server saw no handshake end");
        }
        return h;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        children.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    private final class HandshakeRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent) {
                SslHandshakeCompletionEvent e = (SslHandshakeCompletionEvent) evt;
                if (e.isSuccess()) {
                    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                    String alpn = ssl.applicationProtocol(); // null when none was negotiated
                    handshakes.add(new Handshake(ssl.engine().getSession().getProtocol(), alpn == null ? "" : alpn, null));
                } else {
                    handshakes.add(new Handshake(null, null, e.cause()));
                }
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a failed handshake also arrives here (after the event): just close
        }
    }

    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            String alpn = ssl.applicationProtocol();
            String body = "hello over " + ssl.engine().getSession().getProtocol() + " alpn="
                    + (alpn == null ? "" : alpn) + " path=" + request.uri() + "\n";
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
