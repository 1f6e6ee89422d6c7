package dev.httpserver.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first handler of a TLS connection: looks at the first byte the client sends. A TLS client
 * starts with a handshake record (0x16); a client that starts with a letter is speaking plain HTTP
 * to the HTTPS port, and gets a short clear-text 400 saying so (as nginx answers it) before the
 * connection closes, instead of a TLS alert it cannot read or silence. Anything else goes on to the
 * {@code SslHandler}, which refuses it as it would have. The handler removes itself after the
 * first byte, handing on what it holds.
 */
final class PlainHttpOnTlsPort extends ByteToMessageDecoder {

    static final String MESSAGE = "The plain HTTP request was sent to HTTPS port: this port speaks HTTPS only,"
            + " use an https:// URL.\n";

    private static final byte[] RESPONSE = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Length: " + MESSAGE.length() + "\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + MESSAGE).getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if ((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z')) {
            in.skipBytes(in.readableBytes());
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().remove(this); // what is cumulated goes on to the SslHandler
    }
}
