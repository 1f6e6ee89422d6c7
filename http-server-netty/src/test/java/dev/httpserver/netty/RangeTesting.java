package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * What {@link RangeRequestTest} and {@link ConditionalRequestTest} share: the served files, the two
 * ways a file GET is answered (the file stage and handler threads), a raw HTTP/1.1 exchange, and a
 * {@code multipart/byteranges} parser.
 */
final class RangeTesting {

    static final int DATA_SIZE = 10_000;
    /** The modification time of every served file: well before any test's Date, so a strong date validator. */
    static final Instant MTIME = Instant.parse("2021-03-04T05:06:07Z");
    static final String MTIME_HTTP = "Thu, 04 Mar 2021 05:06:07 GMT";

    /** The threads the {@link Serving#HANDLER_THREADS} handlers logged from. */
    static final ConcurrentLinkedQueue<String> LOGGED_ON = new ConcurrentLinkedQueue<>();

    private RangeTesting() {
    }

    /** The two paths a GET or HEAD for a file takes; both must answer alike. */
    enum Serving {
        /** {@code SimpleHttpRequestHandler.Factory}: answered on the event loop by the stock handler's code. */
        FILE_STAGE,
        /** An anonymous subclass that declares a method: answered on a handler thread. */
        HANDLER_THREADS;

        HttpServerBuilder builder(Path dir) {
            HttpServerBuilder b = HttpServer.builder();
            if (this == FILE_STAGE) {
                return b.handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"));
            }
            return b.handler(() -> new SimpleHttpRequestHandler(dir) {
                {
                    protocolVersion = "HTTP/1.1";
                }

                @Override
                public void logMessage(String format, Object... args) {
                    LOGGED_ON.add(Thread.currentThread().getName());
                    super.logMessage(format, args);
                }
            });
        }

        /** For {@link #HANDLER_THREADS}: checks the requests so far really ran on handler threads. */
        void assertRanWhereExpected() {
            if (this == HANDLER_THREADS) {
                assertTrue(!LOGGED_ON.isEmpty(), "the subclass logged its requests");
                for (String name : LOGGED_ON) {
                    assertTrue(name.startsWith("http-handler-"), "answered on a handler thread, not " + name);
                }
            }
        }
    }

    /** The served files: data.bin (random), page.txt and page.txt.gz, sub/ (a listing); all with {@link #MTIME}. */
    static final class Served {
        final Path dir;
        final byte[] data;
        final byte[] page;
        final byte[] pageGz;

        Served(Path dir) throws IOException {
            this.dir = dir;
            data = new byte[DATA_SIZE];
            new Random(42).nextBytes(data);
            write("data.bin", data);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; sb.length() < 20_000; i++) {
                sb.append("line ").append(i).append(" of a text that compresses well\n");
            }
            page = sb.toString().getBytes(StandardCharsets.US_ASCII);
            write("page.txt", page);
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (OutputStream out = new GZIPOutputStream(gz)) {
                out.write(page);
            }
            pageGz = gz.toByteArray();
            write("page.txt.gz", pageGz);
            Files.createDirectories(dir.resolve("sub"));
            write("sub/x.txt", "x".getBytes(StandardCharsets.US_ASCII));
        }

        void write(String name, byte[] bytes) throws IOException {
            Path p = dir.resolve(name);
            Files.write(p, bytes);
            Files.setLastModifiedTime(p, FileTime.from(MTIME));
        }
    }

    /**
     * One request on a new connection ({@code Connection: close}); the response, after checking the
     * server sent nothing past it and closed the connection.
     */
    static RawHttp.Response exchange(HttpServer server, String method, String path, String... headers) throws IOException {
        try (RawHttp http = new RawHttp("127.0.0.1", server.serverPort())) {
            http.send(request(method, path, true, headers));
            RawHttp.Response r = http.read(method.equals("HEAD"));
            assertTrue(http.closedByServer(), () -> "nothing after the response, then the connection closed: " + r);
            return r;
        }
    }

    static String request(String method, String path, boolean close, String... headers) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        if (close) {
            sb.append("Connection: close\r\n");
        }
        return sb.append("\r\n").toString();
    }

    static byte[] slice(byte[] all, long first, long last) {
        return java.util.Arrays.copyOfRange(all, (int) first, (int) last + 1);
    }

    /** One part of a {@code multipart/byteranges} body. */
    record Part(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("^multipart/byteranges;\\s*boundary=\"?([^\";]+)\"?$");

    /**
     * The parts of a {@code multipart/byteranges} body, split on the boundary its {@code Content-Type}
     * names (RFC 9110 14.6, RFC 2046 5.1.1): a delimiter is CRLF {@code --boundary}, the body ends with
     * {@code --boundary--}.
     */
    static List<Part> parts(String contentType, byte[] body) {
        assertNotNull(contentType, "a Content-Type");
        Matcher m = BOUNDARY.matcher(contentType);
        assertTrue(m.matches(), "multipart/byteranges with a boundary: " + contentType);
        String delimiter = "\r\n--" + m.group(1);
        // ISO-8859-1 maps every byte to one char and back, so the bodies survive byte for byte.
        String all = "\r\n" + new String(body, StandardCharsets.ISO_8859_1);
        int at = all.indexOf(delimiter);
        assertEquals(0, at, "the body starts with the first delimiter (no preamble)");
        List<Part> parts = new ArrayList<>();
        while (true) {
            int start = at + delimiter.length();
            if (all.startsWith("--", start)) {
                assertEquals("--\r\n", all.substring(start), "the close delimiter ends the body");
                return parts;
            }
            assertTrue(all.startsWith("\r\n", start), "CRLF after a delimiter");
            int next = all.indexOf(delimiter, start);
            assertTrue(next > 0, "another delimiter follows part " + parts.size());
            String part = all.substring(start + 2, next);
            int blank = part.indexOf("\r\n\r\n");
            assertTrue(blank >= 0, "the part's header ends with an empty line");
            Map<String, String> headers = new LinkedHashMap<>();
            if (blank > 0) {
                for (String line : part.substring(0, blank).split("\r\n")) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            parts.add(new Part(headers, part.substring(blank + 4).getBytes(StandardCharsets.ISO_8859_1)));
            at = next;
        }
    }

    /** {@code bytes FIRST-LAST/LENGTH} read back: {first, last, length}. */
    static long[] contentRange(String value) {
        assertNotNull(value, "a Content-Range");
        Matcher m = Pattern.compile("^bytes (\\d+)-(\\d+)/(\\d+)$").matcher(value);
        assertTrue(m.matches(), "Content-Range bytes FIRST-LAST/LENGTH: " + value);
        return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
    }
}
