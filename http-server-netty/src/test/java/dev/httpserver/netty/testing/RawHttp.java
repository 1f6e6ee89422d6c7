package dev.httpserver.netty.testing;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.x client over a real socket, for tests that must send exactly the bytes they mean
 * (malformed requests, pipelining) and see exactly the framing the server chose.
 */
public final class RawHttp implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawHttp(InetSocketAddress address) throws IOException {
        this(address.getHostString(), address.getPort());
    }

    public RawHttp(String host, int port) throws IOException {
        this(new Socket(host, port));
    }

    /** Over a socket already connected (a TLS socket, say). */
    public RawHttp(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(20_000);
        in = new java.io.BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public OutputStream output() {
        return out;
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response, framed as the server framed it; {@code head} true for a response to HEAD. */
    public Response read(boolean head) throws IOException {
        String statusLine = readLine();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String line; !(line = readLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
        }
        Response r = new Response(statusLine, headers);
        int code = r.status();
        if (head || code == 204 || code == 304 || code < 200) {
            r.framing = "none";
            r.body = new byte[0];
            return r;
        }
        String te = r.header("Transfer-Encoding");
        String cl = r.header("Content-Length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            r.framing = "chunked";
            while (true) {
                String sizeLine = readLine();
                int semi = sizeLine.indexOf(';');
                int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    break;
                }
                body.write(in.readNBytes(size));
                readLine();
            }
        } else if (cl != null) {
            r.framing = "length";
            int n = Integer.parseInt(cl);
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new EOFException("body shorter than Content-Length: " + b.length + " of " + n);
            }
            body.write(b);
        } else {
            r.framing = "close";
            body.write(in.readAllBytes());
        }
        r.body = body.toByteArray();
        return r;
    }

    public Response read() throws IOException {
        return read(false);
    }

    /** Everything until the server closes the connection. */
    public String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** True when the server has closed the connection (end of stream within the socket timeout). */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (java.net.SocketException e) {
            return true;
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One response: status line, headers in order, body, and how it was framed. */
    public static final class Response {
        public final String statusLine;
        public final List<Map.Entry<String, String>> headers;
        public byte[] body;
        public String framing;

        Response(String statusLine, List<Map.Entry<String, String>> headers) {
            this.statusLine = statusLine;
            this.headers = headers;
        }

        public int status() {
            return Integer.parseInt(statusLine.split(" ", 3)[1]);
        }

        public String version() {
            return statusLine.split(" ", 2)[0];
        }

        public String reason() {
            String[] parts = statusLine.split(" ", 3);
            return parts.length > 2 ? parts[2] : "";
        }

        public String header(String name) {
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return statusLine + " " + headers + " [" + body.length + " bytes, " + framing + "]";
        }
    }
}
