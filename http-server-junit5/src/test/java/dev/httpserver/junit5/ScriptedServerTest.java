package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A scripted server in an instance field: a new server for each test. */
@Timeout(60)
class ScriptedServerTest {

    @RegisterExtension
    final HttpServerExtension server = HttpServerExtension.scripted();

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.url(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void queuedResponsesAreServedInOrderThenTheDefault404() throws Exception {
        server.enqueue(MockResponse.of(200, "first"));
        server.enqueue(MockResponse.builder().status(201).reason("Made It").header("X-Step", "2").body("second").build());

        HttpResponse<String> one = get("/one");
        HttpResponse<String> two = get("/two");
        HttpResponse<String> three = get("/three");

        assertEquals(200, one.statusCode());
        assertEquals("first", one.body());
        assertEquals("text/plain; charset=utf-8", one.headers().firstValue("Content-Type").orElse(""));
        assertEquals(201, two.statusCode());
        assertEquals("second", two.body());
        assertEquals("2", two.headers().firstValue("X-Step").orElse(""));
        assertEquals(404, three.statusCode(), "an empty queue answers 404");
        assertEquals(0, server.queuedResponses());
        assertEquals(3, server.requestCount());
    }

    @Test
    void recordsMethodPathVersionHeadersAndBody() throws Exception {
        server.enqueue(MockResponse.of(204));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.url("/api/items?sort=name"))
                .header("Authorization", "Bearer t0k3n")
                .header("X-Twice", "a")
                .header("X-Twice", "b")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"café\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, r.statusCode());

        RecordedRequest request = server.takeRequest();
        assertEquals(0, request.sequenceNumber());
        assertEquals("POST", request.method());
        assertEquals("/api/items?sort=name", request.path());
        assertEquals("HTTP/1.1", request.version());
        assertEquals("POST /api/items?sort=name HTTP/1.1", request.requestLine());
        assertEquals("Bearer t0k3n", request.headers().get("authorization"));
        assertEquals(java.util.List.of("a", "b"), request.headers().getAll("X-Twice"));
        assertEquals("{\"name\":\"café\"}", request.bodyAsString());
        assertFalse(request.bodyTruncated());
        assertEquals("127.0.0.1", request.clientAddress().getAddress().getHostAddress());
    }

    @Test
    void anyMethodIsAnsweredFromTheQueue() throws Exception {
        server.enqueue(MockResponse.of(200, "spam answered"));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.url("/x"))
                .method("SPAM", HttpRequest.BodyPublishers.ofString("eggs")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("spam answered", r.body());
        RecordedRequest request = server.takeRequest();
        assertEquals("SPAM", request.method());
        assertEquals("eggs", request.bodyAsString());
    }

    @Test
    void requestsOnOneConnectionAreNumberedInOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            server.enqueue(MockResponse.of(200, "r" + i));
        }
        for (int i = 0; i < 3; i++) {
            assertEquals("r" + i, get("/n/" + i).body());
        }
        for (int i = 0; i < 3; i++) {
            RecordedRequest request = server.takeRequest();
            assertEquals(i, request.sequenceNumber());
            assertEquals("/n/" + i, request.path());
        }
    }

    @Test
    void headGetsTheHeadOnly() throws Exception {
        server.enqueue(MockResponse.of(200, "twelve bytes"));
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.url("/h"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("12", r.headers().firstValue("Content-Length").orElse(""));
        assertEquals("", r.body());
        assertEquals("HEAD", server.takeRequest().method());
    }

    @Test
    void curlSeesTheScriptAndIsRecorded() throws Exception {
        server.enqueue(MockResponse.builder().status(202).header("Content-Type", "application/json")
                .body("{\"accepted\":true}").build());
        Curl.Result r = Curl.run("tell me".getBytes(StandardCharsets.UTF_8), "-X", "PUT", "-H", "X-From: curl",
                "--data-binary", "@-", "-w", "\n%{http_code}", server.url("/upload/1").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("{\"accepted\":true}\n202", r.out());

        RecordedRequest request = server.takeRequest();
        assertEquals("PUT", request.method());
        assertEquals("/upload/1", request.path());
        assertEquals("curl", request.headers().get("X-From"));
        assertTrue(request.headers().get("User-Agent").startsWith("curl/"), request.headers().toString());
        assertEquals("tell me", request.bodyAsString());
    }

    @Test
    void aBodySentAfter100ContinueIsRecordedWhole() throws Exception {
        byte[] body = new byte[2 * 1024 * 1024 + 7];
        new Random(9).nextBytes(body);
        server.enqueue(MockResponse.of(200, "got it"));
        Curl.Result r = Curl.run(body, "-H", "Expect: 100-continue", "-H", "Content-Type: application/octet-stream",
                "--data-binary", "@-", server.url("/big").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("got it", r.out());
        RecordedRequest request = server.takeRequest();
        assertEquals("100-continue", request.headers().get("Expect"));
        assertEquals(body.length, request.bodySize());
        assertArrayEquals(body, request.body());
    }

    /** Each repetition gets a new server: nothing recorded yet, whatever the one before did. */
    @RepeatedTest(2)
    void eachTestHasItsOwnServer() throws Exception {
        assertEquals(0, server.requestCount());
        assertEquals(0, server.queuedResponses());
        server.enqueue(MockResponse.of(200, "x"));
        assertEquals("x", get("/").body());
        assertEquals(1, server.requestCount());
    }

    @Test
    void takeRequestFailsWhenNoneCameInTime() {
        long t0 = System.nanoTime();
        AssertionError e = assertThrows(AssertionError.class, () -> server.takeRequest(Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("no request reached"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos());
    }

    @Test
    void configurationIsRefusedOnceStarted() {
        assertThrows(IllegalStateException.class, () -> server.limits(dev.httpserver.netty.Limits.defaults()));
        assertThrows(IllegalStateException.class, () -> server.recordedBodyLimit(1));
    }

    @Test
    void aServerCanBeUsedByHandWithItsOwnDefaultAndBodyLimit() throws Exception {
        try (HttpServerExtension own = HttpServerExtension.scripted()
                .defaultResponse(MockResponse.of(503, "later"))
                .recordedBodyLimit(4)
                .start()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(own.url("limited"))
                    .POST(HttpRequest.BodyPublishers.ofString("0123456789")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
            assertEquals("later", r.body());
            RecordedRequest request = own.takeRequest();
            assertEquals("/limited", request.path());
            assertEquals("0123", request.bodyAsString());
            assertTrue(request.bodyTruncated());
            assertTrue(own.isRunning());
        }
    }

    @Test
    void urlAddsTheLeadingSlashAndKeepsTheQuery() {
        assertEquals(URI.create("http://127.0.0.1:" + server.port() + "/a/b?c=d%20e"), server.url("a/b?c=d%20e"));
        assertEquals("127.0.0.1", server.hostName());
    }

    @Test
    void modeSpecificCallsAreRefusedElsewhere() {
        HttpServerExtension handler = HttpServerExtension.handler(dev.httpserver.api.BaseHttpRequestHandler::new);
        assertThrows(IllegalStateException.class, () -> handler.defaultResponse(MockResponse.of(200)));
        assertThrows(IllegalStateException.class, () -> handler.port());
        assertThrows(IllegalStateException.class, () -> handler.takeRequest());
    }
}
