package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httpserver.api.BaseHttpRequestHandler;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handler of the test's own, one server for the class. */
@Timeout(60)
class HandlerServerTest {

    /** Echoes POST bodies, says which path a GET asked for, ignores the body of a PUT, fails on DELETE. */
    static class Echo extends BaseHttpRequestHandler {
        Echo() {
            protocolVersion = "HTTP/1.1";
        }

        protected void doGET() throws IOException {
            send(200, ("you asked for " + path).getBytes(StandardCharsets.UTF_8));
        }

        protected void doPOST() throws IOException {
            int length = Integer.parseInt(headers.get("Content-Length", "0"));
            send(200, rfile.readNBytes(length));
        }

        protected void doPUT() throws IOException {
            send(201, new byte[0]);
        }

        protected void doDELETE() {
            throw new IllegalStateException("this handler fails on purpose");
        }

        private void send(int code, byte[] body) throws IOException {
            sendResponse(code);
            sendHeader("Content-Length", Integer.toString(body.length));
            endHeaders();
            wfile.write(body);
        }

        @Override
        public void logMessage(String format, Object... args) {
            // quiet
        }
    }

    @RegisterExtension
    static final HttpServerExtension server = HttpServerExtension.handler(Echo::new);

    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    static HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theHandlerAnswersAndTheRequestIsRecorded() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(server.url("/who?me=1")));
        assertEquals("you asked for /who?me=1", new String(r.body(), StandardCharsets.UTF_8));
        RecordedRequest request = server.takeRequest();
        assertEquals("GET", request.method());
        assertEquals("/who?me=1", request.path());
        assertEquals(0, request.bodySize());
    }

    @Test
    void aBodyTheHandlerReadsIsRecordedAndStillReachesIt() throws Exception {
        byte[] body = new byte[300_000];
        new Random(2).nextBytes(body);
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(server.url("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertArrayEquals(body, r.body(), "the handler read the whole body");
        assertArrayEquals(body, server.takeRequest().body());
    }

    @Test
    void aBodyTheHandlerIgnoresIsRecordedAndTheConnectionGoesOn() throws Exception {
        Curl.Result r = Curl.run("-X", "PUT", "--data-binary", "not read", "-w", "%{http_code} ",
                server.url("/put").toString(),
                "--next", "--silent", "--show-error", "-w", "%{http_code} ", server.url("/after").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("201 you asked for /after200 ", r.out());
        RecordedRequest put = server.takeRequest();
        assertEquals("PUT", put.method());
        assertEquals("not read", put.bodyAsString());
        RecordedRequest get = server.takeRequest();
        assertEquals("/after", get.path());
        assertEquals(put.sequenceNumber() + 1, get.sequenceNumber());
    }

    @Test
    void aFailingHandlerGives500AndIsRecorded() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(server.url("/boom")).DELETE());
        assertEquals(500, r.statusCode());
        assertEquals("DELETE", server.takeRequest().method());
    }

    @Test
    void anUnknownMethodIs501AndIsRecorded() throws Exception {
        HttpResponse<byte[]> r = send(HttpRequest.newBuilder(server.url("/x"))
                .method("BREW", HttpRequest.BodyPublishers.ofString("coffee")));
        assertEquals(501, r.statusCode());
        RecordedRequest request = server.takeRequest();
        assertEquals("BREW", request.method());
        assertEquals("coffee", request.bodyAsString());
    }

    @Test
    void aMalformedRequestIsAnsweredAndRecorded() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String status = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 400", status);
        }
        RecordedRequest request = server.takeRequest();
        assertEquals("GET /a b c HTTP/1.1", request.requestLine());
    }
}
