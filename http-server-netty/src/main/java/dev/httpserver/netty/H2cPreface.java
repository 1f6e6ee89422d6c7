package dev.httpserver.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;

/**
 * The first reader of a cleartext connection that may speak h2c: on the HTTP/2 connection preface
 * (prior knowledge) it gives way to {@code http2}; on anything else to the HTTP/1 codec and the
 * {@code Upgrade: h2c} handler it put after itself. Netty's {@code CleartextHttp2ServerUpgradeHandler}
 * does the same, but takes only Netty's {@code HttpServerCodec}, not {@link Http1Codec}.
 */
final class H2cPreface extends ByteToMessageDecoder {

    private static final ByteBuf PREFACE = Unpooled.unreleasableBuffer(Http2CodecUtil.connectionPrefaceBuf()).asReadOnly();

    private final Http1Codec codec;
    private final HttpServerUpgradeHandler upgrade;
    private final ChannelHandler http2;

    H2cPreface(Http1Codec codec, HttpServerUpgradeHandler upgrade, ChannelHandler http2) {
        this.codec = codec;
        this.upgrade = upgrade;
        this.http2 = http2;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.pipeline().addAfter(ctx.name(), null, upgrade).addAfter(ctx.name(), null, codec);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int length = PREFACE.readableBytes();
        int n = Math.min(in.readableBytes(), length);
        if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), n)) {
            ctx.pipeline().remove(this); // HTTP/1: what was read goes on to the codec
        } else if (n == length) {
            ctx.pipeline().remove(codec).remove(upgrade);
            ctx.pipeline().addAfter(ctx.name(), null, http2);
            ctx.pipeline().remove(this);
        }
    }
}
