package dev.httpserver.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The first handler of a TLS connection: looks at the first byte the client sends. A TLS client
 * starts with a handshake record (0x16); a client that starts with a letter is speaking plain HTTP
 * to the HTTPS port, and gets a short clear-text 400 saying so (as nginx answers it) before the
 * connection closes, instead of a TLS alert it cannot read or silence. Anything else goes on to the
 * {@code SslHandler}, which refuses it as it would have. The 400 is sent once the request head has
 * ended (or 16 KiB of it came), followed by a lingering close (our side shut down, the rest the
 * client sends dropped until it closes, 2 s at most), so that a client still sending reads it
 * rather than a reset; for anything else the handler removes itself after the first byte, handing
 * on what it holds.
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

    /** The 400 has been sent: whatever comes now is dropped. */
    private boolean answered;

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
        if (answered) {
            in.skipBytes(in.readableBytes()); // what the client still sends, read and dropped
            return;
        }
        byte first = in.getByte(in.readerIndex());
        if ((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z')) {
            // the answer waits for the end of the head (at most 16 KiB of it)
            if (!headEnded(in) && in.readableBytes() < MAX_HEAD) {
                return;
            }
            in.skipBytes(in.readableBytes());
            answered = true;
            // A lingering close, as nginx's: the answer, then our side shut down, and what the client
            // still sends read and dropped until it closes (or 2 s): closing with unread bytes would send
            // a reset, which can reach the client before it has read the answer.
            Channel ch = ctx.channel();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener(f -> {
                if (!f.isSuccess() || !(ch instanceof DuplexChannel)) {
                    ch.close();
                    return;
                }
                LingeringClose.shutDownThenClose((DuplexChannel) ch);
            });
            return;
        }
        ctx.pipeline().remove(this); // what is cumulated goes on to the SslHandler
    }
}
