package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defences that nothing else would show missing: each test here fails if its guard is taken out
 * (response splitting through a header value, a body longer than its Content-Length read as a second
 * response, the header-block cap, repeated Content-Length fields).
 */
@Timeout(30)
class HardeningGuardsTest {

    private HttpServer server;
    private final AtomicInteger posts = new AtomicInteger();

    final class Handler extends BaseHttpRequestHandler {
        Handler() {
            protocolVersion = "HTTP/1.1";
        }

        @Override
        public void logMessage(String format, Object... args) {
        }

        @Override
        public void logError(String format, Object... args) {
        }

        protected void doGET() throws IOException {
            if (path.equals("/split")) {
                sendResponse(200);
                try {
                    sendHeader("X-Note", "a\r\nSet-Cookie: session=evil");
                } catch (IllegalArgumentException refused) {
                    sendHeader("X-Refused", "yes");
                }
                try {
                    sendHeader("X-Lf", "a\nSet-Cookie: session=evil2");
                } catch (IllegalArgumentException refused) {
                    sendHeader("X-Refused-Lf", "yes");
                }
                sendHeader("Content-Length", "2");
                endHeaders();
                wfile.write("ok".getBytes(StandardCharsets.US_ASCII));
            } else if (path.equals("/long")) {
                String smuggled = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil";
                sendResponse(200);
                sendHeader("Content-Length", "5");
                endHeaders();
                wfile.write(("hello" + smuggled).getBytes(StandardCharsets.US_ASCII));
            } else {
                byte[] body = ("fine " + path).getBytes(StandardCharsets.US_ASCII);
                sendResponse(200);
                sendHeader("Content-Length", String.valueOf(body.length));
                endHeaders();
                wfile.write(body);
            }
        }

        protected void doPOST() throws IOException {
            posts.incrementAndGet();
            rfile.readAllBytes();
            sendResponse(204);
            endHeaders();
        }
    }

    @BeforeEach
    void start() {
        server = HttpServer.builder().handler(Handler::new).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawHttp connect() throws IOException {
        return new RawHttp("127.0.0.1", server.serverPort());
    }

    @Test
    void aHeaderValueWithCrOrLfNeverSplitsTheResponse() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET /split HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertNull(r.header("Set-Cookie"), "no header injected through a value: " + r.headers);
            assertEquals("yes", r.header("X-Refused"), "CR LF in a value is refused");
            assertEquals("yes", r.header("X-Refused-Lf"), "a bare LF in a value is refused");
            assertEquals("ok", r.text());
        }
    }

    @Test
    void aBodyLongerThanItsContentLengthNeverReachesTheClientAsAResponse() throws Exception {
        try (RawHttp c = connect()) {
            c.send("GET /long HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals("hello", r.text());
            String rest = c.readToEnd(); // the excess ends the connection (its head had already gone)
            assertFalse(rest.contains("evil"), "the bytes past the length were sent: " + rest);
            assertEquals("", rest);
        }
        try (RawHttp c = connect()) {
            c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("fine /next", c.read().text(), "the server keeps serving");
        }
    }

    @Test
    void aHeaderBlockOverTheCapGets431() throws Exception {
        // three lines of 45 KiB: each under CPython's 64 KiB line limit, together over the 128 KiB block
        String value = "v".repeat(45 * 1024);
        StringBuilder request = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 3; i++) {
            request.append("X-Big-").append(i).append(": ").append(value).append("\r\n");
        }
        try (RawHttp c = connect()) {
            c.send(request.append("\r\n").toString());
            RawHttp.Response r = c.read();
            assertEquals(431, r.status(), r.statusLine);
        }
        // just under the cap is served: the limit is the block's size, not the number of lines
        StringBuilder under = new StringBuilder("GET /under HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 2; i++) {
            under.append("X-Big-").append(i).append(": ").append(value).append("\r\n");
        }
        try (RawHttp c = connect()) {
            c.send(under.append("\r\n").toString());
            assertEquals(200, c.read().status());
        }
    }

    @Test
    void repeatedContentLengthFieldsAreRefusedOnHttp11() throws Exception {
        String hidden = "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";
        for (String lengths : new String[] {
            "Content-Length: 5\r\nContent-Length: 5\r\n", // the same value twice
            "Content-Length: 5\r\nContent-Length: " + (5 + hidden.length()) + "\r\n", // differing values
            "Content-Length: 5, 5\r\n"}) {
            try (RawHttp c = connect()) {
                c.send("POST / HTTP/1.1\r\nHost: x\r\n" + lengths + "\r\nhello" + hidden);
                RawHttp.Response r = c.read();
                assertEquals(400, r.status(), lengths + " -> " + r.statusLine);
                assertTrue(c.closedByServer(), "nothing after the refused head is read: " + lengths);
            }
        }
        assertEquals(0, posts.get(), "neither the request nor the one in its body was served");
    }
}
