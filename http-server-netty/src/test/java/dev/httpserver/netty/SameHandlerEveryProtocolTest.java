package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One handler subclass, written once for HTTP/1.1, answers identically over HTTP/1.0, HTTP/1.1, h2
 * (TLS, ALPN) and h2c (cleartext, Upgrade): same status, same fields but those that belong to the
 * connection or the moment (Connection, Keep-Alive, Transfer-Encoding, Date), same body.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameHandlerEveryProtocolTest {

    /** Fields that frame or route, not answer: they differ by protocol by design. */
    private static final Set<String> HOP_BY_HOP = Set.of("date", "connection", "keep-alive", "transfer-encoding");

    @TempDir
    static Path dir;
    private HttpServer plain;
    private HttpServer tls;
    private List<Answer> baseline;

    /** The handler under test: a little of everything a handler does. */
    static class Written extends SimpleHttpRequestHandler {
        Written(Path directory) {
            super(directory);
            protocolVersion = "HTTP/1.1";
        }

        @Override
        protected void doGET() throws IOException {
            if (path.equals("/hello")) {
                byte[] body = "Hello, world\n".getBytes(StandardCharsets.UTF_8);
                sendResponse(200);
                sendHeader("Content-Type", "text/plain; charset=utf-8");
                sendHeader("Content-Length", Integer.toString(body.length));
                sendHeader("X-Custom", "one");
                sendHeader("X-Custom", "two");
                endHeaders();
                wfile.write(body);
            } else if (path.equals("/stream")) {
                // no Content-Length: chunked on HTTP/1.1, to the close on HTTP/1.0, DATA frames on HTTP/2
                sendResponse(201, "Made");
                sendHeader("Content-Type", "text/plain");
                endHeaders();
                for (int i = 0; i < 5; i++) {
                    wfile.write(("part " + i + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8));
                    wfile.flush();
                }
            } else {
                super.doGET();
            }
        }

        protected void doPOST() throws IOException {
            byte[] in = rfile.readAllBytes();
            byte[] body = ("got " + in.length + ": " + new String(in, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            sendResponse(200);
            sendHeader("Content-Length", Integer.toString(body.length));
            endHeaders();
            wfile.write(body);
        }

        @Override
        public void logMessage(String format, Object... args) {
            // quiet
        }
    }

    /** What a client sees of a response, less what depends on the protocol. */
    record Answer(String request, int status, Map<String, List<String>> fields, byte[] body) {
        static Answer of(String request, int status, Iterable<Map.Entry<String, List<String>>> headers, byte[] body) {
            Map<String, List<String>> fields = new TreeMap<>();
            for (Map.Entry<String, List<String>> e : headers) {
                String name = e.getKey().toLowerCase(Locale.ROOT);
                if (!name.startsWith(":") && !HOP_BY_HOP.contains(name)) {
                    fields.computeIfAbsent(name, k -> new ArrayList<>()).addAll(e.getValue());
                }
            }
            return new Answer(request, status, fields, body);
        }
    }

    /** method, path, body (null for none). */
    private static final String[][] REQUESTS = {
        {"GET", "/hello", null},
        {"GET", "/stream", null},
        {"GET", "/file.txt", null},
        {"HEAD", "/file.txt", null},
        {"GET", "/docs", null},
        {"GET", "/docs/", null},
        {"GET", "/missing", null},
        {"POST", "/echo", "ping pong"},
    };

    @BeforeAll
    void start() throws Exception {
        Files.writeString(dir.resolve("file.txt"), "the file\n".repeat(5000));
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/a.txt"), "a");
        Path served = dir;
        plain = HttpServer.builder().handler(() -> new Written(served)).h2c(true).build().start();
        tls = HttpServer.builder().handler(() -> new Written(served))
                .tls(TlsTesting.CERT.material(), List.of("h2", "http/1.1")).build().start();
        baseline = http1("HTTP/1.1");
    }

    @AfterAll
    void stop() {
        if (plain != null) {
            plain.close();
        }
        if (tls != null) {
            tls.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"HTTP/1.0", "HTTP/1.1", "HTTPS/1.1", "h2", "h2c"})
    void answersIdentically(String protocol) throws Exception {
        List<Answer> answers;
        switch (protocol) {
            case "HTTP/1.0":
            case "HTTP/1.1":
                answers = http1(protocol);
                break;
            case "HTTPS/1.1":
                answers = jdk(tls, HttpClient.Version.HTTP_1_1);
                break;
            case "h2":
                answers = jdk(tls, HttpClient.Version.HTTP_2);
                break;
            default:
                answers = jdk(plain, HttpClient.Version.HTTP_2);
        }
        for (int i = 0; i < REQUESTS.length; i++) {
            Answer want = baseline.get(i);
            Answer got = answers.get(i);
            String what = protocol + " " + want.request();
            assertEquals(want.status(), got.status(), what + ": status");
            assertEquals(want.fields(), got.fields(), what + ": header fields");
            assertArrayEquals(want.body(), got.body(), what + ": body");
        }
    }

    /** Each request over HTTP/1.x, with a raw socket (HTTP/1.0: a connection each; HTTP/1.1: one kept alive). */
    private List<Answer> http1(String version) throws IOException {
        List<Answer> answers = new ArrayList<>();
        RawHttp kept = null;
        try {
            for (String[] r : REQUESTS) {
                RawHttp c = version.equals("HTTP/1.0") ? new RawHttp("127.0.0.1", plain.serverPort())
                        : kept != null ? kept : (kept = new RawHttp("127.0.0.1", plain.serverPort()));
                String body = r[2];
                c.send(r[0] + " " + r[1] + " " + version + "\r\nHost: 127.0.0.1:" + plain.serverPort() + "\r\n"
                        + (body == null ? "" : "Content-Length: " + body.length() + "\r\n") + "\r\n" + (body == null ? "" : body));
                RawHttp.Response resp = c.read(r[0].equals("HEAD"));
                Map<String, List<String>> fields = new TreeMap<>();
                for (Map.Entry<String, String> h : resp.headers) {
                    fields.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
                }
                answers.add(Answer.of(r[0] + " " + r[1], resp.status(), fields.entrySet(), resp.body));
                if (c != kept || "close".equalsIgnoreCase(resp.header("Connection"))) {
                    c.close(); // an error page closes the connection, as CPython's does
                    if (c == kept) {
                        kept = null;
                    }
                }
            }
        } finally {
            if (kept != null) {
                kept.close();
            }
        }
        return answers;
    }

    /** Each request with the JDK's client; for HTTP/2, checks that HTTP/2 was spoken. */
    private List<Answer> jdk(HttpServer server, HttpClient.Version version) throws Exception {
        HttpClient client = TlsTesting.client(version);
        String base = (server.isSecure() ? "https" : "http") + "://127.0.0.1:" + server.serverPort();
        List<Answer> answers = new ArrayList<>();
        for (String[] r : REQUESTS) {
            HttpRequest.BodyPublisher body = r[2] == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(r[2]);
            HttpResponse<byte[]> resp = client.send(HttpRequest.newBuilder(URI.create(base + r[1])).method(r[0], body).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(version, resp.version(), r[0] + " " + r[1] + ": the protocol spoken");
            answers.add(Answer.of(r[0] + " " + r[1], resp.statusCode(), resp.headers().map().entrySet(), resp.body()));
        }
        return answers;
    }
}
