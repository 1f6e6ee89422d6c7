package dev.httpserver.jmh;

import dev.httpserver.api.Headers;
import dev.httpserver.api.Server;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.api.spi.RequestHead;
import dev.httpserver.api.spi.Transport;
import dev.httpserver.api.internal.UrlCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The functions every request of a file server goes through, measured alone: path translation,
 * header fields, URL quoting, and a whole folder listing (1,000 entries) answered through a
 * {@link Transport} that discards the bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPaths {

    /** A stock handler with its protected methods reachable, and quiet (no log lines). */
    static final class Exposed extends SimpleHttpRequestHandler {
        Exposed(String directory) {
            super(directory);
            protocolVersion = "HTTP/1.1";
        }

        String translate(String path) {
            return translatePath(path);
        }

        @Override
        public void logMessage(String format, Object... args) {
            // measured without the log
        }
    }

    /** One request, then the end of the connection; the response body is counted and dropped. */
    static final class OneRequest implements Transport {
        private final RequestHead head;
        private boolean given;
        private boolean headSent;
        long bytes;

        OneRequest(RequestHead head) {
            this.head = head;
        }

        @Override
        public RequestHead nextRequest() {
            if (given) {
                return null;
            }
            given = true;
            return head;
        }

        @Override
        public boolean hasQueuedRequest() {
            return !given;
        }

        @Override
        public InputStream requestBody() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream responseBody() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    bytes++;
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes += len;
                }
            };
        }

        @Override
        public void writeHead(String version, int code, String reason, List<Map.Entry<String, String>> headers, boolean keepAlive) {
            headSent = true;
        }

        @Override
        public boolean headSent() {
            return headSent;
        }

        @Override
        public boolean closing() {
            return false;
        }

        @Override
        public void abort() {
        }
    }

    private static final Server SERVER = new Server() {
        @Override
        public String serverName() {
            return "localhost";
        }

        @Override
        public int serverPort() {
            return 8000;
        }

        @Override
        public InetSocketAddress serverAddress() {
            return new InetSocketAddress("127.0.0.1", 8000);
        }
    };

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);

    private Path root;
    private Exposed handler;
    private RequestHead listingHead;
    private final String[] fields = {"Host", "localhost:8000", "User-Agent", "curl/8.11.1", "Accept", "*/*",
        "Accept-Encoding", "gzip, deflate, br", "Accept-Language", "en-GB,en;q=0.9", "Cache-Control", "no-cache",
        "Connection", "keep-alive", "Referer", "http://localhost:8000/"};
    private Headers builtHeaders;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("http-server-jmh");
        Path many = Files.createDirectory(root.resolve("many"));
        for (int i = 1; i <= 1000; i++) {
            Files.writeString(many.resolve(String.format("file-%04d.txt", i)), "x");
        }
        handler = new Exposed(root.toString());
        listingHead = RequestHead.of("GET", "/many/", "HTTP/1.1", Headers.builder().add("Host", "localhost").build());
        builtHeaders = headers();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private Headers headers() {
        Headers.Builder b = Headers.builder();
        for (int i = 0; i < fields.length; i += 2) {
            b.add(fields[i], fields[i + 1]);
        }
        return b.build();
    }

    /** {@code translatePath} of a path with a query, an escape and a {@code ..}. */
    @Benchmark
    public String translatePath() {
        return handler.translate("/static/css/../img/%7Euser/photo%20one.png?size=2");
    }

    /** The header fields of a browser-like request, built as the server hands them to a handler. */
    @Benchmark
    public Headers buildHeaders() {
        return headers();
    }

    /** Case-insensitive look-ups of a present and an absent field. */
    @Benchmark
    public int getHeaders() {
        String a = builtHeaders.get("accept-encoding");
        String b = builtHeaders.get("If-Modified-Since");
        return a.length() + (b == null ? 0 : b.length());
    }

    /** {@code urllib.parse.quote} of a name that needs escaping. */
    @Benchmark
    public String quote() {
        return UrlCodec.quote("caf\u00e9 & co (2).txt");
    }

    /** A whole GET of a folder of 1,000 files: read, sorted, rendered and written. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long listing1000() throws Exception {
        Exposed h = new Exposed(root.toString());
        OneRequest t = new OneRequest(listingHead);
        h.attach(t, CLIENT, SERVER);
        h.handle();
        if (t.bytes < 1000 * 40) {
            throw new IllegalStateException("listing too short: " + t.bytes + " bytes");
        }
        return t.bytes;
    }
}
