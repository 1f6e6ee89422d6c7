package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each {@link Fault}, seen by the clients under test: the JDK's {@code HttpClient} and OkHttp, over
 * HTTP/1.1, and the JDK's client over HTTP/2 (TLS, ALPN h2). After each, the server still serves.
 */
@Timeout(60)
class FaultTest {

    private static final byte[] BIG = new byte[1 << 20];
    private static final byte[] BODY = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    static {
        Arrays.fill(BIG, (byte) 'u');
    }

    @RegisterExtension
    final HttpServerExtension server = HttpServerExtension.scripted();

    private final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final OkHttpClient ok = new OkHttpClient.Builder()
            .protocols(java.util.List.of(Protocol.HTTP_1_1))
            .retryOnConnectionFailure(false)
            .readTimeout(1, TimeUnit.SECONDS)
            .writeTimeout(1, TimeUnit.SECONDS)
            .callTimeout(20, TimeUnit.SECONDS)
            .build();

    /** The request a fault is tried with: a POST with a body where the fault is about the request body. */
    private static boolean uploads(Fault f) {
        return f == Fault.DISCONNECT_DURING_REQUEST_BODY || f == Fault.STALL_AT_START || f == Fault.DISCONNECT_AFTER_REQUEST;
    }

    private HttpRequest jdkRequest(HttpServerExtension s, Fault f) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.url("/fault")).timeout(Duration.ofSeconds(2));
        if (f == Fault.STALL_AT_START) {
            // more than the socket buffers hold, so that the client's upload stalls
            byte[] huge = new byte[32 << 20];
            b.POST(HttpRequest.BodyPublishers.ofByteArray(huge));
        } else if (uploads(f)) {
            b.POST(HttpRequest.BodyPublishers.ofByteArray(BIG));
        }
        return b.build();
    }

    private MockResponse faulty(Fault f) {
        return MockResponse.builder().body(BODY).fault(f).build();
    }

    private void stillServes(HttpServerExtension s, HttpClient c) throws Exception {
        s.enqueue(MockResponse.of(200, "fine"));
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(s.url("/after")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("fine", r.body());
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void jdkHttpClientOverHttp11(Fault f) throws Exception {
        // a stub, not a queued response: the JDK's client retries a GET once on a connection closed
        // before any response, and the retry must fail too
        server.stub(RequestMatcher.any().path("/fault"), faulty(f));
        IOException e = assertThrows(IOException.class,
                () -> jdk.send(jdkRequest(server, f), HttpResponse.BodyHandlers.ofByteArray()));
        if (f == Fault.NO_RESPONSE || f == Fault.STALL_AT_START) {
            assertTrue(e instanceof HttpTimeoutException, f + ": " + e);
        }
        RecordedRequest r = server.takeRequest();
        assertEquals("/fault", r.path());
        if (f == Fault.DISCONNECT_DURING_REQUEST_BODY) {
            assertTrue(r.bodySize() < BIG.length, "part of the body only: " + r.bodySize());
        } else if (f == Fault.DISCONNECT_AFTER_REQUEST) {
            assertEquals(BIG.length, r.bodySize());
        }
        stillServes(server, jdk);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void okHttpOverHttp11(Fault f) throws Exception {
        server.enqueue(faulty(f));
        Request.Builder b = new Request.Builder().url(server.url("/fault").toString());
        if (f == Fault.STALL_AT_START) {
            b.post(RequestBody.create(new byte[32 << 20], MediaType.get("application/octet-stream")));
        } else if (uploads(f)) {
            b.post(RequestBody.create(BIG, MediaType.get("application/octet-stream")));
        }
        IOException e = assertThrows(IOException.class, () -> {
            try (Response response = ok.newCall(b.build()).execute()) {
                response.body().bytes();
            }
        });
        if (f == Fault.NO_RESPONSE || f == Fault.STALL_AT_START) {
            assertTrue(e instanceof java.net.SocketTimeoutException || e.getMessage().contains("timeout"), f + ": " + e);
        }
        if (f == Fault.MALFORMED_CHUNK) {
            assertTrue(e instanceof java.net.ProtocolException, f + ": " + e);
        }
        if (f == Fault.DISCONNECT_DURING_RESPONSE_BODY) {
            assertTrue(e instanceof java.net.ProtocolException || e instanceof java.io.EOFException
                    || e.getMessage().contains("unexpected end"), f + ": " + e);
        }
        assertEquals("/fault", server.takeRequest().path());
        stillServes(server, jdk);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void jdkHttpClientOverHttp2(Fault f) throws Exception {
        try (HttpServerExtension h2 = HttpServerExtension.scripted().https().http2().start()) {
            HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                    .sslContext(h2.certificates().sslContext()).connectTimeout(Duration.ofSeconds(10)).build();
            stillServes(h2, c); // the connection is up, and speaks HTTP/2
            h2.takeRequest();
            h2.stub(RequestMatcher.any().path("/fault"), faulty(f));
            IOException e = assertThrows(IOException.class,
                    () -> c.send(jdkRequest(h2, f), HttpResponse.BodyHandlers.ofByteArray()));
            if (f == Fault.NO_RESPONSE || f == Fault.STALL_AT_START) {
                assertTrue(e instanceof HttpTimeoutException, f + ": " + e);
            }
            assertEquals("/fault", h2.takeRequest().path());
            HttpResponse<String> after = c.send(HttpRequest.newBuilder(h2.url("/after")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, after.version());
            assertEquals(404, after.statusCode());
        }
    }

    @Test
    void connectionResetIsATcpReset() throws Exception {
        server.enqueue(MockResponse.of(Fault.CONNECTION_RESET));
        try (Socket s = new Socket(server.hostName(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            SocketException e = assertThrows(SocketException.class, () -> in.read());
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.toString());
        }
    }

    @Test
    void aResponseBodyCutOffMidwayArrivesInPart() throws Exception {
        server.enqueue(MockResponse.builder().body(BODY).fault(Fault.DISCONNECT_DURING_RESPONSE_BODY).build());
        try (Socket s = new Socket(server.hostName(), server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n"), got);
            assertTrue(got.contains("\r\nContent-Length: 20\r\n"), got);
            assertTrue(got.endsWith("\r\n\r\n0123456789"), got);
        }
    }

    @Test
    void aMalformedChunkIsWhatTheClientReads() throws Exception {
        server.enqueue(MockResponse.of(Fault.MALFORMED_CHUNK));
        try (Socket s = new Socket(server.hostName(), server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n"), got);
            assertTrue(got.contains("Transfer-Encoding: chunked\r\n\r\nzz\r\n"), got);
        }
    }
}
