package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.tls.TlsConfigException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HttpsServer and ThreadingHttpsServer: files, ALPN, bad material, and clients that do not speak TLS. */
@Timeout(120)
class HttpsServerTest {

    @TempDir
    Path dir;
    Path cert;
    Path key;

    @BeforeEach
    void writeCertificate() throws IOException {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        TlsTesting.CERT.writePem(cert, key);
    }

    /** Serves the folder, and says how it was reached on /whoami. */
    static class Files11 extends SimpleHttpRequestHandler {
        Files11(Path directory) {
            super(directory);
            protocolVersion = "HTTP/1.1";
        }

        @Override
        protected void doGET() throws IOException {
            if (path.equals("/whoami")) {
                byte[] body = (requestVersion + " secure=" + server.isSecure()).getBytes(StandardCharsets.UTF_8);
                sendResponse(200);
                sendHeader("Content-Length", Integer.toString(body.length));
                endHeaders();
                wfile.write(body);
                return;
            }
            if (path.startsWith("/slice")) {
                // bytes [100, 100 + 70000) of big.bin, without a Content-Length: chunked on HTTP/1.1
                FileChannel ch = FileChannel.open(Path.of(directory).resolve("big.bin"), StandardOpenOption.READ);
                sendResponse(200);
                sendHeader("Content-Type", "application/octet-stream");
                endHeaders();
                if (!transport().sendFile(ch, 100, 70_000)) {
                    throw new AssertionError("sendFile must work under TLS and HTTP/2");
                }
                return;
            }
            super.doGET();
        }

        @Override
        public void logMessage(String format, Object... args) {
            // quiet
        }
    }

    private HttpServer https(List<String> alpn) {
        Path served = dir;
        return new ThreadingHttpsServer(new InetSocketAddress("127.0.0.1", 0), () -> new Files11(served), cert, key, null,
                alpn);
    }

    private static String url(HttpServer s, String path) {
        return "https://127.0.0.1:" + s.serverPort() + path;
    }

    private static HttpResponse<byte[]> get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesHttpsWithPythonsDefaultAlpn() throws Exception {
        try (HttpServer server = https(null)) {
            assertTrue(server.isSecure());
            assertEquals(List.of("http/1.1"), server.alpnProtocols(), "Python's default alpn_protocols");
            HttpResponse<byte[]> r = get(TlsTesting.client(HttpClient.Version.HTTP_2), url(server, "/whoami"));
            assertEquals(200, r.statusCode());
            assertEquals(HttpClient.Version.HTTP_1_1, r.version(), "h2 is not offered unless listed");
            assertEquals("HTTP/1.1 secure=true", new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void plainHttpToTheTlsPortGetsAClearText400AndTheServerGoesOn() throws Exception {
        try (HttpServer server = https(List.of("h2", "http/1.1"))) {
            for (String request : new String[] {"GET / HTTP/1.1\r\nHost: x\r\n\r\n", "post /x HTTP/1.0\n\n",
                "GET /" + "a".repeat(20_000)}) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.serverPort())) {
                    s.setSoTimeout(10_000);
                    // in pieces: the answer waits for the end of the head (or 16 KiB of it)
                    byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
                    for (int at = 0; at < bytes.length; at += 7) {
                        s.getOutputStream().write(bytes, at, Math.min(7, bytes.length - at));
                        s.getOutputStream().flush();
                        if (at < 40) {
                            Thread.sleep(5);
                        }
                    }
                    String got = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    assertTrue(got.startsWith("HTTP/1.1 400 Bad Request\r\n"), got);
                    assertTrue(got.contains("\r\nConnection: close\r\n"), got);
                    assertTrue(got.endsWith("\r\n\r\n" + PlainHttpOnTlsPort.MESSAGE), got);
                }
            }
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "10", "-w", "\n%{http_code}",
                    "http://127.0.0.1:" + server.serverPort() + "/").redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, curl.waitFor(), out);
            assertEquals(PlainHttpOnTlsPort.MESSAGE + "\n400", out);
            // TLS clients are served as before, on both protocols
            HttpResponse<byte[]> r = get(TlsTesting.client(HttpClient.Version.HTTP_2), url(server, "/whoami"));
            assertEquals("HTTP/2.0 secure=true", new String(r.body(), StandardCharsets.UTF_8));
            HttpResponse<byte[]> r1 = get(TlsTesting.client(HttpClient.Version.HTTP_1_1), url(server, "/whoami"));
            assertEquals("HTTP/1.1 secure=true", new String(r1.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void h2ChosenByAlpnServesTheSameHandler() throws Exception {
        try (HttpServer server = https(List.of("h2", "http/1.1"))) {
            HttpResponse<byte[]> r = get(TlsTesting.client(HttpClient.Version.HTTP_2), url(server, "/whoami"));
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            assertEquals("HTTP/2.0 secure=true", new String(r.body(), StandardCharsets.UTF_8), "served, not 505");
            HttpResponse<byte[]> r1 = get(TlsTesting.client(HttpClient.Version.HTTP_1_1), url(server, "/whoami"));
            assertEquals(HttpClient.Version.HTTP_1_1, r1.version(), "a client offering only http/1.1 gets it");
            assertEquals("HTTP/1.1 secure=true", new String(r1.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aClientWithoutAlpnSpeaksHttp11() throws Exception {
        try (HttpServer server = https(List.of("h2", "http/1.1"));
                SSLSocket s = TlsTesting.handshake((InetSocketAddress) server.serverAddress())) {
            String response = TlsTesting.exchange(s, "GET /whoami HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertTrue(response.startsWith("HTTP/1.1 200 "), response);
            assertTrue(response.endsWith("HTTP/1.1 secure=true"), response);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP_1_1", "HTTP_2"})
    void a16MiBFileArrivesByteIdentical(String version) throws Exception {
        byte[] big = new byte[16 << 20];
        new Random(7).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        try (HttpServer server = https(List.of("h2", "http/1.1"))) {
            HttpClient client = TlsTesting.client(HttpClient.Version.valueOf(version));
            for (int i = 0; i < 2; i++) { // the second time from the static-file cache on HTTP/1.1
                HttpResponse<byte[]> r = get(client, url(server, "/big.bin"));
                assertEquals(200, r.statusCode());
                assertEquals(HttpClient.Version.valueOf(version), r.version());
                assertEquals(Long.toString(big.length), r.headers().firstValue("content-length").orElse(null));
                assertArrayEquals(big, r.body());
            }
            HttpResponse<byte[]> slice = get(client, url(server, "/slice"));
            assertArrayEquals(Arrays.copyOfRange(big, 100, 70_100), slice.body(), "sendFile position and count");
            if (version.equals("HTTP_1_1")) {
                assertEquals("chunked", slice.headers().firstValue("transfer-encoding").orElse(null));
            } else {
                assertFalse(slice.headers().firstValue("transfer-encoding").isPresent(), "no chunking on HTTP/2");
            }
        }
    }

    @Test
    void theFileStageIsFreshUnderTls() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        Path served = dir;
        // A stock SimpleHttpRequestHandler (it declares no method): answered by the file stage.
        try (HttpServer server = new HttpsServer(new InetSocketAddress("127.0.0.1", 0), () -> new SimpleHttpRequestHandler(served) {
            {
                protocolVersion = "HTTP/1.1";
            }
        }, cert, key, null, null)) {
            RawHttp c = new RawHttp(TlsTesting.handshake((InetSocketAddress) server.serverAddress(), "http/1.1"));
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("alpha", c.read().text());
            Files.writeString(dir.resolve("a.txt"), "beta, now longer");
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("beta, now longer", c.read().text(), "the file as it is now, not as it was");
            c.send("HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawHttp.Response head = c.read(true);
            assertEquals("16", head.header("Content-Length"));
            Files.delete(dir.resolve("a.txt"));
            c.send("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(404, c.read().status(), "no stray bytes after HEAD, and a deleted file is gone");
            assertTrue(c.closedByServer());
            c.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http/1.1", "h2,http/1.1"})
    void plaintextAndSilentClientsAreDroppedWithoutDisturbingOthers(String alpn) throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Path served = dir;
        try (HttpServer server = HttpServer.builder()
                .handler(() -> new Files11(served))
                .tls(TlsTesting.CERT.material(), List.of(alpn.split(",")))
                .limits(Limits.defaults().withTlsHandshakeTimeout(Duration.ofMillis(2_000)))
                .build()
                .start()) {
            InetSocketAddress address = (InetSocketAddress) server.serverAddress();
            try (Socket silent = new Socket(address.getAddress(), address.getPort());
                    Socket plain = new Socket(address.getAddress(), address.getPort())) {
                silent.setSoTimeout(10_000);
                plain.setSoTimeout(10_000);
                long start = System.nanoTime();
                plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, readAll(plain.getInputStream()), "plaintext is refused: the connection closes");
                long plainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(plainMillis < 1_500, "plaintext is dropped at once, not after the handshake timeout: " + plainMillis);

                // Meanwhile a real client is served.
                HttpResponse<byte[]> r = get(TlsTesting.client(HttpClient.Version.HTTP_2), url(server, "/a.txt"));
                assertEquals("alpha", new String(r.body(), StandardCharsets.UTF_8));

                assertEquals(-1, readAll(silent.getInputStream()), "a silent client is dropped");
                long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(silentMillis >= 1_900 && silentMillis < 8_000, "after the handshake timeout: " + silentMillis);
            }
            // and the server still serves
            HttpResponse<byte[]> r = get(TlsTesting.client(HttpClient.Version.HTTP_1_1), url(server, "/a.txt"));
            assertEquals(200, r.statusCode());
            // only the two JDK clients' kept-alive connections are left: the dropped ones were released
            waitForConnections(server, 2);
        } finally {
            System.setErr(saved);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains("Exception") || printed.contains("Unexpected error") || printed.contains("\tat "),
                "no stack trace, no warning for a client's mistake:\n" + printed);
    }

    private static int readAll(InputStream in) throws IOException {
        try {
            while (true) {
                int b = in.read();
                if (b == -1) {
                    return -1;
                }
            }
        } catch (java.net.SocketException e) {
            return -1; // reset: closed as well
        }
    }

    private static void waitForConnections(HttpServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.connectionCount() > n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(server.connectionCount() <= n, "connections counted and released: " + server.connectionCount());
    }

    @Test
    void badMaterialFailsAtConstructionNamingTheFile() throws Exception {
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        Path missing = dir.resolve("nope.pem");
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> new HttpsServer(any, BaseHttpRequestHandler::new, missing, null, null, null));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        Path encrypted = dir.resolve("enc.pem");
        Files.writeString(encrypted, TlsTesting.CERT.certificatePem() + encryptedKeyPem("right"));
        String badPassword = "Zq9-not-it";
        TlsConfigException wrong = assertThrows(TlsConfigException.class,
                () -> new ThreadingHttpsServer(any, BaseHttpRequestHandler::new, encrypted, null, badPassword.toCharArray(), null));
        assertTrue(wrong.getMessage().toLowerCase().contains("password"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains(badPassword), "never the password: " + wrong.getMessage());
        try (HttpServer ok = new HttpsServer(any, BaseHttpRequestHandler::new, encrypted, null, "right".toCharArray(), null)) {
            assertTrue(ok.isRunning());
        }

        TlsConfigException alpn = assertThrows(TlsConfigException.class,
                () -> new HttpsServer(any, BaseHttpRequestHandler::new, cert, key, null, List.of("h3")));
        assertTrue(alpn.getMessage().contains("'h3'"), alpn.getMessage());

        assertThrows(IllegalStateException.class, () -> HttpServer.builder().handler(BaseHttpRequestHandler::new)
                .tls(TlsTesting.CERT.material(), null).h2c(true).build());
    }

    @Test
    void nothingIsBoundWhenTheMaterialIsBad() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        assertThrows(TlsConfigException.class,
                () -> new HttpsServer(address, BaseHttpRequestHandler::new, key, cert, null, null)); // swapped files
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(port, again.getLocalPort(), "the port is still free");
        }
    }

    @Test
    void theHandshakeTimeoutIsALimit() {
        assertEquals(Duration.ofSeconds(10), Limits.defaults().tlsHandshakeTimeout());
        assertEquals(Duration.ofMillis(1500), Limits.defaults().withTlsHandshakeTimeout(Duration.ofMillis(1500)).tlsHandshakeTimeout());
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withTlsHandshakeTimeout(Duration.ZERO));
        assertTrue(Limits.defaults().toString().contains("tlsHandshakeTimeout=PT10S"));
    }

    @Test
    void bindAndActivateFalseBindsOnStart() throws Exception {
        HttpServer server = new HttpsServer(new InetSocketAddress("127.0.0.1", 0), BaseHttpRequestHandler::new, false,
                cert, key, null, List.of("h2"));
        try {
            assertFalse(server.isRunning());
            server.start();
            assertTrue(server.isRunning());
            assertFalse(server.isThreading());
            assertEquals(List.of("h2"), server.alpnProtocols());
        } finally {
            server.close();
        }
        ThreadingHttpsServer threading = new ThreadingHttpsServer(new InetSocketAddress("127.0.0.1", 0),
                BaseHttpRequestHandler::new, false, cert, key, null, null);
        assertTrue(threading.isThreading());
        threading.close();
    }

    @Test
    void aClientThatNeverReadsTheResponseCompletesNothingButDisturbsNobody() throws Exception {
        byte[] big = new byte[8 << 20];
        Files.write(dir.resolve("big.bin"), big);
        Files.writeString(dir.resolve("a.txt"), "alpha");
        try (HttpServer server = https(List.of("h2", "http/1.1"));
                SSLSocket stuck = TlsTesting.handshake((InetSocketAddress) server.serverAddress(), "http/1.1")) {
            stuck.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            stuck.getOutputStream().flush();
            CompletableFuture<HttpResponse<byte[]>> other = TlsTesting.client(HttpClient.Version.HTTP_2).sendAsync(
                    HttpRequest.newBuilder(URI.create(url(server, "/a.txt"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("alpha", new String(other.get(20, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8));
        }
    }

    private static String encryptedKeyPem(String password) throws Exception {
        var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .setPassword(password.toCharArray()).build();
        var gen = new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(TlsTesting.CERT.privateKey(), encryptor);
        java.io.StringWriter out = new java.io.StringWriter();
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(out)) {
            w.writeObject(gen);
        }
        return out.toString();
    }
}
