package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.testing.RawHttp.Response;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class SimpleHandlerTest {

    @TempDir
    static Path outside;
    static Path root;
    static HttpServer server;
    static byte[] big;
    static final long MTIME = 1_700_000_000L;

    static class Quiet extends SimpleHttpRequestHandler {
        Quiet(String dir) {
            super(dir);
            protocolVersion = "HTTP/1.1";
        }

        @Override
        public void logMessage(String format, Object... args) {
        }
    }

    @BeforeAll
    static void start() throws IOException {
        root = Files.createDirectories(outside.resolve("www"));
        Files.writeString(outside.resolve("secret.txt"), "top secret");
        Files.writeString(root.resolve("hello.txt"), "hello world\n");
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.from(Instant.ofEpochSecond(MTIME)));
        Files.writeString(root.resolve("page.HTML"), "<p>x</p>");
        Files.write(root.resolve("archive.tar.gz"), new byte[] {31, -117, 8});
        Files.write(root.resolve("blob.unknownext"), new byte[] {1, 2, 3});
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/index.html"), "<h1>index</h1>");
        Files.createDirectories(root.resolve("list/Beta"));
        Files.writeString(root.resolve("list/alpha.txt"), "a");
        Files.writeString(root.resolve("list/Gamma.txt"), "g");
        Files.writeString(root.resolve("list/<a href=\"x\">&'.txt"), "evil");
        Files.writeString(root.resolve("list/caf\u00e9 & co.txt"), "utf8");
        Files.createSymbolicLink(root.resolve("list/link"), root.resolve("list/Beta"));
        Files.createDirectories(root.resolve("existing_directory"));
        big = new byte[16 * 1024 * 1024 + 7];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> new Quiet(root.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Response get(String target, String... headerLines) throws IOException {
        return request("GET", target, headerLines);
    }

    static Response request(String method, String target, String... headerLines) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            StringBuilder sb = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: x\r\n");
            for (String h : headerLines) {
                sb.append(h).append("\r\n");
            }
            c.send(sb.append("\r\n").toString());
            return c.read(method.equals("HEAD"));
        }
    }

    @Test
    void fileHasTypeLengthAndLastModified() throws Exception {
        Response r = get("/hello.txt");
        assertEquals(200, r.status());
        assertEquals("hello world\n", r.text());
        assertEquals("text/plain", r.header("Content-type"));
        assertEquals("12", r.header("Content-Length"));
        assertEquals("Tue, 14 Nov 2023 22:13:20 GMT", r.header("Last-Modified"));
        assertTrue(r.header("Server").startsWith("SimpleHTTP/0.6 "));
    }

    @Test
    void headSendsHeadersOnly() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("HEAD /hello.txt HTTP/1.1\r\n\r\nGET /hello.txt HTTP/1.1\r\n\r\n");
            Response head = c.read(true);
            assertEquals("12", head.header("Content-Length"));
            Response get = c.read();
            assertEquals("hello world\n", get.text(), "no body bytes were sent after the HEAD response");
        }
    }

    @Test
    void typesComeFromExtensionsMapThenSystem() throws Exception {
        assertEquals("application/gzip", get("/archive.tar.gz").header("Content-type"));
        assertEquals("text/html", get("/page.HTML").header("Content-type"));
        assertEquals("application/octet-stream", get("/blob.unknownext").header("Content-type"));
    }

    @Test
    void directoryWithoutSlashIsRedirectedKeepingTheQuery() throws Exception {
        Response r = get("/sub?a=1&b=2");
        assertEquals(301, r.status());
        assertEquals("/sub/?a=1&b=2", r.header("Location"));
        assertEquals("0", r.header("Content-Length"));
    }

    @Test
    void indexPageIsServed() throws Exception {
        Response r = get("/sub/");
        assertEquals("<h1>index</h1>", r.text());
        assertEquals("text/html", r.header("Content-type"));
    }

    @Test
    void listingMatchesCpythonMarkup() throws Exception {
        Response r = get("/list/");
        assertEquals(200, r.status());
        assertEquals("text/html; charset=utf-8", r.header("Content-type"));
        String expected = "<!DOCTYPE HTML>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<style type=\"text/css\">\n:root {\ncolor-scheme: light dark;\n}\n</style>\n"
                + "<title>Directory listing for /list/</title>\n</head>\n<body>\n<h1>Directory listing for /list/</h1>\n"
                + "<hr>\n<ul>\n"
                + "<li><a href=\"%3Ca%20href%3D%22x%22%3E%26%27.txt\">&lt;a href=\"x\"&gt;&amp;'.txt</a></li>\n"
                + "<li><a href=\"alpha.txt\">alpha.txt</a></li>\n"
                + "<li><a href=\"Beta/\">Beta/</a></li>\n"
                + "<li><a href=\"caf%C3%A9%20%26%20co.txt\">caf\u00e9 &amp; co.txt</a></li>\n"
                + "<li><a href=\"Gamma.txt\">Gamma.txt</a></li>\n"
                + "<li><a href=\"link/\">link@</a></li>\n"
                + "</ul>\n<hr>\n</body>\n</html>\n";
        assertEquals(expected, r.text());
    }

    @Test
    void listingTitleIsUnquotedAndEscaped() throws Exception {
        Response r = get("/list/%3Ci%3E%20&/");
        assertEquals(404, r.status(), "no such folder");
        Files.createDirectories(root.resolve("list/<i> &"));
        try {
            Response listing = get("/list/%3Ci%3E%20&/");
            assertTrue(listing.text().contains("<title>Directory listing for /list/&lt;i&gt; &amp;/</title>"), listing.text());
        } finally {
            Files.delete(root.resolve("list/<i> &"));
        }
    }

    @Test
    void listingTitleLeavesOutTheQueryAndFragmentAsCpython314() throws Exception {
        for (String target : new String[] {"/list/Beta/?q=%3Cx%3E", "/list/Beta/#123", "/list/Beta/?x=1#y"}) {
            Response r = get(target);
            assertTrue(r.text().contains("<title>Directory listing for /list/Beta/</title>"), () -> target + ": " + r.text());
            assertTrue(r.text().contains("<h1>Directory listing for /list/Beta/</h1>"), () -> target + ": " + r.text());
        }
    }

    @Test
    void anEncodedTrailingSlashIsASlashAsCpython314() throws Exception {
        // CPython 3.14's test_get: a file with an encoded slash after it is not found, a folder is listed
        assertEquals(404, get("/hello.txt%2f").status());
        assertEquals(404, get("/hello.txt%2F").status());
        for (String folder : new String[] {"/list%2f", "/list%2F"}) {
            Response r = get(folder);
            assertEquals(200, r.status(), folder);
            assertTrue(r.text().contains("alpha.txt"), r::text);
        }
        assertEquals("/list/", get("/list").header("Location"));
    }

    @Test
    void ifModifiedSinceGives304() throws Exception {
        DateTimeFormatter f = DateTimeFormatter.RFC_1123_DATE_TIME;
        String at = f.format(Instant.ofEpochSecond(MTIME).atOffset(ZoneOffset.UTC));
        String later = f.format(Instant.ofEpochSecond(MTIME + 3600).atOffset(ZoneOffset.UTC));
        String earlier = f.format(Instant.ofEpochSecond(MTIME - 1).atOffset(ZoneOffset.UTC));
        Response r = get("/hello.txt", "If-Modified-Since: " + at);
        assertEquals(304, r.status());
        assertNull(r.header("Content-Length"));
        assertEquals(304, get("/hello.txt", "If-Modified-Since: " + later).status());
        assertEquals(200, get("/hello.txt", "If-Modified-Since: " + earlier).status());
        assertEquals(200, get("/hello.txt", "If-Modified-Since: not a date").status(), "ill-formed dates are ignored");
        assertEquals(200, get("/hello.txt", "If-Modified-Since: " + later, "If-None-Match: \"x\"").status(),
                "If-None-Match takes precedence, as in CPython");
        assertEquals(304, get("/hello.txt", "If-Modified-Since: Wed, 15 Nov 2023 00:00:00").status(),
                "a date without zone is UTC");
        assertEquals(304, get("/hello.txt", "If-Modified-Since: Sun Nov  6 08:49:37 2033").status(), "asctime, one-digit day");
        assertEquals(304, get("/hello.txt", "If-Modified-Since: Wed, 15 Nov 2023 00:00:00 UTC").status(), "zone named UTC");
        assertEquals(200, get("/hello.txt", "If-Modified-Since: Wed, 15 Nov 2023 00:00:00 +0200").status(),
                "CPython compares only UTC dates");
    }

    @Test
    void aFileNameThatIsNotUtf8IsLeftOutOfTheListingRatherThanLinkedBroken() throws Exception {
        Path dir = Files.createDirectories(root.resolve("undecodable"));
        Files.writeString(dir.resolve("plain.txt"), "plain");
        // Java cannot name such a file: the shell makes it (the name's byte 0xFF is not UTF-8)
        Process p = new ProcessBuilder("sh", "-c", "printf x > \"$(printf 'bad\\377name.txt')\"")
                .directory(dir.toFile()).start();
        assertEquals(0, p.waitFor());
        try (java.util.stream.Stream<Path> names = Files.list(dir)) {
            assertEquals(2, names.count(), "the file exists");
        }
        Response r = get("/undecodable/");
        assertEquals(200, r.status());
        assertTrue(r.text().contains("href=\"plain.txt\""), r.text());
        assertFalse(r.text().contains("\uFFFD"), "no entry with U+FFFD, whose link would be a 404: " + r.text());
        assertFalse(r.text().contains("name.txt\""), r.text());
    }

    @Test
    void missingFileAndTrailingSlashOnAFileGive404() throws Exception {
        assertEquals(404, get("/nope.txt").status());
        assertEquals(404, get("/hello.txt/").status());
        assertEquals("File not found", get("/nope.txt").reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt", "/..%5csecret.txt",
        "/sub/../../secret.txt", "/..\\secret.txt", "/%2e%2e%2f%2e%2e%2fsecret.txt", "/secret.txt%00.html",
        "/%00", "http://evil.example/../secret.txt", "/./.././secret.txt", "//../secret.txt", "/....//secret.txt",
        // without a leading slash the path stays relative, so normalisation keeps its ".." for the filter to drop
        "../secret.txt", "..%2fsecret.txt", "%2e%2e/secret.txt", "%2E%2E%2F%2e%2e%2Fsecret.txt", "./../secret.txt",
        "..\\secret.txt"})
    void pathsNeverEscapeTheDirectory(String target) throws Exception {
        Response r = get(target);
        assertNotEquals("top secret", r.text(), target);
        assertTrue(r.status() == 404 || r.status() == 400 || r.status() == 301, target + " -> " + r.statusLine);
        Response again = get("/hello.txt");
        assertEquals(200, again.status(), "the server keeps serving");
    }

    @Test
    void doubleSlashGetsNoOpenRedirect() throws Exception {
        String url = "/python.org/..%2f..%2f..%2f..%2f..%2f../%0a%0d/../existing_directory";
        Response r = get(url);
        assertEquals(301, r.status());
        assertEquals(url + "/", r.header("Location"));
        for (String attack : new String[] {"/" + url, "//" + url}) {
            Response a = get(attack);
            assertEquals(301, a.status());
            assertFalse(a.header("Location").startsWith("//"), a.header("Location"));
            assertEquals(url + "/", a.header("Location"));
        }
        Response abs = get("https://pypi.org" + url);
        assertEquals(301, abs.status());
        assertTrue(abs.header("Location").startsWith("https://pypi.org/"), abs.header("Location"));
    }

    @Test
    void aTargetInAbsoluteFormNamesTheFileOfItsPath() throws Exception {
        // RFC 9112 section 3.2.2: a server must accept the absolute form; CPython looks for a folder "http:".
        Response file = get("http://x/hello.txt");
        assertEquals(200, file.status());
        assertEquals("hello world\n", file.text());
        assertEquals("hello world\n", get("HTTP://other.example:8080/hello.txt?q=1").text(), "any host, any case");
        assertEquals("<h1>index</h1>", get("https://x/sub/").text());
        Response dir = get("http://x/sub?a=1");
        assertEquals(301, dir.status());
        assertEquals("http://x/sub/?a=1", dir.header("Location"), "the redirect keeps the absolute form");
        assertTrue(get("http://x/").text().contains("hello.txt"), "the root's listing");
        assertEquals("http://x/", get("http://x").header("Location"), "no path is the root, without its slash");
        assertEquals("http://x/?q", get("http://x?q").header("Location"));
        assertEquals(404, get("http://x/../secret.txt").status(), "still never above the folder");
        assertEquals(404, get("http://x/..%2fsecret.txt").status());
        assertEquals(404, get("ftp://x/hello.txt").status(), "only http and https have an authority to drop");
    }

    @Test
    void aRefusedRequestBehindALargeAnswerEndsTheConnectionWithoutLosingTheAnswer() throws Exception {
        // The client sends a request and, before reading, a refused one and more bytes: reading pauses
        // while the 16 MiB answer waits for it, so bytes stay unread when the connection ends. Closing
        // then would send a reset, which destroys what the client has not read yet.
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.serverPort())) {
            s.setSoTimeout(20_000);
            byte[] junk = new byte[256 * 1024];
            java.util.Arrays.fill(junk, (byte) 'a');
            s.getOutputStream().write(("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\nHEAD /x HTTP/0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                s.getOutputStream().write(junk);
            } catch (java.io.IOException e) {
                // the server may stop reading for good: what it answered is still to be read below
            }
            Thread.sleep(300);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            java.io.InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) { // a reset would throw here
                got.write(buf, 0, n);
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            assertTrue(text.startsWith("HTTP/1.1 200 "), () -> text.substring(0, Math.min(200, text.length())));
            String after = text.substring(bodyStart + big.length);
            assertTrue(after.startsWith("HTTP/1.1 400 "), () -> "the whole file, then the 400: " + after.substring(0, Math.min(200, after.length())));
            assertTrue(java.util.Arrays.equals(big, java.util.Arrays.copyOfRange(got.toByteArray(), bodyStart, bodyStart + big.length)),
                    "the file arrived whole");
        }
    }

    @Test
    void controlCharactersInARedirectAreEncoded() throws Exception {
        for (String target : new String[] {"/sub?\u0000", "/sub?\u0004x", "/sub#\u001b"}) {
            Response r = get(target);
            assertEquals(301, r.status(), target);
            String location = r.header("Location");
            assertTrue(location.chars().allMatch(c -> c > 0x20 && c < 0x7f), location);
        }
        assertEquals("/sub/?%00", get("/sub?\u0000").header("Location"));
    }

    @Test
    void nulInAPathIsNotFound() throws Exception {
        assertEquals(404, get("/hello.txt%00").status());
        assertEquals(404, get("/list%00/").status());
        assertEquals(404, get("/%00/").status());
    }

    @Test
    void bigFileArrivesWhole() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.serverPort() + "/big.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals(big.length, r.body().length);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(big), MessageDigest.getInstance("SHA-256").digest(r.body()));
    }

    @Test
    void postIsNotSupported() throws Exception {
        Response r = request("POST", "/hello.txt", "Content-Length: 0");
        assertEquals(501, r.status());
        assertEquals("Unsupported method ('POST')", r.reason());
    }

    @Test
    void nonAsciiFileNameIsServedFromItsQuotedLink() throws Exception {
        Response r = get("/list/caf%C3%A9%20%26%20co.txt");
        assertEquals(200, r.status());
        assertEquals("utf8", new String(r.body, StandardCharsets.UTF_8));
    }
}
