package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * Request lines CPython accepts and Netty's decoder alone would not: a bare LF as the line end, runs
 * of spaces, HTTP/0.9, leading zeros in the version, a method that is not a token, a line of exactly
 * 65,536 bytes; and where that leniency stops, because a proxy could frame the request differently.
 */
@Timeout(30)
class RequestLineLeniencyTest {

    @TempDir
    Path dir;
    private HttpServer server;
    private final AtomicInteger deletes = new AtomicInteger();

    /** Echoes what the handler saw; counts DELETEs, the request a smuggler would hide in a body. */
    final class Echo extends BaseHttpRequestHandler {
        Echo() {
            protocolVersion = "HTTP/1.1";
        }

        @Override
        public void logMessage(String format, Object... args) {
        }

        protected void doGET() throws IOException {
            byte[] body = (command + " " + path + " " + requestVersion).getBytes(StandardCharsets.ISO_8859_1);
            sendResponse(200);
            sendHeader("Content-Length", String.valueOf(body.length));
            endHeaders();
            wfile.write(body);
        }

        protected void doPOST() throws IOException {
            byte[] body = rfile.readAllBytes();
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

        protected void doRESET() throws IOException {
            sendError(205);
        }
    }

    /** CPython's test handler: no doGET, and a default version of HTTP/1.1 for lines without one. */
    static final class NoGet extends BaseHttpRequestHandler {
        NoGet() {
            protocolVersion = "HTTP/1.1";
            defaultRequestVersion = "HTTP/1.1";
        }

        @Override
        public void logMessage(String format, Object... args) {
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void echo() {
        server = HttpServer.builder().handler(Echo::new).build().start();
    }

    private RawHttp connect() throws IOException {
        return new RawHttp("127.0.0.1", server.serverPort());
    }

    private RawHttp.Response exchange(String raw) throws IOException {
        try (RawHttp c = connect()) {
            c.send(raw);
            return c.read();
        }
    }

    private void stillServing() throws IOException {
        assertEquals(200, exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").status());
    }

    @Test
    void aBareLfEndsTheRequestLineAndTheMethodIsJudgedNext() throws Exception {
        echo();
        // CPython's test_request_line_trimming: the version 'HTTP/1.1\n' still reaches the method check
        RawHttp.Response r = exchange("XYZBOGUS / HTTP/1.1\n\r\nHost: x\r\n\r\n");
        assertEquals(501, r.status(), r.statusLine);
        assertEquals("Unsupported method ('XYZBOGUS')", r.reason());
        stillServing();
    }

    @Test
    void bareLfLineEndsWithoutFramingFieldsAreServedOnAKeptConnection() throws Exception {
        echo();
        try (RawHttp c = connect()) {
            c.send("GET /a HTTP/1.1\nHost: x\nAccept: */*\n\n");
            RawHttp.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("GET /a HTTP/1.1", r.text());
            c.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("GET /b HTTP/1.1", c.read().text(), "the connection goes on");
        }
    }

    @Test
    void aBareLfInAHeadWithContentLengthIsRefusedSoNoBodyHidesARequest() throws Exception {
        echo();
        String hidden = "DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n";
        try (RawHttp c = connect()) {
            // A proxy ending lines at CRLF only sees one field "X" here, and no Content-Length.
            c.send("POST / HTTP/1.1\r\nHost: x\r\nX: a\nContent-Length: " + hidden.length() + "\r\n\r\n" + hidden);
            RawHttp.Response r = c.read();
            assertEquals(400, r.status(), r.statusLine);
            assertTrue(c.closedByServer(), "nothing after the refused head is read");
        }
        assertEquals(0, deletes.get());
        stillServing();
    }

    @Test
    void aBareLfInAHeadWithTransferEncodingIsRefused() throws Exception {
        echo();
        try (RawHttp c = connect()) {
            c.send("POST / HTTP/1.1\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nDELETE /x HTTP/1.1\r\n\r\n");
            assertEquals(400, c.read().status());
            assertTrue(c.closedByServer());
        }
        assertEquals(0, deletes.get());
    }

    @Test
    void aBareLfInTheTrailersOfAChunkedBodyIsRefused() throws Exception {
        echo();
        try (RawHttp c = connect()) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: y\n\n"
                    + "DELETE /x HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(400, c.read().status());
            assertTrue(c.closedByServer());
        }
        assertEquals(0, deletes.get());
    }

    @Test
    void runsOfSpacesBetweenTheWordsAreAccepted() throws Exception {
        echo();
        RawHttp.Response r = exchange("GET   /spaced    HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, r.status());
        assertEquals("GET /spaced HTTP/1.1", r.text());
    }

    @Test
    void whiteSpaceAfterTheVersionIsNothingAsInCpython() throws Exception {
        echo();
        assertEquals("GET /t HTTP/1.1", exchange("GET /t HTTP/1.1 \t \r\nHost: x\r\n\r\n").text());
        try (RawHttp c = connect()) {
            // the line arriving in pieces, after a blank line, and a second request on the same connection
            for (String piece : new String[] {"\r\nGET /p", "iece HTT", "P/1.1  ", " \r", "\nHost: x\r\n\r\n"}) {
                c.send(piece);
                Thread.sleep(20);
            }
            assertEquals("GET /piece HTTP/1.1", c.read().text());
            c.send("GET /again HTTP/1.1 \nHost: x\r\n\r\n");
            assertEquals("GET /again HTTP/1.1", c.read().text());
        }
        // CPython's test_version_none_get sends "GET / " (no version, a space after the path)
        server.close();
        server = HttpServer.builder().handler(NoGet::new).build().start();
        assertEquals(501, exchange("GET / \r\nHost: x\r\n\r\n").status());
    }

    @Test
    void theWordsAreSplitWhereCpythonSplitsThem() throws Exception {
        echo();
        // NBSP, 0x1F and 0x85 are white space to Python's str.split(), not to Netty's decoder
        assertEquals("GET /a HTTP/1.1", exchange("GET\u00a0/a\u00a0HTTP/1.1\r\nHost: x\r\n\r\n").text());
        assertEquals("GET /b HTTP/1.1", exchange("GET /b\u001fHTTP/1.1\r\nHost: x\r\n\r\n").text());
        assertEquals(400, exchange("GET /c\u0085d HTTP/1.1\r\nHost: x\r\n\r\n").status(), "four words");
    }

    @Test
    void leadingZerosInTheVersionAreRead() throws Exception {
        echo();
        RawHttp.Response r = exchange("GET /z HTTP/01.01\r\nHost: x\r\n\r\n");
        assertEquals(200, r.status(), r.statusLine);
        assertEquals("GET /z HTTP/01.01", r.text(), "the version as sent, as CPython keeps it");
        RawHttp.Response tooLong = exchange("GET /z HTTP/1.00000000001\r\nHost: x\r\n\r\n");
        assertEquals(400, tooLong.status(), "more than 10 digits: CPython's 'unreasonable length'");
    }

    @Test
    void aMethodMadeOfHtmlGets501WithTheNameEscaped() throws Exception {
        echo();
        try (RawHttp c = connect()) {
            c.send("<script>alert(\"x\")</script> / HTTP/1.0\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(501, r.status(), r.statusLine);
            String page = r.text();
            assertFalse(page.contains("<script>"), page);
            assertTrue(page.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt;"), page); // html.escape(quote=False)
        }
        stillServing();
    }

    @Test
    void aSimpleGetIsAnsweredWithTheFileAlone() throws Exception {
        byte[] content = "<html><body>Data</body></html>\r\n".getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("hello.html"), content);
        server = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.0")).build().start();
        for (String line : new String[] {"GET /hello.html\r\n\r\n", "GET /hello.html HTTP/0.9\r\n\r\n"}) {
            try (RawHttp c = connect()) {
                c.send(line);
                byte[] got = c.readToEnd().getBytes(StandardCharsets.ISO_8859_1);
                assertArrayEquals(content, got, "HTTP/0.9: the body alone, then the connection closes (" + line.trim() + ")");
            }
        }
    }

    @Test
    void aSimpleRequestIsTakenAtItsLineEndAndNothingAfterItIsRead() throws Exception {
        // CPython 3.14's HTTP09ServerTestCase: a simple request has no header fields, so none are awaited
        echo();
        try (RawHttp c = connect()) {
            c.send("GET /index.html\r\n");
            assertEquals("GET /index.html HTTP/0.9", c.readToEnd(), "answered without a blank line, then closed");
        }
        try (RawHttp c = connect()) {
            c.send("GET /foo.html\r\nGET /bar.html\r\n");
            assertEquals("GET /foo.html HTTP/0.9", c.readToEnd(), "the second line is never read as a request");
        }
        try (RawHttp c = connect()) {
            c.send("\r\nGET\t/tab.html \r\nHost: x\r\n\r\n");
            assertEquals("GET /tab.html HTTP/0.9", c.readToEnd(), "CPython's split(): any white space between the words");
        }
        try (RawHttp c = connect()) {
            c.send("POST /index.html\r\n");
            RawHttp.Response r = c.read();
            assertEquals(400, r.status());
            assertEquals("Bad HTTP/0.9 request type ('POST')", r.reason());
            assertTrue(c.closedByServer());
        }
        stillServing();
    }

    @Test
    void http09IsOnlyTheFirstRequestOfAConnection() throws Exception {
        Files.writeString(dir.resolve("hello.html"), "hello");
        server = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1")).build().start();
        try (RawHttp c = connect()) {
            // after a response, a body without a status line would read as the start of the next response
            c.send("GET /hello.html HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.html\r\n\r\n");
            assertEquals("hello", c.read().text());
            RawHttp.Response second = c.read();
            assertEquals(400, second.status(), second.statusLine);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void aSimpleRequestOtherThanGetIsRefused() throws Exception {
        echo();
        try (RawHttp c = connect()) {
            c.send("POST /\r\n\r\n");
            RawHttp.Response r = c.read();
            assertEquals(400, r.status());
            assertEquals("Bad HTTP/0.9 request type ('POST')", r.reason());
        }
    }

    @Test
    void aLineWithoutVersionToAHandlerWithoutDoGetGets501() throws Exception {
        // CPython's test_version_none_get: default_request_version is HTTP/1.1 there, so a status line comes
        server = HttpServer.builder().handler(NoGet::new).build().start();
        RawHttp.Response r = exchange("GET /\r\nHost: x\r\n\r\n");
        assertEquals(501, r.status(), r.statusLine);
    }

    @Test
    void theRequestLineMayBe65536BytesWithItsLineEndAndNotOneMore() throws Exception {
        echo();
        String prefix = "GET /";
        String suffix = " HTTP/1.1";
        for (String end : new String[] {"\r\n", "\n"}) {
            int fits = 65536 - end.length() - prefix.length() - suffix.length();
            String longest = prefix + "a".repeat(fits) + suffix + end;
            assertEquals(65536, longest.length());
            assertEquals(200, exchange(longest + "Host: x\r\n\r\n").status(), "65,536 bytes with " + end.length());
            String over = prefix + "a".repeat(fits + 1) + suffix + end;
            assertEquals(414, exchange(over + "Host: x\r\n\r\n").status(), "65,537 bytes with " + end.length());
        }
        stillServing();
    }

    @Test
    void sendError205HasNoLengthAndEndsTheConnection() throws Exception {
        echo();
        try (RawHttp c = connect()) {
            c.send("RESET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response r = c.read(true);
            assertEquals(205, r.status());
            assertNull(r.header("Content-Length"), "CPython sends no length with 205: " + r.headers);
            assertNull(r.header("Transfer-Encoding"));
            assertEquals("close", r.header("Connection"));
            assertTrue(c.closedByServer(), "without a length, the connection ends the response");
        }
    }
}
