package dev.httpserver.netty.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An HTTP/2 client over a plain socket (prior knowledge) that writes exactly the frames a test asks
 * for, well-formed or not, and reads the server's frames one by one; header blocks are encoded and
 * decoded with Netty's HPACK. For the protocol-abuse tests.
 */
public final class RawH2 implements Closeable {

    public static final int DATA = 0;
    public static final int HEADERS = 1;
    public static final int RST_STREAM = 3;
    public static final int SETTINGS = 4;
    public static final int GOAWAY = 7;
    public static final int WINDOW_UPDATE = 8;
    public static final int CONTINUATION = 9;

    private static final byte[] CANCEL = {0, 0, 0, 8};

    /** A frame as received. */
    public record Frame(int type, int flags, int stream, byte[] payload) {
        /** The error code of a RST_STREAM or GOAWAY. */
        public long errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xffL) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }

        /** The debug data of a GOAWAY. */
        public String debug() {
            return new String(payload, 8, payload.length - 8, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Frame[type=" + type + " flags=" + flags + " stream=" + stream + " length=" + payload.length
                    + (type == GOAWAY || type == RST_STREAM ? " code=" + errorCode() : "") + "]";
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
    private final int port;
    private final List<Frame> received = new ArrayList<>();
    private final java.util.Map<Frame, Integer> statuses = new java.util.IdentityHashMap<>();

    public RawH2(int port) throws IOException {
        this(new Socket("127.0.0.1", port), port);
    }

    /** Over a connected socket (a TLS one whose ALPN chose h2, say). */
    public RawH2(Socket connected, int port) throws IOException {
        this.port = port;
        socket = connected;
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        try {
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            send(SETTINGS, 0, 0, new byte[0]);
        } catch (IOException closedAlready) {
            // a server that refuses the connection may have closed it already: what it said is still read
        }
    }

    public RawH2 send(int type, int flags, int stream, byte[] payload) throws IOException {
        out.write(frame(type, flags, stream, payload));
        out.flush();
        return this;
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload) {
        byte[] f = new byte[9 + payload.length];
        f[0] = (byte) (payload.length >>> 16);
        f[1] = (byte) (payload.length >>> 8);
        f[2] = (byte) payload.length;
        f[3] = (byte) type;
        f[4] = (byte) flags;
        f[5] = (byte) (stream >>> 24);
        f[6] = (byte) (stream >>> 16);
        f[7] = (byte) (stream >>> 8);
        f[8] = (byte) stream;
        System.arraycopy(payload, 0, f, 9, payload.length);
        return f;
    }

    /** A GET of {@code path} on {@code stream}, ending the stream, with {@code extra} fields. */
    public RawH2 get(int stream, String path, String... extra) throws IOException {
        out.write(getFrames(stream, path, extra));
        out.flush();
        return this;
    }

    /** A GET on {@code stream} and its RST_STREAM (CANCEL) in one write: the stream is gone as it comes. */
    public RawH2 getAndReset(int stream, String path) throws IOException {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(getFrames(stream, path));
        both.write(frame(RST_STREAM, 0, stream, CANCEL));
        out.write(both.toByteArray());
        out.flush();
        return this;
    }

    /**
     * A POST of {@code path} on {@code stream} whose body follows ({@link #data}): HEADERS without
     * END_STREAM.
     */
    public RawH2 post(int stream, String path) throws IOException {
        Http2Headers headers = new DefaultHttp2Headers().method("POST").scheme("http").path(path)
                .authority("127.0.0.1:" + port);
        return send(HEADERS, 0x4, stream, encode(stream, headers));
    }

    /** A DATA frame of {@code bytes} on {@code stream}, not ending it. */
    public RawH2 data(int stream, byte[] bytes) throws IOException {
        return send(DATA, 0, stream, bytes);
    }

    /** How long {@link #read()} waits for a frame before it throws {@code SocketTimeoutException}. */
    public RawH2 readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
        return this;
    }

    /** RST_STREAM with CANCEL. */
    public RawH2 reset(int stream) throws IOException {
        return send(RST_STREAM, 0, stream, CANCEL);
    }

    /** HEADERS (and CONTINUATION beyond 16 KiB) of a GET, ending the stream. */
    private byte[] getFrames(int stream, String path, String... extra) throws IOException {
        Http2Headers headers = new DefaultHttp2Headers().method("GET").scheme("http").path(path).authority("127.0.0.1:" + port);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            headers.add(extra[i], extra[i + 1]);
        }
        byte[] block = encode(stream, headers);
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        int at = 0;
        int piece = Math.min(block.length, 16_384);
        frames.write(frame(HEADERS, 0x1 | (piece == block.length ? 0x4 : 0), stream, slice(block, 0, piece)));
        at += piece;
        while (at < block.length) {
            piece = Math.min(block.length - at, 16_384);
            frames.write(frame(CONTINUATION, at + piece == block.length ? 0x4 : 0, stream, slice(block, at, piece)));
            at += piece;
        }
        return frames.toByteArray();
    }

    /** Reads until the DATA of {@code stream} has carried {@code text}: true, or false at the close. */
    public boolean readData(int stream, String text) throws IOException {
        StringBuilder data = new StringBuilder();
        return readUntil(f -> {
            if (f.type() == DATA && f.stream() == stream) {
                data.append(new String(f.payload(), StandardCharsets.ISO_8859_1));
            }
            return data.indexOf(text) >= 0;
        }) != null;
    }

    private byte[] encode(int stream, Http2Headers headers) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.configuration().maxHeaderListSize(1 << 24);
            encoder.encodeHeaders(stream, headers, buf);
            byte[] block = new byte[buf.readableBytes()];
            buf.readBytes(block);
            return block;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            buf.release();
        }
    }

    /** The next frame, or null once the server has closed the connection. */
    public Frame read() throws IOException {
        byte[] head = new byte[9];
        try {
            in.readFully(head);
        } catch (EOFException | java.net.SocketException e) {
            return null;
        }
        int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
        int stream = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
        byte[] payload = new byte[length];
        in.readFully(payload);
        Frame f = new Frame(head[3] & 0xff, head[4] & 0xff, stream, payload);
        received.add(f);
        if (f.type() == HEADERS) {
            statuses.put(f, decodeStatus(f)); // HPACK is stateful: every block is decoded, in order
        }
        return f;
    }

    /** Reads until a frame matches (returned), or the connection closes (null). */
    public Frame readUntil(Predicate<Frame> wanted) throws IOException {
        for (Frame f; (f = read()) != null; ) {
            if (wanted.test(f)) {
                return f;
            }
        }
        return null;
    }

    /** The {@code :status} of a HEADERS frame read by this client (a single block, as this server sends them). */
    public int status(Frame headers) {
        return statuses.getOrDefault(headers, -1);
    }

    private int decodeStatus(Frame headers) throws IOException {
        ByteBuf buf = Unpooled.wrappedBuffer(headers.payload());
        try {
            Http2Headers h = decoder.decodeHeaders(headers.stream(), buf);
            return h.status() == null ? -1 : Integer.parseInt(h.status().toString());
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            buf.release();
        }
    }

    /** Everything read so far, for messages. */
    public List<Frame> received() {
        return received;
    }

    /** Whether the server closes the connection, reading (and keeping) what comes before. */
    public boolean closedByServer() throws IOException {
        try {
            while (read() != null) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    private static byte[] slice(byte[] b, int from, int length) {
        byte[] s = new byte[length];
        System.arraycopy(b, from, s, 0, length);
        return s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
