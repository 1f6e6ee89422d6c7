package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.testing.RawHttp.Response;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed input gets CPython's status and error page, the connection closes, and the server keeps serving. */
@Timeout(60)
class MalformedRequestTest {

    static HttpServer server;

    @BeforeAll
    static void start() {
        server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), BaseHandlerTest.Echo::new);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Response exchange(String raw) throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send(raw);
            Response r = c.read();
            assertTrue(c.closedByServer(), "the connection is closed after " + r.statusLine);
            return r;
        }
    }

    private static void stillServing() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /ok HTTP/1.1\r\n\r\n");
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void longRequestLineGets414() throws Exception {
        Response r = exchange("GET /" + "x".repeat(65537) + " HTTP/1.1\r\n\r\n");
        assertEquals(414, r.status());
        assertTrue(r.text().contains("Error code: 414"));
        stillServing();
    }

    @Test
    void longHeaderLineGets431() throws Exception {
        Response r = exchange("GET / HTTP/1.1\r\nX-Foo: " + "r".repeat(65537) + "\r\n\r\n");
        assertEquals(431, r.status());
        assertEquals("Line too long", r.reason());
        stillServing();
    }

    @Test
    void tooManyHeadersGets431() throws Exception {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 101; i++) {
            sb.append("X-H").append(i).append(": v\r\n");
        }
        Response r = exchange(sb.append("\r\n").toString());
        assertEquals(431, r.status());
        assertEquals("Too many headers", r.reason());
        assertTrue(r.text().contains("got more than 100 headers"), r.text());
        stillServing();
    }

    @Test
    void hundredHeadersAreFine() throws Exception {
        StringBuilder sb = new StringBuilder("GET /ok HTTP/1.1\r\n");
        for (int i = 0; i < 99; i++) {
            sb.append("X-H").append(i).append(": v\r\n");
        }
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send(sb.append("Connection: close\r\n\r\n").toString());
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void badVersionGets400() throws Exception {
        Response r = exchange("GET / FOO/1.1\r\n\r\n");
        assertEquals(400, r.status());
        assertEquals("Bad request version ('FOO/1.1')", r.reason());
        stillServing();
    }

    @Test
    void majorVersionTwoGets505() throws Exception {
        Response r = exchange("GET / HTTP/2.1\r\n\r\n");
        assertEquals(505, r.status(), r.statusLine);
        assertEquals("Invalid HTTP version (2.1)", r.reason());
        Response r2 = exchange("GET / HTTP/2.0\r\n\r\n");
        assertEquals(505, r2.status(), "HTTP/2 is not spoken over an HTTP/1 connection");
        stillServing();
    }

    @Test
    void garbageGets400() throws Exception {
        Response r = exchange("\u0001\u0002garbage garbage\r\n\r\n");
        assertEquals(400, r.status());
        stillServing();
    }

    @Test
    void badLinesGetCpythonsMessages() throws Exception {
        assertEquals("Bad request syntax ('GARBAGE')", exchange("GARBAGE\r\n\r\n").reason());
        assertEquals("Bad HTTP/0.9 request type ('POST')", exchange("POST /\r\n\r\n").reason());
        assertEquals("Bad request version ('HTTP/1.x')", exchange("GET / HTTP/1.x\r\n\r\n").reason());
        stillServing();
    }

    @Test
    void aHeaderFieldTheDecoderRefusesIsNamedNotTheRequestLine() throws Exception {
        String[][] cases = {
            {"Content-Length: -1", "Bad request: Content-Length value is not a number: -1"},
            {"Content-Length: 1, 2", "Bad request: Multiple Content-Length values found: [1, 2]"},
            {"Bad Header: y", "Bad request: a header name can only contain \"token\" characters"},
            {"Transfer-Encoding: identity", "Bad request: The final transfer coding must be chunked"},
        };
        for (String[] c : cases) {
            Response r = exchange("GET /a.txt HTTP/1.1\r\nHost: x\r\n" + c[0] + "\r\n\r\n");
            assertEquals(400, r.status(), c[0]);
            assertTrue(r.reason().startsWith(c[1]), () -> c[0] + ": " + r.statusLine);
            assertTrue(r.text().contains("Message: " + c[1]), r::text);
            assertFalse(r.text().contains(".."), () -> "one full stop: " + r.text());
        }
        stillServing();
    }

    @Test
    void twoHostFieldsGet400() throws Exception {
        Response r = exchange("GET /ok HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
        assertEquals(400, r.status());
        assertEquals("Bad request: more than one Host header", r.reason());
        stillServing();
    }

    @Test
    void malformedChunkedBodyIsNeverPassedAsComplete() throws Exception {
        Response r = exchange("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n");
        assertEquals(400, r.status(), r.statusLine);
        stillServing();
    }

    @Test
    void unknownTransferCodingGets501() throws Exception {
        Response r = exchange("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n");
        assertEquals(501, r.status(), r.statusLine);
        stillServing();
    }

    @Test
    void bodyCutByAHalfCloseGets400() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc");
            c.shutdownOutput();
            assertEquals(400, c.read().status());
        }
        stillServing();
    }

    @Test
    void halfClosedClientIsStillAnswered() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
            c.shutdownOutput();
            assertEquals("GET /a HTTP/1.1", c.read().text());
            assertEquals("GET /b HTTP/1.1", c.read().text());
            assertTrue(c.closedByServer(), "then the server closes");
        }
    }

    @Test
    void spaceInTargetGets400() throws Exception {
        Response r = exchange("GET /a b HTTP/1.1\r\n\r\n");
        assertEquals(400, r.status());
        stillServing();
    }

    @Test
    void pathStartingWithDoubleSlashIsReduced() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET //evil.example/x HTTP/1.1\r\n\r\n");
            assertEquals("GET /evil.example/x HTTP/1.1", c.read().text());
        }
    }
}
