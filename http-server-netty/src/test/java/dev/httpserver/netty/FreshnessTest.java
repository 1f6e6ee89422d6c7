package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every response reflects the file system as it was when the request was read: a file changed,
 * replaced by a rename, truncated, deleted or created, and a folder changed, show on the very next
 * request, in a tight loop with no pause, on plain HTTP/1.1, HTTPS and HTTP/2 alike. The server is
 * the CLI's: a {@code SimpleHttpRequestHandler.Factory}, whose GETs the file stage answers.
 */
@Timeout(120)
class FreshnessTest {

    private static final int ROUNDS = 40;

    enum Protocol {
        HTTP_1_1, HTTPS_1_1, HTTP_2
    }

    @TempDir
    Path dir;
    private HttpServer server;
    private HttpClient client;
    private String base;

    private void start(Protocol protocol) {
        HttpServerBuilder b = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"));
        if (protocol != Protocol.HTTP_1_1) {
            b.tls(TlsTesting.CERT.material(), List.of("h2", "http/1.1"));
        }
        server = b.build().start();
        client = TlsTesting.client(protocol == Protocol.HTTP_2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        base = (protocol == Protocol.HTTP_1_1 ? "http" : "https") + "://127.0.0.1:" + server.serverPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private String body(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aChangedFileIsServedAsItIsNow(Protocol protocol) throws Exception {
        start(protocol);
        Path f = dir.resolve("f.txt");
        for (int i = 0; i < ROUNDS; i++) {
            // same length every other round: size and a coarse modification time cannot tell them apart
            String content = (i % 2 == 0 ? "even" : "odd!") + (i / 2 % 2 == 0 ? "" : " and longer " + i);
            Files.writeString(f, content);
            assertEquals(content, body("/f.txt"), "round " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aFileReplacedByARenameIsServedAsTheNewOne(Protocol protocol) throws Exception {
        start(protocol);
        Path f = dir.resolve("r.txt");
        Files.writeString(f, "start");
        body("/r.txt");
        for (int i = 0; i < ROUNDS; i++) {
            Path tmp = dir.resolve("r.tmp");
            Files.writeString(tmp, "replacement " + i);
            Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            assertEquals("replacement " + i, body("/r.txt"));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aTruncatedFileIsServedShort(Protocol protocol) throws Exception {
        start(protocol);
        Path f = dir.resolve("t.bin");
        for (int i = 0; i < ROUNDS; i++) {
            Files.writeString(f, "0123456789".repeat(10 + i));
            assertEquals(100 + 10 * i, body("/t.bin").length());
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(7);
            }
            assertEquals("0123456", body("/t.bin"), "round " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void deletedAndCreatedFilesShowAtOnceInFilesAndListings(Protocol protocol) throws Exception {
        start(protocol);
        for (int i = 0; i < ROUNDS; i++) {
            Path f = dir.resolve("new-" + i + ".txt");
            Files.writeString(f, "made " + i);
            assertEquals("made " + i, body("/new-" + i + ".txt"));
            assertTrue(body("/").contains("new-" + i + ".txt"), "the listing has the new file, round " + i);
            Files.delete(f);
            assertEquals(404, get("/new-" + i + ".txt").statusCode(), "round " + i);
            assertFalse(body("/").contains("new-" + i + ".txt"), "the listing lost the file, round " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aFolderThatBecomesAFileAndBackIsServedAsItIsNow(Protocol protocol) throws Exception {
        start(protocol);
        Path p = dir.resolve("x");
        for (int i = 0; i < ROUNDS / 4; i++) {
            Files.createDirectory(p);
            Files.writeString(p.resolve("index.html"), "index " + i);
            assertEquals("index " + i, body("/x/"));
            Files.delete(p.resolve("index.html"));
            assertTrue(body("/x/").contains("Directory listing for /x/"), "no index page any more: a listing");
            Files.delete(p);
            Files.writeString(p, "a file " + i);
            assertEquals("a file " + i, body("/x"));
            Files.delete(p);
        }
    }
}
