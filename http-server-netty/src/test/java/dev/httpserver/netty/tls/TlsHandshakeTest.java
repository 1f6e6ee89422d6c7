package dev.httpserver.netty.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real handshakes against a Netty server built on {@link SslContexts#server}, on both TLS engines,
 * with the JDK's client, a hand-made TLS 1.1 client, and curl.
 */
class TlsHandshakeTest {

    private static EventLoopGroup group;
    private static SelfSigned ec;
    private static SelfSigned rsa;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        ec = SelfSigned.generate(SelfSigned.KeyType.EC_P256);
        rsa = SelfSigned.generate(SelfSigned.KeyType.RSA_2048);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static TinyTlsServer server(SslProvider provider, PemMaterial m, List<String> alpn) {
        SslContextsTest.assumeProvider(provider);
        SslContext ctx = SslContexts.server(m, alpn, provider);
        return new TinyTlsServer(group, ctx);
    }

    // ---- versions ----

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aModernClientGetsTls13AndHttp11ByDefault(SslProvider provider) throws Exception {
        try (TinyTlsServer server = server(provider, ec.material(), null)) {
            Client c = connect(trusting(ec.certificate()), server.port(), null, new String[] {"h2", "http/1.1"});
            assertEquals("TLSv1.3", c.protocol);
            assertEquals("http/1.1", c.alpn, "the server's default list is Python's [\"http/1.1\"]");
            assertTrue(c.response.startsWith("HTTP/1.1 200 OK\r\n"), c.response);
            assertTrue(c.response.endsWith("hello over TLSv1.3 alpn=http/1.1 path=/x\n"), c.response);
            TinyTlsServer.Handshake h = server.nextHandshake();
            assertEquals("TLSv1.3", h.protocol, h.toString());
            assertEquals("http/1.1", h.alpn);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aTls12ClientGetsTls12(SslProvider provider) throws Exception {
        try (TinyTlsServer server = server(provider, rsa.material(), null)) {
            Client c = connect(trusting(rsa.certificate()), server.port(), new String[] {"TLSv1.2"}, null);
            assertEquals("TLSv1.2", c.protocol);
            assertTrue(c.response.endsWith("hello over TLSv1.2 alpn= path=/x\n"), c.response);
            assertEquals("TLSv1.2", server.nextHandshake().protocol);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aTls11OnlyClientIsRefused(SslProvider provider) throws Exception {
        for (SelfSigned s : List.of(ec, rsa)) {
            try (TinyTlsServer server = server(provider, s.material(), null)) {
                // the same hand-made ClientHello, offering TLS 1.2, is answered: the test client is sound
                assertEquals("server_hello:0303", rawHello(server.port(), 0x0303));
                assertNotNull(server.nextHandshake());

                // both engines answer with a fatal (2) protocol_version (70) alert
                assertEquals("alert:2:70", rawHello(server.port(), 0x0302), "a TLS 1.1 ClientHello is refused");
                TinyTlsServer.Handshake h = server.nextHandshake();
                assertNotNull(h.failure, "the server reports the failed handshake: " + h);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void tls12SuitesWithoutForwardSecrecyOrAeadAreRefused(SslProvider provider) throws Exception {
        assumeTrue(Pki.onPath("openssl", "version"), "openssl is not on the PATH");
        try (TinyTlsServer server = server(provider, rsa.material(), List.of("h2", "http/1.1"))) {
            // RSA key exchange; CBC with SHA-1 (with and without ECDHE); RSA key exchange with GCM
            for (String weak : new String[] {"AES128-SHA", "ECDHE-RSA-AES128-SHA", "AES128-GCM-SHA256", "AES256-SHA256"}) {
                String out = sClient(server.port(), weak);
                assertFalse(out.contains("Cipher is " + weak) || out.contains("Ciphersuite: " + weak), weak + ": " + out);
            }
            String good = sClient(server.port(), "ECDHE-RSA-AES128-GCM-SHA256");
            assertTrue(good.contains("ECDHE-RSA-AES128-GCM-SHA256"), good);
        }
    }

    /** {@code openssl s_client} over TLS 1.2 offering only {@code cipher}: its output. */
    private static String sClient(int port, String cipher) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-cipher", cipher, "-alpn", "h2").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        return out;
    }

    // ---- ALPN ----

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void alpnFollowsTheServersOrder(SslProvider provider) throws Exception {
        SSLContext client = trusting(ec.certificate());
        try (TinyTlsServer server = server(provider, ec.material(), List.of("h2", "http/1.1"))) {
            assertEquals("h2", connect(client, server.port(), null, new String[] {"h2", "http/1.1"}).alpn);
            assertEquals("h2", server.nextHandshake().alpn);
            assertEquals("h2", connect(client, server.port(), null, new String[] {"http/1.1", "h2"}).alpn,
                    "the server's preference wins");
            server.nextHandshake();
            assertEquals("http/1.1", connect(client, server.port(), null, new String[] {"http/1.1"}).alpn);
            assertEquals("http/1.1", server.nextHandshake().alpn);
        }
        try (TinyTlsServer server = server(provider, ec.material(), List.of("http/1.1", "h2"))) {
            assertEquals("http/1.1", connect(client, server.port(), null, new String[] {"h2", "http/1.1"}).alpn);
            assertEquals("http/1.1", server.nextHandshake().alpn);
        }
        try (TinyTlsServer server = server(provider, ec.material(), null)) {
            assertEquals("http/1.1", connect(client, server.port(), null, new String[] {"h2", "http/1.1"}).alpn);
            server.nextHandshake();
            assertEquals("", connect(client, server.port(), null, new String[] {"h2"}).alpn,
                    "a client offering nothing the server speaks connects without ALPN");
            assertEquals("", server.nextHandshake().alpn);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void clientsWithoutAlpnOrWithUnknownProtocolsStillConnect(SslProvider provider) throws Exception {
        SSLContext client = trusting(ec.certificate());
        try (TinyTlsServer server = server(provider, ec.material(), List.of("h2", "http/1.1"))) {
            Client none = connect(client, server.port(), null, null);
            assertEquals("", none.alpn);
            assertTrue(none.response.contains("alpn= path=/x"), none.response);
            assertEquals("", server.nextHandshake().alpn);

            Client spdy = connect(client, server.port(), null, new String[] {"spdy/3.1"});
            assertEquals("", spdy.alpn);
            assertEquals("", server.nextHandshake().alpn);
        }
    }

    // ---- chains and trust ----

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void theWholeChainIsSentFromPemFiles(SslProvider provider) throws Exception {
        KeyPair caKeys = Pki.keyPair("EC", "ca");
        KeyPair leafKeys = Pki.keyPair("RSA", "server");
        X509Certificate ca = Pki.certificate("CN=Test CA", caKeys.getPublic(), "CN=Test CA", caKeys, true);
        X509Certificate leaf = Pki.certificate("CN=localhost", leafKeys.getPublic(), "CN=Test CA", caKeys, false);
        Path chain = Pki.write(dir.resolve("chain.pem"), Pki.certificates(leaf, ca));
        Path key = Pki.write(dir.resolve("key.pem"), Pki.legacyEncryptedPkcs1(leafKeys, "AES-256-CBC", "pw".toCharArray()));
        PemMaterial m = PemMaterial.load(chain, key, "pw".toCharArray());

        try (TinyTlsServer server = server(provider, m, null)) {
            Client c = connect(trusting(ca), server.port(), null, null); // trusts the CA only
            assertEquals("TLSv1.3", c.protocol);
            assertEquals(2, c.peerChain.length, "the intermediate/CA certificate is sent too");
            assertEquals(leaf, c.peerChain[0]);
            server.nextHandshake();

            SSLContext stranger = trusting(ec.certificate());
            assertThrows(SSLHandshakeException.class, () -> connect(stranger, server.port(), null, null));
            assertNotNull(server.nextHandshake().failure);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void httpsUrlConnectionChecksTheIpAddressName(SslProvider provider) throws Exception {
        try (TinyTlsServer server = server(provider, rsa.material(), null)) {
            for (String host : List.of("127.0.0.1", "localhost")) {
                HttpsURLConnection conn = (HttpsURLConnection) new URL("https://" + host + ":" + server.port() + "/url")
                        .openConnection(java.net.Proxy.NO_PROXY);
                conn.setSSLSocketFactory(trusting(rsa.certificate()).getSocketFactory());
                conn.setConnectTimeout(5000);
                conn.setReadTimeout(10000);
                try (InputStream in = conn.getInputStream()) {
                    assertEquals(HttpURLConnection.HTTP_OK, conn.getResponseCode());
                    String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(body.startsWith("hello over TLSv1.3"), body);
                } finally {
                    conn.disconnect();
                }
                server.nextHandshake();
            }
        }
    }

    // ---- curl ----

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void curlTrustsTheWrittenCertificateAndNothingElse(SslProvider provider) throws Exception {
        assumeTrue(Pki.onPath("curl", "--version"), "curl is not on the PATH");
        for (SelfSigned s : List.of(ec, rsa)) {
            Path cert = dir.resolve("cert.pem");
            s.writePem(cert, dir.resolve("key.pem"));
            try (TinyTlsServer server = server(provider, PemMaterial.load(cert, dir.resolve("key.pem"), null), null)) {
                int port = server.port();
                String url = "https://localhost:" + port + "/curl";
                List<String> base = List.of("curl", "-sS", "-v", "--max-time", "20", "--noproxy", "*",
                        "--resolve", "localhost:" + port + ":127.0.0.1");

                Pki.Result ok = Pki.run(dir, plus(base, "--cacert", cert.toString(), url));
                assertEquals(0, ok.exit, ok.toString());
                assertEquals("hello over TLSv1.3 alpn=http/1.1 path=/curl\n", ok.out, ok.toString());
                assertTrue(ok.err.contains("SSL connection using TLSv1.3"), ok.err);
                assertTrue(ok.err.contains("ALPN: server accepted http/1.1")
                        || ok.err.contains("ALPN, server accepted to use http/1.1"), ok.err);
                server.nextHandshake();

                Pki.Result tls12 = Pki.run(dir, plus(base, "--cacert", cert.toString(), "--tls-max", "1.2", url));
                assertEquals(0, tls12.exit, tls12.toString());
                assertTrue(tls12.out.startsWith("hello over TLSv1.2"), tls12.toString());
                server.nextHandshake();

                Pki.Result byIp = Pki.run(dir, plus(base, "--cacert", cert.toString(), "https://127.0.0.1:" + port + "/ip"));
                assertEquals(0, byIp.exit, byIp.toString());
                server.nextHandshake();

                Pki.Result untrusted = Pki.run(dir, plus(base, url));
                assertEquals(60, untrusted.exit, "curl's 'peer certificate cannot be authenticated': " + untrusted);
                assertTrue(untrusted.err.contains("certificate"), untrusted.err);
                assertNotNull(server.nextHandshake().failure);
            }
        }
    }

    // ---- clients ----

    private static final class Client {
        final String protocol;
        final String alpn;
        final String response;
        final X509Certificate[] peerChain;

        Client(String protocol, String alpn, String response, X509Certificate[] peerChain) {
            this.protocol = protocol;
            this.alpn = alpn;
            this.response = response;
            this.peerChain = peerChain;
        }
    }

    static SSLContext trusting(X509Certificate... anchors) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        for (int i = 0; i < anchors.length; i++) {
            ks.setCertificateEntry("anchor" + i, anchors[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Connects to 127.0.0.1 as "localhost" (host name checked), handshakes, sends a GET, reads the response. */
    private static Client connect(SSLContext ctx, int port, String[] protocols, String[] alpn) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(10_000);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", port, true)) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            if (protocols != null) {
                p.setProtocols(protocols);
            }
            if (alpn != null) {
                p.setApplicationProtocols(alpn);
            }
            s.setSSLParameters(p);
            s.startHandshake();
            String protocol = s.getSession().getProtocol();
            String negotiated = s.getApplicationProtocol();
            X509Certificate[] chain = (X509Certificate[]) s.getSession().getPeerCertificates();
            OutputStream out = s.getOutputStream();
            out.write("GET /x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            return new Client(protocol, negotiated == null ? "" : negotiated, response, chain);
        } finally {
            plain.close();
        }
    }

    /**
     * Sends a hand-made ClientHello offering only {@code version} (0x0302 TLS 1.1, 0x0303 TLS 1.2), as
     * an old client does (the JDK's own client refuses to offer TLS 1.1), and tells what came back:
     * {@code server_hello:VVVV}, {@code alert:LEVEL:DESCRIPTION} or {@code closed}.
     */
    private static String rawHello(int port, int version) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(clientHello(version));
            s.getOutputStream().flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int type;
            try {
                type = in.readUnsignedByte();
                in.readUnsignedShort(); // record version
                in.readUnsignedShort(); // record length
                if (type == 0x15) {
                    return "alert:" + in.readUnsignedByte() + ":" + in.readUnsignedByte();
                }
                if (type == 0x16) {
                    int msg = in.readUnsignedByte();
                    in.readUnsignedByte();
                    in.readUnsignedShort(); // 24-bit length
                    int v = in.readUnsignedShort();
                    return (msg == 2 ? "server_hello:" : "handshake" + msg + ":") + String.format("%04x", v);
                }
                return "record:" + type;
            } catch (EOFException | java.net.SocketException e) {
                return "closed";
            }
        }
    }

    private static byte[] clientHello(int version) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0); // no session id
        int[] suites = {0xc02b, 0xc02f, 0xc009, 0xc013, 0xc00a, 0xc014, 0x002f, 0x0035, 0x00ff};
        u16(body, suites.length * 2);
        for (int suite : suites) {
            u16(body, suite);
        }
        body.write(1); // compression methods: null
        body.write(0);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        u16(ext, 0x000a); // supported_groups: secp256r1, secp384r1
        u16(ext, 6);
        u16(ext, 4);
        u16(ext, 0x0017);
        u16(ext, 0x0018);
        u16(ext, 0x000b); // ec_point_formats: uncompressed
        u16(ext, 2);
        ext.write(1);
        ext.write(0);
        int[] sigs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501};
        u16(ext, 0x000d); // signature_algorithms (ignored by a TLS 1.1 server)
        u16(ext, 2 + sigs.length * 2);
        u16(ext, sigs.length * 2);
        for (int sig : sigs) {
            u16(ext, sig);
        }
        u16(body, ext.size());
        body.writeBytes(ext.toByteArray());

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);
        u16(record, 0x0301);
        u16(record, body.size() + 4);
        record.write(0x01); // ClientHello
        record.write(0);
        u16(record, body.size());
        record.writeBytes(body.toByteArray());
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write((v >>> 8) & 0xff);
        out.write(v & 0xff);
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
