package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Stubs, the dispatcher and verify, on real sockets with the JDK's HttpClient. */
@Timeout(60)
class StubsAndVerifyTest {

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @RegisterExtension
    final HttpServerExtension server = HttpServerExtension.scripted();

    private HttpResponse<String> send(String method, String target, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.url(target)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void stubsMatchOnMethodPathQueryHeaderAndBody() throws Exception {
        server.stub(RequestMatcher.get("/exact"), MockResponse.of(200, "exact"));
        server.stub(RequestMatcher.get().pathPrefix("/api/"), MockResponse.of(200, "prefix"));
        server.stub(RequestMatcher.get().pathGlob("/static/**.css"), MockResponse.of(200, "glob"));
        server.stub(RequestMatcher.any().pathRegex("/users/[0-9]+"), MockResponse.of(200, "regex"));
        server.stub(RequestMatcher.get("/search").query("q", "a b"), MockResponse.of(200, "query"));
        server.stub(RequestMatcher.get("/me").header("Authorization", "Bearer t"), MockResponse.of(200, "header"));
        server.stub(RequestMatcher.post("/items").bodyContains("\"name\""), MockResponse.of(201, "body"));

        assertEquals("exact", send("GET", "/exact", null).body());
        assertEquals("prefix", send("GET", "/api/v1/x", null).body());
        assertEquals("glob", send("GET", "/static/css/site.css", null).body());
        assertEquals("regex", send("DELETE", "/users/42", null).body());
        assertEquals("query", send("GET", "/search?q=a+b&page=2", null).body());
        assertEquals("header", send("GET", "/me", null, "Authorization", "Bearer t").body());
        HttpResponse<String> created = send("POST", "/items", "{\"name\":\"x\"}", "Content-Type", "application/json");
        assertEquals(201, created.statusCode());
        assertEquals("body", created.body());

        // near misses fall through to the default 404
        assertEquals(404, send("GET", "/exact/more", null).statusCode());
        assertEquals(404, send("GET", "/static/site.js", null).statusCode());
        assertEquals(404, send("GET", "/users/x", null).statusCode());
        assertEquals(404, send("GET", "/search?q=ab", null).statusCode());
        assertEquals(404, send("GET", "/me", null, "Authorization", "Bearer other").statusCode());
        assertEquals(404, send("POST", "/items", "{}", "Content-Type", "application/json").statusCode());
    }

    @Test
    void lowerPriorityNumberWinsThenTheNewestStub() throws Exception {
        server.stub(RequestMatcher.any(), MockResponse.of(200, "catch-all"));
        server.stub(9, RequestMatcher.get("/a"), MockResponse.of(200, "low"));
        assertEquals("catch-all", send("GET", "/a", null).body(), "priority 5 before priority 9");
        server.stub(1, RequestMatcher.get("/a"), MockResponse.of(200, "high"));
        assertEquals("high", send("GET", "/a", null).body());
        server.stub(1, RequestMatcher.get().pathPrefix("/"), MockResponse.of(200, "newest"));
        assertEquals("newest", send("GET", "/a", null).body(), "the newest among equals");
        server.clearStubs();
        assertEquals(404, send("GET", "/a", null).statusCode());
        assertThrows(IllegalArgumentException.class, () -> server.stub(0, RequestMatcher.any(), MockResponse.of(200)));
    }

    @Test
    void stubsComeBeforeTheQueueAndTheQueueBeforeTheDispatcher() throws Exception {
        server.dispatcher(request -> request.urlPath().startsWith("/d")
                ? MockResponse.of(200, "dispatched " + request.method() + " " + request.bodyAsString())
                : null);
        server.enqueue(MockResponse.of(200, "queued"));
        server.stub(RequestMatcher.get("/s"), MockResponse.of(200, "stub"));

        assertEquals("stub", send("GET", "/s", null).body());
        assertEquals("queued", send("GET", "/d", null).body());
        assertEquals("dispatched POST hello", send("POST", "/d", "hello").body());
        assertEquals(404, send("GET", "/other", null).statusCode(), "the dispatcher's null falls to the default");
        assertEquals(4, server.requestCount());
    }

    @Test
    void verifyCountsAndListsTheClosestUnmatchedRequests() throws Exception {
        server.defaultResponse(MockResponse.of(204));
        send("POST", "/items", "{\"name\":\"a\"}");
        send("POST", "/items", "{\"name\":\"b\"}");
        send("GET", "/items", null);
        send("PUT", "/other", "x");

        server.verify(2, RequestMatcher.post("/items"));
        server.verify(RequestMatcher.get("/items"));
        server.verify(0, RequestMatcher.delete("/items"));
        assertEquals(1, server.requests(RequestMatcher.any().bodyContains("\"b\"")).size());

        AssertionError e = assertThrows(AssertionError.class,
                () -> server.verify(1, RequestMatcher.post("/items").bodyContains("\"c\"")));
        String m = e.getMessage();
        assertTrue(m.startsWith("expected 1 request matching [method POST, path /items, body containing \"\\\"c\\\"\"]"
                + ", received 0 (of 4 in all)"), m);
        // the two POSTs to /items differ only in their bodies: they come first, with the reason
        int closest = m.indexOf("closest unmatched:");
        assertTrue(closest > 0, m);
        String list = m.substring(closest);
        assertTrue(list.indexOf("#0 POST /items") < list.indexOf("#2 GET /items"), m);
        assertTrue(list.contains("expected body containing \"\\\"c\\\"\", was \"{\\\"name\\\":\\\"a\\\"}\""), m);
        assertTrue(list.contains("expected method POST, was GET"), m);

        AssertionError none = assertThrows(AssertionError.class, () -> server.verify(RequestMatcher.get("/nowhere")));
        assertTrue(none.getMessage().contains("expected path /nowhere, was /items"), none.getMessage());
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnAnswer() throws Exception {
        server.dispatcher(request -> MockResponse.of(200, request.queryParameter("n")));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String n = Integer.toString(i);
                answers.add(pool.submit(() -> send("GET", "/n?n=" + n, null).body()));
            }
            for (int i = 0; i < 64; i++) {
                assertEquals(Integer.toString(i), answers.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(64, server.requestCount());
        for (int i = 0; i < 64; i++) {
            server.verify(1, RequestMatcher.get("/n").query("n", Integer.toString(i)));
        }
    }

    @Test
    void headersAndBodyDelaysAndAThrottledBody() throws Exception {
        byte[] body = new byte[4000];
        java.util.Arrays.fill(body, (byte) 'x');
        server.enqueue(MockResponse.builder().headersDelay(Duration.ofMillis(300)).body("late").build());
        server.enqueue(MockResponse.builder().bodyDelay(Duration.ofMillis(300)).body("later").build());
        server.enqueue(MockResponse.builder().throttleBody(1000, Duration.ofMillis(100)).body(body).build());

        long t0 = System.nanoTime();
        assertEquals("late", send("GET", "/", null).body());
        long headers = System.nanoTime() - t0;
        assertTrue(headers >= Duration.ofMillis(300).toNanos(), "headers delayed: " + headers / 1_000_000 + " ms");

        long t1 = System.nanoTime();
        HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(server.url("/")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long headArrived = System.nanoTime();
        String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        long bodyArrived = System.nanoTime();
        assertEquals("later", text);
        assertTrue(bodyArrived - headArrived >= Duration.ofMillis(250).toNanos()
                && bodyArrived - t1 >= Duration.ofMillis(300).toNanos(),
                "body after the head: " + (bodyArrived - headArrived) / 1_000_000 + " ms");

        long t2 = System.nanoTime();
        HttpResponse<byte[]> throttled = client.send(HttpRequest.newBuilder(server.url("/")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long took = System.nanoTime() - t2;
        assertEquals(4000, throttled.body().length);
        assertTrue(took >= Duration.ofMillis(300).toNanos(), "4 parts, 3 pauses of 100 ms: " + took / 1_000_000 + " ms");
    }

    @Test
    void aScriptAnswersInFrontOfAFolder(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "from the folder");
        try (HttpServerExtension folder = HttpServerExtension.serving(dir).start()) {
            folder.stub(RequestMatcher.get("/api/health"), MockResponse.of(200, "ok"));
            folder.enqueue(MockResponse.of(503, "once"));
            HttpClient c = client;
            assertEquals(503, c.send(HttpRequest.newBuilder(folder.url("/a.txt")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), "the queued response first");
            assertEquals("from the folder", c.send(HttpRequest.newBuilder(folder.url("/a.txt")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("ok", c.send(HttpRequest.newBuilder(folder.url("/api/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            folder.verify(2, RequestMatcher.get("/a.txt"));
        }
    }

    /** A handler that names itself, to tell it from the script. */
    public static class Named extends BaseHttpRequestHandler {
        public Named() {
            protocolVersion = "HTTP/1.1";
        }

        protected void doGET() throws IOException {
            byte[] b = "handler".getBytes(StandardCharsets.UTF_8);
            sendResponse(200);
            sendHeader("Content-Length", Integer.toString(b.length));
            endHeaders();
            wfile.write(b);
        }
    }

    @Test
    void aHandlerAnswersWhatTheScriptLeavesOnOneKeptAliveConnection() throws Exception {
        try (HttpServerExtension handler = HttpServerExtension.handler(Named::new).start()) {
            handler.stub(RequestMatcher.get("/stubbed"), MockResponse.of(200, "stub"));
            // one client: its connection is kept alive and reused between script and handler
            for (int i = 0; i < 3; i++) {
                assertEquals("stub", client.send(HttpRequest.newBuilder(handler.url("/stubbed")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
                assertEquals("handler", client.send(HttpRequest.newBuilder(handler.url("/other")).build(),
                        HttpResponse.BodyHandlers.ofString()).body());
            }
            handler.verify(3, RequestMatcher.get("/stubbed"));
            handler.verify(3, RequestMatcher.get("/other"));
            assertEquals(6, handler.requestCount());
        }
    }

    @Test
    void aBodyStubAnswersAnUploadThatAwaitsContinue(@TempDir Path dir) throws Exception {
        server.stub(RequestMatcher.put("/upload").bodyMatching("x+END"), MockResponse.of(201, "stored"));
        Path file = dir.resolve("big.txt");
        Files.writeString(file, "x".repeat(2 << 20) + "END");
        // curl asks Expect: 100-continue for a body this size and waits for the 100 before sending it
        // (without the server's 100, curl would wait 20 s for it, past its own 10 s limit)
        Curl.Result r = Curl.run("--expect100-timeout", "20", "--max-time", "10", "-T", file.toString(),
                "-H", "Expect: 100-continue", "-w", "\n%{http_code}",
                server.url("/upload").toString());
        assertEquals("stored\n201", r.out(), r.toString());
        RecordedRequest recorded = server.takeRequest();
        assertEquals("100-continue", recorded.headers().get("Expect"));
        assertEquals((2 << 20) + 3, recorded.bodySize());
    }

    @Test
    void matcherRejectsABadRegexAtOnce() {
        assertThrows(java.util.regex.PatternSyntaxException.class, () -> RequestMatcher.any().pathRegex("(["));
        assertTrue("a.css".matches(RequestMatcher.globToRegex("*.css")));
        assertTrue(!"a/b.css".matches(RequestMatcher.globToRegex("*.css")));
        assertTrue("/a/b.css".matches(RequestMatcher.globToRegex("/**.css")));
        assertTrue("/a(1).css".matches(RequestMatcher.globToRegex("/a(?).css")));
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/"), server.url("/"));
    }
}
