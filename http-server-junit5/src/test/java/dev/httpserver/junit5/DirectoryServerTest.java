package dev.httpserver.junit5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A folder served by one server for the whole class (a static field), its @Nested class included. */
@Timeout(60)
class DirectoryServerTest {

    static final Path SITE = site();

    @RegisterExtension
    static final HttpServerExtension server = HttpServerExtension.serving(SITE);

    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static int portBeforeAll;

    /** A folder made before the extension starts (a static initialiser runs first). */
    static Path site() {
        try {
            Path dir = Files.createTempDirectory("junit5-site-");
            Files.writeString(dir.resolve("hello.txt"), "hello from a file\n");
            byte[] random = new byte[1024 * 1024 + 3];
            new Random(1).nextBytes(random);
            Files.write(dir.resolve("random.bin"), random);
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub/page.html"), "<!doctype html><title>sub</title>\n");
            Files.writeString(dir.resolve("naïve café.txt"), "accents\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFileWrittenByTheTestIsServedAtOnce() throws Exception {
        Path f = SITE.resolve("written-by-the-test.txt");
        try {
            for (int i = 0; i < 20; i++) {
                String content = "version " + i + (i % 2 == 0 ? "" : " (longer)");
                Files.writeString(f, content);
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.url("/written-by-the-test.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals(content, r.body(), "the bytes just written, not an earlier version");
                assertEquals("/written-by-the-test.txt", server.takeRequest().path()); // keeps the journal for the others
            }
        } finally {
            Files.deleteIfExists(f);
        }
        assertEquals(404, client.send(HttpRequest.newBuilder(server.url("/written-by-the-test.txt")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals("/written-by-the-test.txt", server.takeRequest().path());
    }

    @BeforeAll
    static void serverIsUpBeforeAll() {
        assertTrue(server.isRunning());
        portBeforeAll = server.port();
    }

    @AfterAll
    static void removeSite() throws IOException {
        try (Stream<Path> files = Files.walk(SITE)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        }
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(server.url(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void servesAFileToHttpClient() throws Exception {
        HttpResponse<byte[]> r = get("/random.bin");
        assertEquals(200, r.statusCode());
        assertArrayEquals(Files.readAllBytes(SITE.resolve("random.bin")), r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        RecordedRequest request = server.takeRequest();
        assertEquals("GET /random.bin HTTP/1.1", request.requestLine());
        assertEquals(portBeforeAll, server.port(), "one server for the class");
    }

    @Test
    void servesAFileToCurl() throws Exception {
        Curl.Result r = Curl.run(server.url("/hello.txt").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("hello from a file\n", r.out());
        RecordedRequest request = server.takeRequest();
        assertEquals("/hello.txt", request.path());
        assertTrue(request.headers().get("User-Agent").startsWith("curl/"));
        assertEquals(portBeforeAll, server.port(), "one server for the class");
    }

    @Test
    void listsAFolderAndServesUtf8Names() throws Exception {
        String listing = new String(get("/").body(), StandardCharsets.UTF_8);
        assertTrue(listing.contains("<a href=\"sub/\">sub/</a>"), listing);
        String encoded = URLEncoder.encode("naïve café.txt", StandardCharsets.UTF_8).replace("+", "%20");
        assertTrue(listing.contains("href=\"" + encoded + "\""), listing);
        assertEquals("accents\n", new String(get("/" + encoded).body(), StandardCharsets.UTF_8));
        assertEquals("/", server.takeRequest().path());
        assertEquals("/" + encoded, server.takeRequest().path());
    }

    @Test
    void aMissingFileIs404AndIsRecordedToo() throws Exception {
        assertEquals(404, get("/nope.txt").statusCode());
        assertEquals("/nope.txt", server.takeRequest().path());
    }

    @Test
    void theSameFileAskedTwiceQuicklyIsRecordedTwice() throws Exception {
        get("/sub/page.html");
        get("/sub/page.html");
        assertEquals("/sub/page.html", server.takeRequest().path());
        assertEquals("/sub/page.html", server.takeRequest().path());
    }

    @Test
    void aBodyTheHandlerIgnoresIsRecordedWhole() throws Exception {
        Curl.Result r = Curl.run("-X", "GET", "--data-binary", "ignored by the file server",
                server.url("/hello.txt").toString(), server.url("/hello.txt").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals("hello from a file\nhello from a file\n", r.out(), "both requests answered on one connection");
        assertEquals("ignored by the file server", server.takeRequest().bodyAsString());
        assertEquals("ignored by the file server", server.takeRequest().bodyAsString());
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterServerServesHereToo() throws Exception {
            assertEquals(portBeforeAll, server.port());
            assertEquals(200, get("/hello.txt").statusCode());
            assertEquals("/hello.txt", server.takeRequest().path());
        }
    }
}
