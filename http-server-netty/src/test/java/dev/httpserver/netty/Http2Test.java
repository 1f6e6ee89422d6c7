package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/2 over TLS (ALPN h2) and in cleartext (h2c), on the handler API written for HTTP/1.1. */
@Timeout(120)
class Http2Test {

    @TempDir
    Path dir;

    static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);
    static final CountDownLatch SLOW_STARTED = new CountDownLatch(1);

    /** A handler written for HTTP/1.1, knowing nothing of HTTP/2. */
    static class Handler extends SimpleHttpRequestHandler {
        Handler(Path directory) {
            super(directory);
            protocolVersion = "HTTP/1.1";
        }

        @Override
        protected void doGET() throws IOException {
            switch (path) {
                case "/version":
                    reply(requestVersion + " " + command + " host=" + headers.get("Host"));
                    return;
                case "/close": {
                    // Connection-specific fields, and close_connection: on HTTP/2 they end only the stream.
                    byte[] body = "closing".getBytes(StandardCharsets.UTF_8);
                    sendResponse(200);
                    sendHeader("Connection", "close");
                    sendHeader("Keep-Alive", "timeout=5");
                    sendHeader("Upgrade", "nothing");
                    sendHeader("Content-Length", Integer.toString(body.length));
                    endHeaders();
                    wfile.write(body);
                    closeConnection = true;
                    return;
                }
                case "/fail":
                    sendResponse(200);
                    endHeaders();
                    wfile.write("partial".getBytes(StandardCharsets.UTF_8));
                    wfile.flush();
                    throw new IllegalStateException("handler failure (expected by the test)");
                case "/slow":
                    try {
                        SLOW_STARTED.countDown();
                        RELEASE_SLOW.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    reply("slow done");
                    return;
                default:
                    super.doGET();
            }
        }

        protected void doPOST() throws IOException {
            byte[] body = rfile.readAllBytes();
            sendResponse(200);
            sendHeader("Content-Type", "application/octet-stream");
            sendHeader("Content-Length", Integer.toString(body.length));
            endHeaders();
            wfile.write(body);
        }

        private void reply(String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            sendResponse(200);
            sendHeader("Content-Type", "text/plain");
            sendHeader("Content-Length", Integer.toString(body.length));
            endHeaders();
            wfile.write(body);
        }

        @Override
        public void logMessage(String format, Object... args) {
            // quiet
        }
    }

    private HttpServer start(boolean tls) {
        Path served = dir;
        HttpServerBuilder b = HttpServer.builder().handler(() -> new Handler(served));
        if (tls) {
            b.tls(TlsTesting.CERT.material(), List.of("h2", "http/1.1"));
        } else {
            b.h2c(true);
        }
        return b.build().start();
    }

    private static String url(HttpServer s, String path) {
        return (s.isSecure() ? "https" : "http") + "://127.0.0.1:" + s.serverPort() + path;
    }

    private static HttpResponse<byte[]> send(HttpClient client, HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest get(HttpServer s, String path) {
        return HttpRequest.newBuilder(URI.create(url(s, path))).build();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void requestsOnStreamsAreServedAsHttp20(boolean tls) throws Exception {
        try (HttpServer server = start(tls)) {
            HttpClient client = TlsTesting.client(HttpClient.Version.HTTP_2);
            // In cleartext the first request upgrades the connection (Upgrade: h2c), and is answered on stream 1.
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> r = send(client, get(server, "/version"));
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                assertEquals("HTTP/2.0 GET host=127.0.0.1:" + server.serverPort(), new String(r.body(), StandardCharsets.UTF_8));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void filesHeadAndBodiesOverHttp2(boolean tls) throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(3).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        Files.writeString(dir.resolve("a.txt"), "alpha");
        try (HttpServer server = start(tls)) {
            HttpClient client = TlsTesting.client(HttpClient.Version.HTTP_2);
            assertEquals("alpha", new String(send(client, get(server, "/a.txt")).body(), StandardCharsets.UTF_8));
            HttpResponse<byte[]> r = send(client, get(server, "/big.bin"));
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertArrayEquals(big, r.body(), "16 MiB in DATA frames, byte-identical");

            HttpResponse<byte[]> head = send(client, HttpRequest.newBuilder(URI.create(url(server, "/big.bin")))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertEquals(200, head.statusCode());
            assertEquals(Integer.toString(big.length), head.headers().firstValue("content-length").orElse(null));
            assertEquals(0, head.body().length);

            byte[] upload = new byte[3 << 20];
            new Random(4).nextBytes(upload);
            HttpResponse<byte[]> echo = send(client, HttpRequest.newBuilder(URI.create(url(server, "/echo")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build());
            assertEquals(HttpClient.Version.HTTP_2, echo.version());
            assertArrayEquals(upload, echo.body(), "a 3 MiB request body read through rfile, with flow control");

            Files.write(dir.resolve("empty.txt"), new byte[0]);
            for (int i = 0; i < 3; i++) { // the later ones from the static-file cache, on the event loop
                HttpResponse<byte[]> empty = send(client, get(server, "/empty.txt"));
                assertEquals(200, empty.statusCode());
                assertEquals("0", empty.headers().firstValue("content-length").orElse(null));
                assertEquals(0, empty.body().length);
                HttpResponse<byte[]> again = send(client, get(server, "/big.bin"));
                assertArrayEquals(big, again.body(), "16 MiB again");
                HttpResponse<byte[]> headAgain = send(client, HttpRequest.newBuilder(URI.create(url(server, "/a.txt")))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
                assertEquals("5", headAgain.headers().firstValue("content-length").orElse(null));
            }

            HttpResponse<byte[]> listing = send(client, get(server, "/"));
            assertTrue(new String(listing.body(), StandardCharsets.UTF_8).contains("<a href=\"a.txt\">a.txt</a>"));
            HttpResponse<byte[]> missing = send(client, get(server, "/missing"));
            assertEquals(404, missing.statusCode());
            assertEquals(HttpClient.Version.HTTP_2, missing.version(), "an error ends the stream, not the connection");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyStreamSeesTheFileAsItIsNow(boolean tls) throws Exception {
        Files.writeString(dir.resolve("c.txt"), "first");
        Path served = dir;
        HttpServerBuilder b = HttpServer.builder().handler(() -> new SimpleHttpRequestHandler(served) {
            {
                protocolVersion = "HTTP/1.1"; // a stock handler: answered by the file stage
            }
        });
        if (tls) {
            b.tls(TlsTesting.CERT.material(), List.of("h2"));
        } else {
            b.h2c(true);
        }
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (HttpServer server = b.build().start()) {
            HttpClient client = TlsTesting.client(HttpClient.Version.HTTP_2);
            send(client, get(server, "/")); // in cleartext: the upgrade, on stream 1
            assertEquals("first", new String(send(client, get(server, "/c.txt")).body(), StandardCharsets.UTF_8));
            Files.writeString(dir.resolve("c.txt"), "second, longer");
            HttpResponse<byte[]> changed = send(client, get(server, "/c.txt"));
            assertEquals("second, longer", new String(changed.body(), StandardCharsets.UTF_8), "no old bytes");
            assertEquals(HttpClient.Version.HTTP_2, changed.version());
            Files.delete(dir.resolve("c.txt"));
            assertEquals(404, send(client, get(server, "/c.txt")).statusCode(), "a deleted file is gone at once");
            dev.httpserver.api.BaseHttpRequestHandler.flushLog();
        } finally {
            System.setErr(saved);
        }
        long logged = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"GET /c.txt HTTP/2.0\" 200 -")).count();
        assertEquals(2, logged, "both requests logged as HTTP/2.0:\n" + err);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void connectionFieldsAndCloseConnectionEndOnlyTheStream(boolean tls) throws Exception {
        try (HttpServer server = start(tls)) {
            HttpClient client = TlsTesting.client(HttpClient.Version.HTTP_2);
            send(client, get(server, "/version")); // in cleartext: the upgrade
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> r = send(client, get(server, "/close"));
                assertEquals("closing", new String(r.body(), StandardCharsets.UTF_8));
                assertEquals(HttpClient.Version.HTTP_2, r.version());
                for (String forbidden : new String[] {"connection", "keep-alive", "upgrade", "transfer-encoding"}) {
                    assertFalse(r.headers().firstValue(forbidden).isPresent(), forbidden + " must not be sent on HTTP/2");
                }
            }
            assertEquals(1, server.connectionCount(), "the connection outlives close_connection on its streams");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aFailingHandlerResetsItsStreamOnly(boolean tls) throws Exception {
        PrintStream saved = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true)); // the stack trace is expected
        try (HttpServer server = start(tls)) {
            HttpClient client = TlsTesting.client(HttpClient.Version.HTTP_2);
            send(client, get(server, "/version"));
            CompletableFuture<HttpResponse<byte[]>> failing = client.sendAsync(get(server, "/fail"),
                    HttpResponse.BodyHandlers.ofByteArray());
            try {
                failing.get(20, TimeUnit.SECONDS);
                throw new AssertionError("a response cut by a handler failure must not look complete");
            } catch (java.util.concurrent.ExecutionException expected) {
                // the stream was reset
            }
            HttpResponse<byte[]> after = send(client, get(server, "/version"));
            assertEquals(200, after.statusCode(), "the other streams go on");
            assertEquals(1, server.connectionCount());
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void manyConcurrentStreamsOnOneConnection() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        try (HttpServer server = start(true)) {
            HttpClient client = TlsTesting.client(HttpClient.Version.HTTP_2);
            send(client, get(server, "/a.txt"));
            List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
            // up to the server's SETTINGS_MAX_CONCURRENT_STREAMS (100); the JDK client fails, not queues, beyond it
            for (int i = 0; i < 90; i++) {
                all.add(client.sendAsync(get(server, "/a.txt"), HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (CompletableFuture<HttpResponse<byte[]>> f : all) {
                assertEquals("alpha", new String(f.get(30, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8));
            }
            assertEquals(1, server.connectionCount(), "90 requests multiplexed on one connection");
        }
    }

    @Test
    void shutdownLetsAStreamInFlightFinish() throws Exception {
        // curl, as the JDK 17 client fails every stream on a GOAWAY, even those the server goes on with
        org.junit.jupiter.api.Assumptions.assumeTrue(curlInstalled(), "curl is not installed");
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, TlsTesting.CERT.certificatePem());
        HttpServer server = start(true);
        try {
            Process curl = new ProcessBuilder("curl", "-q", "-sS", "--http2", "--cacert", ca.toString(), "--max-time", "30",
                    "-w", "\n%{http_version}", "https://localhost:" + server.serverPort() + "/slow")
                    .redirectErrorStream(true).start();
            assertTrue(SLOW_STARTED.await(20, TimeUnit.SECONDS), "the request is in the handler");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::shutdown);
            Thread.sleep(300);
            assertFalse(stopping.isDone(), "shutdown waits for the stream in flight");
            RELEASE_SLOW.countDown();
            assertTrue(curl.waitFor(20, TimeUnit.SECONDS));
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("slow done\n2", out, "the stream in flight completes after GOAWAY");
            assertEquals(0, curl.exitValue(), out);
            stopping.get(20, TimeUnit.SECONDS);
        } finally {
            RELEASE_SLOW.countDown();
            server.close();
        }
    }

    private static boolean curlInstalled() {
        try {
            Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void http1StillWorksOnAnH2cServerAndHttp20RequestLinesAreStill505() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        try (HttpServer server = start(false);
                RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals("alpha", r.text());
            c.send("GET /version HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\n\r\n");
            RawHttp.Response notUpgraded = c.read();
            assertEquals(200, notUpgraded.status(), "only the first request of a connection may upgrade");
            assertEquals("HTTP/1.1 GET host=x", notUpgraded.text());
        }
        try (HttpServer server = start(false);
                RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET / HTTP/2.0\r\nHost: x\r\n\r\n");
            assertEquals(505, c.read().status(), "a request line saying HTTP/2.0 is refused as CPython does");
        }
    }

    @Test
    void h2cIsOffByDefault() throws Exception {
        Supplier<BaseHttpRequestHandler> h = BaseHttpRequestHandler::new;
        try (HttpServer server = HttpServer.builder().handler(h).build().start()) {
            assertFalse(server.isH2c());
            HttpResponse<byte[]> r = send(TlsTesting.client(HttpClient.Version.HTTP_2), get(server, "/"));
            assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "no upgrade without h2c(true)");
        }
    }
}
