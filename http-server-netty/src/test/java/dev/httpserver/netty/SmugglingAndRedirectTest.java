package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request smuggling by ambiguous framing, the version's case, and open redirects: what a proxy in
 * front of the server could read differently is refused with 400 and the connection closed. (Netty's
 * decoder already refuses repeated Content-Length fields on HTTP/1.1.)
 */
@Timeout(30)
class SmugglingAndRedirectTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger deletes = new AtomicInteger();

    /** Counts DELETEs: the request a smuggler would hide in a body. */
    final class Counting extends BaseHttpRequestHandler {
        Counting() {
            protocolVersion = "HTTP/1.1";
        }

        protected void doGET() throws IOException {
            byte[] body = "ok\n".getBytes(StandardCharsets.US_ASCII);
            sendResponse(200);
            sendHeader("Content-Length", String.valueOf(body.length));
            endHeaders();
            wfile.write(body);
        }

        protected void doDELETE() throws IOException {
            deletes.incrementAndGet();
            sendResponse(204);
            endHeaders();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RawHttp connect() throws IOException {
        return new RawHttp("127.0.0.1", server.serverPort());
    }

    @Test
    void repeatedLengthsOnHttp10KeepAliveEndTheConnectionSoTheBodyIsNeverARequest() throws Exception {
        // Netty merges an HTTP/1.0 request's repeated Content-Length fields into the first before the
        // server sees them: the request is answered, then the connection closes.
        server = HttpServer.builder().handler(Counting::new).build().start();
        String hidden = "DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp c = connect()) {
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 0\r\nContent-Length: "
                    + hidden.length() + "\r\n\r\n" + hidden);
            RawHttp.Response r = c.read();
            assertEquals("close", r.header("Connection"), "the last response on this connection");
            assertTrue(c.closedByServer(), "nothing after the body is read as a request");
        }
        assertEquals(0, deletes.get(), "the body was never served as a request");
    }

    @Test
    void http10KeepAliveWithoutABodyStaysOpen() throws Exception {
        server = HttpServer.builder().handler(Counting::new).build().start();
        try (RawHttp c = connect()) {
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(200, c.read().status());
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertEquals(200, c.read().status(), "CPython's keep-alive for HTTP/1.0 is unchanged");
        }
    }

    @Test
    void aCommaListOfDifferingLengthsIsRefused() throws Exception {
        server = HttpServer.builder().handler(Counting::new).build().start();
        try (RawHttp c = connect()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 5\r\n\r\nabcde");
            assertEquals(400, c.read().status());
        }
    }

    @Test
    void transferEncodingWithContentLengthIsRefused() throws Exception {
        server = HttpServer.builder().handler(Counting::new).build().start();
        String hidden = "DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp c = connect()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + hidden);
            assertEquals(400, c.read().status());
            assertTrue(c.closedByServer());
        }
        assertEquals(0, deletes.get());
    }

    @Test
    void transferEncodingOnHttp10IsRefused() throws Exception {
        server = HttpServer.builder().handler(Counting::new).build().start();
        try (RawHttp c = connect()) {
            c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            assertEquals(400, c.read().status());
        }
    }

    @Test
    void theVersionIsCaseSensitive() throws Exception {
        server = HttpServer.builder().handler(Counting::new).build().start();
        try (RawHttp c = connect()) {
            c.send("GET / http/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(400, r.status());
            assertTrue(r.text().contains("Bad request version"), r.text());
        }
        try (RawHttp c = connect()) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, c.read().status(), "the exact form is served");
        }
    }

    @Test
    void aBackslashAfterTheFirstSlashNeverMakesAnOffSiteRedirect() throws Exception {
        Files.createDirectories(dir.resolve("evil.example"));
        server = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1")).build().start();
        for (String target : new String[] {"/\\evil.example", "/\\/evil.example", "//\\evil.example", "/\\\\evil.example"}) {
            try (RawHttp c = connect()) {
                c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                RawHttp.Response r = c.read();
                String location = r.header("Location");
                assertEquals(301, r.status(), target);
                assertFalse(location.startsWith("//") || location.startsWith("/\\") || location.startsWith("\\"),
                        target + " redirected to " + location);
                assertEquals("/evil.example/", location, target);
            }
        }
    }
}
