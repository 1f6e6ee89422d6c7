package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.testing.RawHttp.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class BaseHandlerTest {

    /** A handler like CPython's test_httpservers request_handler, answering on HTTP/1.1. */
    static class Echo extends BaseHttpRequestHandler {
        Echo() {
            protocolVersion = "HTTP/1.1";
        }

        @Override
        public void logMessage(String format, Object... args) {
            // quiet
        }

        protected void doGET() throws IOException {
            reply(200, "GET " + path + " " + requestVersion);
        }

        protected void doPOST() throws IOException {
            byte[] body = rfile.readAllBytes();
            reply(201, "POST " + body.length + " " + new String(body, StandardCharsets.UTF_8));
        }

        public void doSPAM() throws IOException {
            reply(200, "SPAM " + headers.get("x-spam", "none"));
        }

        protected void doNOLENGTH() throws IOException {
            sendResponse(200);
            sendHeader("Content-Type", "text/plain");
            endHeaders();
            wfile.write("no length here".getBytes(StandardCharsets.UTF_8));
        }

        protected void doERROR() throws IOException {
            sendError(Integer.parseInt(path.substring(1)), "Short Message", "This is a long \n explanation");
        }

        protected void doHEAD() throws IOException {
            sendError(Integer.parseInt(path.substring(1)));
        }

        protected void doBREAKMID() throws IOException {
            sendResponse(200);
            endHeaders();
            wfile.write("partial".getBytes(StandardCharsets.UTF_8));
            wfile.flush();
            throw new IllegalStateException("failed half way");
        }

        protected void doTHROW() {
            throw new IllegalStateException("boom");
        }

        protected void doLATINONEHEADER() throws IOException {
            sendResponse(999);
            sendHeader("X-Special", "D\u00e4ngerous Mind");
            sendHeader("Connection", "close");
            endHeaders();
            wfile.write(headers.get("x-special-incoming").getBytes(StandardCharsets.UTF_8));
        }

        void reply(int code, String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            sendResponse(code);
            sendHeader("Content-Type", "text/plain; charset=utf-8");
            sendHeader("Content-Length", Integer.toString(body.length));
            endHeaders();
            wfile.write(body);
        }
    }

    private final List<HttpServer> servers = new ArrayList<>();

    private HttpServer start(Supplier<? extends BaseHttpRequestHandler> handler, boolean threading) {
        HttpServer server = HttpServer.builder().address("127.0.0.1", 0).handler(handler).threading(threading).build();
        servers.add(server);
        return server.start();
    }

    private RawHttp connect(HttpServer server) throws IOException {
        return new RawHttp("127.0.0.1", server.serverPort());
    }

    @AfterEach
    void stop() {
        servers.forEach(HttpServer::close);
    }

    @Test
    void doMethodsAnswerOverHttp11KeepAlive() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            Response r1 = c.read();
            assertEquals("HTTP/1.1 200 OK", r1.statusLine);
            assertEquals("GET /a?b=1 HTTP/1.1", r1.text());
            assertTrue(r1.header("Server").startsWith("BaseHTTP/0.6 Java/"), r1.header("Server"));
            assertTrue(r1.header("Date").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"));
            c.send("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
            Response r2 = c.read();
            assertEquals(201, r2.status());
            assertEquals("POST 5 hello", r2.text());
            c.send("SPAM / HTTP/1.1\r\nX-Spam: eggs\r\n\r\n");
            assertEquals("SPAM eggs", c.read().text());
        }
    }

    @Test
    void protocolHttp10ClosesAfterEachResponse() throws Exception {
        HttpServer server = start(() -> new Echo() {
            {
                protocolVersion = "HTTP/1.0";
            }
        }, true);
        try (RawHttp c = connect(server)) {
            c.send("GET / HTTP/1.1\r\n\r\n");
            Response r = c.read();
            assertEquals("HTTP/1.0 200 OK", r.statusLine);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void http10ClientWithKeepAliveKeepsTheConnection() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("GET /1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("GET /1 HTTP/1.0", c.read().text());
            c.send("GET /2 HTTP/1.0\r\n\r\n");
            assertEquals("GET /2 HTTP/1.0", c.read().text());
            assertTrue(c.closedByServer(), "HTTP/1.0 without keep-alive closes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection: keep-alive, close", "Connection: Close , TE", "Connection: keep-alive\r\nConnection: close"})
    void aCloseOptionAnywhereInConnectionEndsTheConnection(String fields) throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("GET /1 HTTP/1.1\r\n" + fields + "\r\n\r\n");
            assertEquals("GET /1 HTTP/1.1", c.read().text());
            assertTrue(c.closedByServer(), "RFC 9112 9.6: closed after the response to " + fields);
        }
        try (RawHttp c = connect(server)) {
            c.send("GET /1 HTTP/1.0\r\nConnection: TE, keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n");
            assertEquals("GET /1 HTTP/1.0", c.read().text());
            assertEquals("GET /2 HTTP/1.0", c.read().text(), "keep-alive among the options keeps it");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "SPAM2", "Get", "PATCH"})
    void unknownMethodGets501WithCpythonMessage(String method) throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send(method + " / HTTP/1.1\r\n\r\n");
            Response r = c.read();
            assertEquals(501, r.status());
            assertEquals("Unsupported method ('" + method + "')", r.reason());
            assertTrue(r.text().contains("<p>Message: Unsupported method (&#x27;" + method + "&#x27;).</p>")
                    || r.text().contains("<p>Message: Unsupported method ('" + method + "').</p>"), r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void sendErrorWithMessageAndExplain() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("ERROR /999 HTTP/1.1\r\n\r\n");
            Response r = c.read();
            assertEquals("HTTP/1.1 999 Short Message", r.statusLine);
            assertEquals("text/html;charset=utf-8", r.header("Content-Type"));
            assertEquals(Integer.toString(r.body.length), r.header("Content-Length"));
            String page = r.text();
            assertTrue(page.contains("<p>Error code: 999</p>"), page);
            assertTrue(page.contains("<p>Message: Short Message.</p>"), page);
            assertTrue(page.contains("<p>Error code explanation: 999 - This is a long \n explanation.</p>"), page);
        }
    }

    @Test
    void sendErrorEscapesHtml() throws Exception {
        HttpServer server = start(() -> new Echo() {
            @Override
            protected void doGET() throws IOException {
                sendError(404, "<script>alert(1)</script>&");
            }
        }, true);
        try (RawHttp c = connect(server)) {
            c.send("GET / HTTP/1.1\r\n\r\n");
            Response r = c.read();
            assertTrue(r.text().contains("Message: &lt;script&gt;alert(1)&lt;/script&gt;&amp;."), r.text());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 205, 304})
    void sendErrorHasNoBodyFor204And205And304(int code) throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("ERROR /" + code + " HTTP/1.1\r\n\r\n");
            Response r = c.read();
            assertEquals(code, r.status());
            assertNull(r.header("Content-Type"));
            if (code == 205) {
                // 205 has no Content-Length from sendError, so the server ends it by closing
                assertEquals("", c.readToEnd());
            }
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void headGetsHeadersWithoutBody() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("HEAD /404 HTTP/1.1\r\n\r\n");
            Response r = c.read(true);
            assertEquals(404, r.status());
            assertTrue(Integer.parseInt(r.header("Content-Length")) > 0);
            assertEquals("", c.readToEnd(), "no body after the head");
        }
    }

    @Test
    void latinOneHeadersRoundTrip() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("LATINONEHEADER / HTTP/1.1\r\nX-Special-Incoming: \u00c4rger mit Unicode\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Response r = c.read();
            assertEquals(999, r.status());
            assertEquals("D\u00e4ngerous Mind", r.header("X-Special"));
            assertEquals("\u00c4rger mit Unicode", r.text());
        }
    }

    @Test
    void chunkedRequestBodyIsReadWhole() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n");
            Response r = c.read();
            assertEquals("POST 11 hello world", r.text());
            c.send("GET /after HTTP/1.1\r\n\r\n");
            assertEquals("GET /after HTTP/1.1", c.read().text(), "the body never leaks into the next request");
        }
    }

    @Test
    void unreadBodyIsDiscardedBeforeTheNextRequest() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("GET /first HTTP/1.1\r\nContent-Length: 10\r\n\r\nGET /evil ");
            assertEquals("GET /first HTTP/1.1", c.read().text());
            c.send("GET /second HTTP/1.1\r\n\r\n");
            assertEquals("GET /second HTTP/1.1", c.read().text());
        }
    }

    @Test
    void responseWithoutLengthIsChunkedOnHttp11() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("NOLENGTH / HTTP/1.1\r\n\r\n");
            Response r = c.read();
            assertEquals("chunked", r.framing);
            assertEquals("no length here", r.text());
            c.send("GET /again HTTP/1.1\r\n\r\n");
            assertEquals("GET /again HTTP/1.1", c.read().text(), "the connection stays usable");
        }
    }

    @Test
    void responseWithoutLengthIsCloseDelimitedOnHttp10() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("NOLENGTH / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            Response r = c.read();
            assertEquals("close", r.framing);
            assertEquals("no length here", r.text());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\n\r\n");
            assertEquals("GET /1 HTTP/1.1", c.read().text());
            assertEquals("POST 3 abc", c.read().text());
            assertEquals("GET /3 HTTP/1.1", c.read().text());
        }
    }

    @Test
    void handlerExceptionGives500AndTheServerKeepsServing() throws Exception {
        HttpServer server = start(Echo::new, true);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (RawHttp c = connect(server)) {
            c.send("THROW / HTTP/1.1\r\n\r\n");
            Response r = c.read();
            assertEquals(500, r.status());
            assertTrue(c.closedByServer());
        } finally {
            System.setErr(saved);
        }
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("java.lang.IllegalStateException: boom"), err.toString());
        try (RawHttp c = connect(server)) {
            c.send("GET /ok HTTP/1.1\r\n\r\n");
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void failureAfterTheHeadLeavesAVisiblyCutResponse() throws Exception {
        HttpServer server = start(Echo::new, true);
        PrintStream saved = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true));
        String raw;
        try (RawHttp c = connect(server)) {
            c.send("BREAKMID / HTTP/1.1\r\n\r\n");
            raw = c.readToEnd();
        } finally {
            System.setErr(saved);
        }
        assertTrue(raw.startsWith("HTTP/1.1 200 OK"), raw);
        assertTrue(raw.contains("partial"), raw);
        assertTrue(!raw.endsWith("0\r\n\r\n"), "no terminating chunk: the cut must show\n" + raw);
    }

    @Test
    void logLinesEscapeControlCharacters() throws Exception {
        HttpServer server = start(() -> new BaseHttpRequestHandler() {
            protected void doGET() throws IOException {
                sendError(400, "bad\u0001\u001b[31mred\\");
            }
        }, true);
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (RawHttp c = connect(server)) {
            c.send("GET /x HTTP/1.0\r\n\r\n");
            c.read();
            BaseHttpRequestHandler.flushLog();
        } finally {
            System.setErr(saved);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(log.matches("(?s)127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4} \\d{2}:\\d{2}:\\d{2}\\] "
                + "code 400, message bad\\\\x01\\\\x1b\\[31mred\\\\\\\\\n.*"), log);
        assertTrue(log.contains("\"GET /x HTTP/1.0\" 400 -"), log);
    }

    @Test
    void expect100ContinueSendsInterimResponseFirst() throws Exception {
        HttpServer server = start(Echo::new, true);
        try (RawHttp c = connect(server)) {
            c.send("POST / HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            Response interim = c.read();
            assertEquals("HTTP/1.1 100 Continue", interim.statusLine);
            c.send("data");
            assertEquals("POST 4 data", c.read().text());
        }
    }

    @Test
    void handleExpect100CanRefuse() throws Exception {
        HttpServer server = start(() -> new Echo() {
            @Override
            protected boolean handleExpect100() throws IOException {
                sendError(417);
                return false;
            }
        }, true);
        try (RawHttp c = connect(server)) {
            c.send("POST / HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(417, c.read().status());
        }
    }

    @Test
    void jdkHttpClientTalksToIt() throws Exception {
        HttpServer server = start(Echo::new, true);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI base = URI.create("http://127.0.0.1:" + server.serverPort());
        HttpResponse<String> get = client.send(HttpRequest.newBuilder(base.resolve("/x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get.statusCode());
        assertEquals("GET /x HTTP/1.1", get.body());
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/y"))
                .POST(HttpRequest.BodyPublishers.ofString("abc")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("POST 3 abc", post.body());
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(base.resolve("/z"))
                .method("NOLENGTH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("no length here", chunked.body());
    }

    @Test
    void httpServerSerialisesWhileThreadingServerOverlaps() throws Exception {
        for (boolean threading : new boolean[] {false, true}) {
            java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger maxInside = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.CountDownLatch slowInside = new java.util.concurrent.CountDownLatch(1);
            HttpServer server = start(() -> new Echo() {
                @Override
                protected void doGET() throws IOException {
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    if (path.equals("/slow")) {
                        slowInside.countDown();
                    }
                    try {
                        Thread.sleep(path.equals("/slow") ? 700 : 10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    inside.decrementAndGet();
                    super.doGET();
                }
            }, threading);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI base = URI.create("http://127.0.0.1:" + server.serverPort());
            var slow = client.sendAsync(HttpRequest.newBuilder(base.resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(slowInside.await(10, java.util.concurrent.TimeUnit.SECONDS), "the slow request is in its handler");
            long t0 = System.nanoTime();
            var fast = client.send(HttpRequest.newBuilder(base.resolve("/fast")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            boolean fastFinishedFirst = !slow.isDone();
            assertEquals(200, fast.statusCode());
            assertEquals(200, slow.get().statusCode());
            if (threading) {
                assertEquals(2, maxInside.get(), "ThreadingHttpServer runs both at once");
                assertTrue(fastFinishedFirst, "the fast request does not wait for the slow one");
            } else {
                assertEquals(1, maxInside.get(), "HttpServer runs one request at a time");
                assertTrue(System.nanoTime() - t0 > 300_000_000L, "the fast request waited for the slow one");
            }
        }
    }
}
