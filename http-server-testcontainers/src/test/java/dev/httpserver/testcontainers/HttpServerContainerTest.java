package dev.httpserver.testcontainers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The server image in containers, on the host's network (as on this project's CI machine, where
 * no port can be published), fetched from this JVM and from curl in another container. Skipped,
 * with the reason, when no Docker engine answers or the image was never built.
 */
@Timeout(180)
class HttpServerContainerTest {

    @TempDir
    static Path tmp;
    static Path site;
    static byte[] random;
    static HttpServerContainer server;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * Each test checks for the engine and the image itself, so that without them every test is
     * reported skipped with the reason (a class-level skip shows as no test at all). The shared
     * server starts with the first test that runs.
     */
    @BeforeEach
    void needsDockerAndTheImage() throws IOException {
        Docker.requireServerImage();
        if (server == null) {
            startServerOnAFolder();
        }
    }

    static void startServerOnAFolder() throws IOException {
        site = Files.createDirectories(tmp.resolve("site"));
        random = new byte[512 * 1024 + 1];
        new Random(4).nextBytes(random);
        Files.write(site.resolve("random.bin"), random);
        Files.writeString(site.resolve("hello.txt"), "hello from the host\n");
        Files.writeString(site.resolve("naïve café.txt"), "accents\n");
        Files.createDirectories(site.resolve("sub"));
        server = new HttpServerContainer().withDirectory(site).withNetworkMode("host");
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static HttpResponse<byte[]> get(URI url) throws Exception {
        return client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesTheHostFolderToThisJvm() throws Exception {
        HttpResponse<byte[]> r = get(server.getUrl("/random.bin"));
        assertEquals(200, r.statusCode());
        assertArrayEquals(random, r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        assertEquals("hello from the host\n", new String(get(server.getUrl("hello.txt")).body(), StandardCharsets.UTF_8));
    }

    @Test
    void listsTheFolderWithUtf8Names() throws Exception {
        String listing = new String(get(server.getUrl("/")).body(), StandardCharsets.UTF_8);
        assertTrue(listing.contains("<a href=\"sub/\">sub/</a>"), listing);
        String encoded = URLEncoder.encode("naïve café.txt", StandardCharsets.UTF_8).replace("+", "%20");
        assertTrue(listing.contains("href=\"" + encoded + "\""), listing);
        assertEquals("accents\n", new String(get(server.getUrl("/" + encoded)).body(), StandardCharsets.UTF_8));
    }

    @Test
    void hostNetworkingGivesOneUrlForTheHostAndOtherContainers() {
        assertTrue(server.isHostNetwork());
        assertEquals(server.getUrl("/x"), server.getInternalUrl("/x"));
        assertEquals(URI.create("http://127.0.0.1:" + server.getServerPort() + "/x"), server.getUrl("/x"));
        assertEquals(server.getServerPort(), server.getPort());
    }

    @Test
    void curlInAnotherContainerGetsTheSameBytes() throws Exception {
        Docker.requireCurlImage();
        try (GenericContainer<?> curl = new GenericContainer<>(DockerImageName.parse(Docker.CURL_IMAGE))
                .withNetworkMode("host")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep"))
                .withCommand("300")
                .withStartupTimeout(Duration.ofSeconds(60))) {
            curl.start();
            ExecResult r = curl.execInContainer("curl", "--silent", "--show-error", "--max-time", "30",
                    "--output", "/tmp/random.bin", "--write-out", "%{http_code} %{size_download}",
                    server.getInternalUrl("/random.bin").toString());
            assertEquals(0, r.getExitCode(), r.getStderr());
            assertEquals("200 " + random.length, r.getStdout());
            byte[] got = curl.copyFileFromContainer("/tmp/random.bin", InputStream::readAllBytes);
            assertArrayEquals(random, got);
        }
    }

    @Test
    void aMountedFolderShowsChangesAtOnce() throws Exception {
        Path live = Files.createDirectories(tmp.resolve("live"));
        try (HttpServerContainer mounted = new HttpServerContainer().withMountedDirectory(live).withNetworkMode("host")) {
            mounted.start();
            assertEquals(404, get(mounted.getUrl("/later.txt")).statusCode());
            Files.writeString(live.resolve("later.txt"), "written after the start\n");
            HttpResponse<byte[]> r = get(mounted.getUrl("/later.txt"));
            assertEquals(200, r.statusCode());
            assertEquals("written after the start\n", new String(r.body(), StandardCharsets.UTF_8));
            Files.writeString(live.resolve("later.txt"), "and changed at once\n");
            assertEquals("and changed at once\n", new String(get(mounted.getUrl("/later.txt")).body(), StandardCharsets.UTF_8),
                    "the file as it is now: no cache serves the old bytes");
            Files.delete(live.resolve("later.txt"));
            assertEquals(404, get(mounted.getUrl("/later.txt")).statusCode(), "a deleted file is gone at once");
        }
    }

    @Test
    void servesClasspathResourcesAndFilesAndSpeaksHttp10WhenAsked() throws Exception {
        try (HttpServerContainer web = new HttpServerContainer()
                .withClasspathResource("site")
                .withFile("extra/note.txt", "a note\n")
                .withProtocol("HTTP/1.0")
                .withNetworkMode("host")) {
            web.start();
            String index = new String(get(web.getUrl("/")).body(), StandardCharsets.UTF_8);
            assertTrue(index.contains("from the classpath"), index);
            assertEquals("body { color: #333; }\n", new String(get(web.getUrl("/css/style.css")).body(), StandardCharsets.UTF_8));
            assertEquals("a note\n", new String(get(web.getUrl("/extra/note.txt")).body(), StandardCharsets.UTF_8));
            assertTrue(statusLine(web, "/extra/note.txt").startsWith("HTTP/1.0 200"));
        }
    }

    @Test
    void runsCgiScripts() throws Exception {
        String script = "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nhello %s from %s\\n' \"$QUERY_STRING\" \"$REQUEST_METHOD\"\n";
        try (HttpServerContainer web = new HttpServerContainer()
                .withFile("cgi-bin/hello.sh", script.getBytes(StandardCharsets.UTF_8), 0755)
                .withCgi()
                .withNetworkMode("host")) {
            web.start();
            HttpResponse<byte[]> r = get(web.getUrl("/cgi-bin/hello.sh?world"));
            assertEquals(200, r.statusCode(), () -> new String(r.body(), StandardCharsets.UTF_8) + web.getLogs());
            assertEquals("hello world from GET\n", new String(r.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void stopsOnSigtermCleanlyWithExitCodeZero() throws Exception {
        try (HttpServerContainer web = new HttpServerContainer().withFile("a.txt", "a").withNetworkMode("host")) {
            web.start();
            assertEquals(200, get(web.getUrl("/a.txt")).statusCode());
            web.getDockerClient().stopContainerCmd(web.getContainerId()).withTimeout(20).exec();
            Long code = web.getDockerClient().inspectContainerCmd(web.getContainerId()).exec().getState().getExitCodeLong();
            assertEquals(0L, code, web.getLogs());
            assertFalse(web.getLogs().contains("Keyboard interrupt"), "SIGTERM is not Ctrl-C: " + web.getLogs());
        }
    }

    @Test
    void servesHttpsWithASelfSignedCertificate() throws Exception {
        Assumptions.assumeTrue(imageHelpMentions("--tls-self-signed-cert-out"),
                "the image's command line cannot write its certificate yet (an image older than this module)");
        try (HttpServerContainer web = new HttpServerContainer().withFile("secret.txt", "over TLS\n")
                .withTlsSelfSigned().withNetworkMode("host")) {
            web.start();
            URI url = web.getUrl("/secret.txt");
            assertEquals("https", url.getScheme());
            SSLContext trusting = web.sslContext(); // the certificate the server made, and nothing else
            assertTrue(web.getCertificatePem().startsWith("-----BEGIN CERTIFICATE-----"), web.getCertificatePem());
            HttpResponse<String> viaClient = HttpClient.newBuilder().sslContext(trusting).build().send(
                    HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("over TLS\n", viaClient.body());
            assertEquals(HttpClient.Version.HTTP_2, viaClient.version(), "h2 by ALPN, the command line's default");
            try (SSLSocket s = (SSLSocket) trusting.getSocketFactory().createSocket(url.getHost(), url.getPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /secret.txt HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(response.matches("(?s)HTTP/1\\.[01] 200 .*"), response);
                assertTrue(response.endsWith("\r\n\r\nover TLS\n"), response);
            }
        }
    }

    @Test
    void withHttp2APlainServerSpeaksH2c() throws Exception {
        try (HttpServerContainer web = new HttpServerContainer().withFile("a.txt", "a\n").withHttp2()
                .withNetworkMode("host")) {
            web.start();
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            client.send(HttpRequest.newBuilder(web.getUrl("/a.txt")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = client.send(HttpRequest.newBuilder(web.getUrl("/a.txt")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals("a\n", second.body());
            assertEquals(HttpClient.Version.HTTP_2, second.version(), "upgraded by Upgrade: h2c" + web.getLogs());
        }
    }

    /** Whether {@code --help} of the image's command line mentions {@code flag}. */
    private static boolean imageHelpMentions(String flag) {
        try (GenericContainer<?> help = new GenericContainer<>(DockerImageName.parse(HttpServerContainer.defaultImage()))
                .withCommand("--help")
                .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(60)))) {
            help.start();
            return help.getLogs().contains(flag);
        }
    }

    /** The status line of a GET sent on a raw socket. */
    private static String statusLine(HttpServerContainer web, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", web.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            StringBuilder line = new StringBuilder();
            InputStream in = s.getInputStream();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.toString().strip();
        }
    }
}
