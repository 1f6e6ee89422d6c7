package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** On-the-fly compression ({@code HttpServerBuilder.compress(true)}, the CLI's {@code --compress}). */
@Timeout(60)
class CompressionTest {

    @TempDir
    Path dir;
    private byte[] text;
    private final HttpClient client = TlsTesting.client(HttpClient.Version.HTTP_1_1);
    private HttpServer server;

    @BeforeEach
    void files() throws IOException {
        StringBuilder sb = new StringBuilder();
        Random random = new Random(7);
        String[] words = {"alpha", "beta", "gamma", "delta", "file", "range", "header"};
        for (int i = 0; sb.length() < 100_000; i++) {
            sb.append(words[random.nextInt(words.length)]).append(' ').append(i).append('\n');
        }
        text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("big.txt"), text);
        Files.write(dir.resolve("small.txt"), text, java.nio.file.StandardOpenOption.CREATE);
        Files.write(dir.resolve("small.txt"), "short".getBytes(StandardCharsets.US_ASCII));
        byte[] binary = new byte[50_000];
        random.nextBytes(binary);
        Files.write(dir.resolve("data.bin"), binary);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean compress, boolean tls) {
        HttpServerBuilder b = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"))
                .compress(compress);
        if (tls) {
            b.tls(TlsTesting.CERT.material(), List.of("http/1.1"));
        }
        server = b.build().start();
    }

    private HttpResponse<byte[]> get(String path, String acceptEncoding) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create((server.isSecure() ? "https" : "http")
                + "://127.0.0.1:" + server.serverPort() + path));
        if (acceptEncoding != null) {
            r.header("Accept-Encoding", acceptEncoding);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTextFileIsGzippedForAClientThatAcceptsIt(boolean tls) throws Exception {
        start(true, tls);
        HttpResponse<byte[]> r = get("/big.txt", "gzip, deflate");
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("content-encoding").orElse(null));
        assertTrue(r.headers().allValues("vary").stream().anyMatch(v -> v.equalsIgnoreCase("accept-encoding")));
        assertTrue(r.body().length < text.length / 2, "compressed: " + r.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            assertArrayEquals(text, in.readAllBytes(), "the same bytes once decompressed");
        }
    }

    @Test
    void withoutAcceptEncodingTheBodyIsTheFileAndTheResponseVaries() throws Exception {
        start(true, false);
        HttpResponse<byte[]> r = get("/big.txt", null);
        assertFalse(r.headers().firstValue("content-encoding").isPresent());
        assertEquals(String.valueOf(text.length), r.headers().firstValue("content-length").orElse(null));
        assertTrue(r.headers().allValues("vary").stream().anyMatch(v -> v.equalsIgnoreCase("accept-encoding")));
        assertArrayEquals(text, r.body());
    }

    @Test
    void binaryAndSmallBodiesAreSentAsTheyAre() throws Exception {
        start(true, false);
        HttpResponse<byte[]> bin = get("/data.bin", "gzip");
        assertFalse(bin.headers().firstValue("content-encoding").isPresent(), "octet-stream is not compressed");
        assertEquals(50_000, bin.body().length);
        HttpResponse<byte[]> small = get("/small.txt", "gzip");
        assertFalse(small.headers().firstValue("content-encoding").isPresent(), "below 1 KiB");
        assertEquals("short", new String(small.body(), StandardCharsets.US_ASCII));
    }

    @Test
    void largeDownloadsCutByTheirClientsLeaveTheServerServing() throws Exception {
        byte[] big = new byte[16 * 1024 * 1024];
        Random random = new Random(3);
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) ('a' + random.nextInt(26)); // text: it goes through the compressor, not sendfile
        }
        Files.write(dir.resolve("huge.txt"), big);
        start(true, false);
        // Eight clients at once, as a download tool: each reads a part, then resets the connection.
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int part = (i % 4 + 1) * 512 * 1024;
                done.add(clients.submit(() -> {
                    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.serverPort())) {
                        s.getOutputStream().write("GET /huge.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        int n = s.getInputStream().readNBytes(new byte[part], 0, part);
                        s.setSoLinger(true, 0); // a reset, as a client that gives up does
                        return n;
                    }
                }));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertTrue(f.get() > 0, "the download began");
            }
        } finally {
            clients.shutdownNow();
        }
        HttpResponse<byte[]> r = get("/big.txt", "gzip");
        assertEquals(200, r.statusCode(), "still serving");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (server.connectionCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(server.connectionCount() <= 1, "the cut connections are closed and no longer counted: "
                + server.connectionCount());
    }

    @Test
    void offByDefault() throws Exception {
        start(false, false);
        HttpResponse<byte[]> r = get("/big.txt", "gzip");
        assertFalse(r.headers().firstValue("content-encoding").isPresent());
        assertFalse(r.headers().firstValue("vary").isPresent(), "CPython's headers, unchanged");
        assertArrayEquals(text, r.body());
    }
}
