package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving options of SimpleHttpRequestHandler.Factory, on real sockets: response headers
 * (CPython 3.15's response_headers), Cache-Control, CORS with its preflight, the type of files whose
 * type cannot be guessed; and that none of them changes anything when not asked for.
 */
@Timeout(60)
class ServingOptionsTest {

    @TempDir
    Path dir;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "0123456789");
        Files.writeString(dir.resolve("blob.zzz"), "blob");
        Files.createDirectory(dir.resolve("sub"));
    }

    private HttpServer serve(SimpleHttpRequestHandler.Factory f) {
        return HttpServer.builder().address("127.0.0.1", 0).handler(f).build().start();
    }

    private HttpResponse<String> send(HttpServer s, String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.serverPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void responseHeadersAndCacheControlGoOnEveryAnswerForAFileOrListingAndNotOnErrors() throws Exception {
        SimpleHttpRequestHandler.Factory f = SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1")
                .withResponseHeaders(List.of(Map.entry("X-Frame-Options", "DENY"), Map.entry("X-Extra", "1")))
                .withCacheControl("no-cache");
        try (HttpServer s = serve(f)) {
            for (int i = 0; i < 2; i++) { // a second time: the same headers when answered on the I/O thread
                HttpResponse<String> file = send(s, "GET", "/a.txt");
                assertEquals(200, file.statusCode());
                assertEquals(List.of("DENY"), file.headers().allValues("X-Frame-Options"));
                assertEquals("no-cache", file.headers().firstValue("Cache-Control").orElse(null));
            }
            HttpResponse<String> listing = send(s, "GET", "/sub/");
            assertEquals("1", listing.headers().firstValue("X-Extra").orElse(null));
            HttpResponse<String> range = send(s, "GET", "/a.txt", "Range", "bytes=0-1");
            assertEquals(206, range.statusCode());
            assertEquals("1", range.headers().firstValue("X-Extra").orElse(null));
            String etag = send(s, "HEAD", "/a.txt").headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> notModified = send(s, "GET", "/a.txt", "If-None-Match", etag);
            assertEquals(304, notModified.statusCode());
            assertEquals("no-cache", notModified.headers().firstValue("Cache-Control").orElse(null));
            HttpResponse<String> missing = send(s, "GET", "/missing");
            assertEquals(404, missing.statusCode());
            assertFalse(missing.headers().firstValue("X-Extra").isPresent(), "not on an error");
            assertFalse(missing.headers().firstValue("Cache-Control").isPresent());
        }
    }

    @Test
    void corsAllowsEveryOriginAndAnswersPreflights() throws Exception {
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1").withCors(true))) {
            assertEquals("*", send(s, "GET", "/a.txt", "Origin", "http://a.example")
                    .headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("*", send(s, "GET", "/missing").headers().firstValue("Access-Control-Allow-Origin").orElse(null),
                    "errors too, so that a page can read them");
            HttpResponse<String> pre = send(s, "OPTIONS", "/a.txt", "Origin", "http://a.example",
                    "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-token, content-type");
            assertEquals(204, pre.statusCode());
            assertEquals("GET, HEAD, OPTIONS", pre.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
            assertEquals("x-token, content-type", pre.headers().firstValue("Access-Control-Allow-Headers").orElse(null));
            assertEquals("86400", pre.headers().firstValue("Access-Control-Max-Age").orElse(null));
            assertEquals("*", pre.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            HttpResponse<String> plain = send(s, "OPTIONS", "/a.txt");
            assertEquals(204, plain.statusCode());
            assertEquals("GET, HEAD, OPTIONS", plain.headers().firstValue("Allow").orElse(null));
            assertFalse(plain.headers().firstValue("Access-Control-Allow-Methods").isPresent());
        }
    }

    @Test
    void withoutOptionsNothingChanges() throws Exception {
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"))) {
            HttpResponse<String> file = send(s, "GET", "/a.txt", "Origin", "http://a.example");
            assertFalse(file.headers().firstValue("Access-Control-Allow-Origin").isPresent());
            assertFalse(file.headers().firstValue("Cache-Control").isPresent());
            assertEquals(501, send(s, "OPTIONS", "/a.txt").statusCode(), "CPython's answer to OPTIONS");
            assertEquals("application/octet-stream", send(s, "GET", "/blob.zzz").headers()
                    .firstValue("Content-Type").orElse(null));
        }
    }

    @Test
    void theTypeOfFilesThatCannotBeGuessed() throws Exception {
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1")
                .withDefaultContentType("text/plain; charset=utf-8"))) {
            assertEquals("text/plain; charset=utf-8", send(s, "GET", "/blob.zzz").headers()
                    .firstValue("Content-Type").orElse(null));
            assertEquals("text/plain", send(s, "GET", "/a.txt").headers().firstValue("Content-Type").orElse(null),
                    "a guessed type stays");
        }
    }

    @Test
    void aListingComesAsJsonToAClientThatAsksForIt(@TempDir Path outside) throws Exception {
        Files.writeString(dir.resolve("sub/Quote\"d.txt"), "q");
        Files.createSymbolicLink(dir.resolve("sub/link"), dir.resolve("a.txt"));
        Files.createDirectory(dir.resolve("sub/inner"));
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"))) {
            HttpResponse<String> json = send(s, "GET", "/sub/", "Accept", "application/json");
            assertEquals(200, json.statusCode());
            assertEquals("application/json", json.headers().firstValue("Content-Type").orElse(null));
            String b = json.body();
            assertTrue(b.startsWith("{\"path\": \"/sub/\", \"entries\": ["), b);
            assertTrue(b.matches("(?s).*\\{\"name\": \"inner\", \"type\": \"directory\", \"modified\": \"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\"}.*"), b);
            assertTrue(b.contains("{\"name\": \"link\", \"type\": \"symlink\", \"size\": 10, \"modified\": "), b);
            assertTrue(b.contains("\"target\": \"" + dir.resolve("a.txt") + "\"}"), b);
            assertTrue(b.contains("{\"name\": \"Quote\\\"d.txt\", \"type\": \"file\", \"size\": 1, "), b);
            assertTrue(b.indexOf("\"inner\"") < b.indexOf("\"link\"") && b.indexOf("\"link\"") < b.indexOf("Quote"),
                    "sorted as the HTML listing, case-insensitively: " + b);
            // a browser's Accept, and none at all, get CPython's HTML
            String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
            assertTrue(send(s, "GET", "/sub/", "Accept", browser).body().startsWith("<!DOCTYPE HTML>"));
            assertTrue(send(s, "GET", "/sub/").body().startsWith("<!DOCTYPE HTML>"));
            assertTrue(send(s, "GET", "/sub/", "Accept", "text/html;q=0.5, application/json").body().startsWith("{"));
        }
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1").withJsonListings(false))) {
            assertTrue(send(s, "GET", "/sub/", "Accept", "application/json").body().startsWith("<!DOCTYPE HTML>"));
        }
    }

    @Test
    void dotfilesCanBeHidden() throws Exception {
        Files.writeString(dir.resolve(".env"), "SECRET=1");
        Files.createDirectory(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/config"), "[core]");
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"))) {
            assertEquals(200, send(s, "GET", "/.env").statusCode(), "CPython serves them");
            assertTrue(send(s, "GET", "/").body().contains(".env"));
        }
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1").withHiddenDotfiles(true))) {
            assertEquals(404, send(s, "GET", "/.env").statusCode());
            assertEquals(404, send(s, "GET", "/.git/config").statusCode());
            assertEquals(404, send(s, "GET", "/%2egit/config").statusCode(), "decoded before the check");
            assertEquals(404, send(s, "HEAD", "/sub/../.env").statusCode());
            String listing = send(s, "GET", "/").body();
            assertFalse(listing.contains(".env") || listing.contains(".git"), listing);
            assertTrue(listing.contains("a.txt"), listing);
            assertEquals(200, send(s, "GET", "/a.txt").statusCode());
        }
    }

    @Test
    void symlinksOutOfTheFolderCanBeRefused(@TempDir Path outside) throws Exception {
        Files.writeString(outside.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(dir.resolve("out"), outside);
        Files.createSymbolicLink(dir.resolve("in.txt"), dir.resolve("a.txt"));
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"))) {
            assertEquals("outside", send(s, "GET", "/out/secret.txt").body(), "CPython follows every link");
        }
        try (HttpServer s = serve(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1").withSymlinksOutside(false))) {
            assertEquals(404, send(s, "GET", "/out/secret.txt").statusCode());
            assertEquals(404, send(s, "GET", "/out/").statusCode());
            assertEquals("0123456789", send(s, "GET", "/in.txt").body(), "a link that stays inside is served");
            assertEquals(404, send(s, "GET", "/nothing-here").statusCode());
        }
    }

    @Test
    void badOptionsAreRefusedAtOnce() {
        SimpleHttpRequestHandler.Factory f = SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1");
        assertThrows(IllegalArgumentException.class, () -> f.withResponseHeaders(List.of(Map.entry("X-A", "1\r\nX-B: 2"))));
        assertThrows(IllegalArgumentException.class, () -> f.withResponseHeaders(List.of(Map.entry("X A", "1"))));
        assertThrows(IllegalArgumentException.class, () -> f.withCacheControl("a\nb"));
        assertThrows(IllegalArgumentException.class, () -> f.withDefaultContentType("plain"));
        assertTrue(f.withCors(true).get() instanceof SimpleHttpRequestHandler);
    }
}
