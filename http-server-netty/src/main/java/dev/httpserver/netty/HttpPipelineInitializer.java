package dev.httpserver.netty;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

/**
 * The only place that knows the order of the pipeline: {@link ConnectionGuard} (timeouts and
 * connection limit), {@code HttpServerCodec} (with CPython's limits), then {@link HandlerBridge}.
 */
final class HttpPipelineInitializer extends ChannelInitializer<SocketChannel> {

    /** CPython reads at most 65536 bytes of request line ({@code _MAXLINE}). */
    static final int MAX_LINE = 65536;
    /** The whole header block; CPython bounds each line to 65536 bytes and their number to 100. */
    static final int MAX_HEADER_BLOCK = 128 * 1024;

    private final HttpServer server;

    HttpPipelineInitializer(HttpServer server) {
        this.server = server;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("guard", new ConnectionGuard(server));
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_LINE)
                .setMaxHeaderSize(MAX_HEADER_BLOCK)
                .setMaxChunkSize(64 * 1024)));
        p.addLast("bridge", new HandlerBridge(server));
    }
}
