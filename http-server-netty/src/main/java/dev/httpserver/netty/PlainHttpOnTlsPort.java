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
 * {@code SslHandler}, which refuses it as it would have. The 400 is sent once the request head has
 * ended (or 16 KiB of it came), so that a client sending in pieces reads it before the close; for
 * anything else the handler removes itself after the first byte, handing on what it holds.
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

    private static final int MAX_HEAD = 16 * 1024;

    /** Whether {@code in} holds an empty line: the end of a request head. */
    private static boolean headEnded(ByteBuf in) {
        int end = in.writerIndex();
        for (int i = in.readerIndex(); i < end - 1; i++) {
            if (in.getByte(i) == '\n' && (in.getByte(i + 1) == '\n'
                    || (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n'))) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if ((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z')) {
            // the answer waits for the end of the head (at most 16 KiB of it): a client still sending
            // when the connection closes could be reset before it reads the answer
            if (!headEnded(in) && in.readableBytes() < MAX_HEAD) {
                return;
            }
            in.skipBytes(in.readableBytes());
            ctx.channel().config().setAutoRead(false);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.pipeline().remove(this); // what is cumulated goes on to the SslHandler
    }
}
