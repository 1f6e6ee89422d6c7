package dev.httpserver.netty;

import static dev.httpserver.netty.RangeTesting.DATA_SIZE;
import static dev.httpserver.netty.RangeTesting.MTIME_HTTP;
import static dev.httpserver.netty.RangeTesting.contentRange;
import static dev.httpserver.netty.RangeTesting.exchange;
import static dev.httpserver.netty.RangeTesting.parts;
import static dev.httpserver.netty.RangeTesting.request;
import static dev.httpserver.netty.RangeTesting.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.RangeTesting.Part;
import dev.httpserver.netty.RangeTesting.Served;
import dev.httpserver.netty.RangeTesting.Serving;
import dev.httpserver.netty.testing.RawHttp;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Range requests (RFC 9110 14) on a real socket, each against the file stage
 * ({@code SimpleHttpRequestHandler.Factory}) and handler threads (a subclass declaring a method):
 * 206 with one range or {@code multipart/byteranges}, 416, ignored ranges, HEAD, listings, errors,
 * precompressed forms, and the CPython-exact handler with the extensions turned off; single range
 * and multipart also over HTTPS and HTTP/2.
 */
@Timeout(120)
class RangeRequestTest {

    @TempDir
    Path dir;
    private Served files;
    private HttpServer server;

    @BeforeEach
    void files() throws Exception {
        files = new Served(dir);
        RangeTesting.LOGGED_ON.clear();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Serving serving) {
        server = serving.builder(dir).build().start();
    }

    private RawHttp.Response get(String path, String... headers) throws Exception {
        return exchange(server, "GET", path, headers);
    }

    /** A 206 of one range: its headers, and the bytes of {@code all} from first to last. */
    private static void assertSingleRange(RawHttp.Response r, byte[] all, long first, long last, String type) {
        assertEquals(206, r.status(), r::toString);
        assertEquals("bytes " + first + "-" + last + "/" + all.length, r.header("Content-Range"), r::toString);
        assertEquals(Long.toString(last - first + 1), r.header("Content-Length"), r::toString);
        assertEquals(type, r.header("Content-type"), r::toString);
        assertEquals("bytes", r.header("Accept-Ranges"), r::toString);
        assertNotNull(r.header("ETag"), r::toString);
        assertEquals(MTIME_HTTP, r.header("Last-Modified"), r::toString);
        assertArrayEquals(slice(all, first, last), r.body, "the bytes " + first + "-" + last);
    }

    /** A 200 with the whole of {@code all}. */
    private static void assertWhole(RawHttp.Response r, byte[] all) {
        assertEquals(200, r.status(), r::toString);
        assertNull(r.header("Content-Range"), r::toString);
        assertEquals(Integer.toString(all.length), r.header("Content-Length"), r::toString);
        assertArrayEquals(all, r.body, "the whole file");
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void aSingleRangeIsThoseBytes(Serving serving) throws Exception {
        start(serving);
        assertSingleRange(get("/data.bin", "Range: bytes=100-199"), files.data, 100, 199, "application/octet-stream");
        assertSingleRange(get("/data.bin", "Range: bytes=0-0"), files.data, 0, 0, "application/octet-stream");
        assertSingleRange(get("/data.bin", "Range: bytes=0-9999"), files.data, 0, 9999, "application/octet-stream");
        assertSingleRange(get("/page.txt", "Range: bytes=5-1004"), files.page, 5, 1004, "text/plain");
        RawHttp.Response plain = get("/data.bin");
        assertWhole(plain, files.data);
        assertEquals("bytes", plain.header("Accept-Ranges"), "a 200 for a file announces ranges");
        assertNotNull(plain.header("ETag"), "and has an ETag");
        serving.assertRanWhereExpected();
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void suffixAndOpenRanges(Serving serving) throws Exception {
        start(serving);
        String type = "application/octet-stream";
        assertSingleRange(get("/data.bin", "Range: bytes=-500"), files.data, 9500, 9999, type);
        assertSingleRange(get("/data.bin", "Range: bytes=9500-"), files.data, 9500, 9999, type);
        assertSingleRange(get("/data.bin", "Range: bytes=-1"), files.data, 9999, 9999, type);
        assertSingleRange(get("/data.bin", "Range: bytes=-20000"), files.data, 0, 9999, type);
        assertSingleRange(get("/data.bin", "Range: bytes=0-"), files.data, 0, 9999, type);
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void aLastBytePosPastTheEndIsClamped(Serving serving) throws Exception {
        start(serving);
        assertSingleRange(get("/data.bin", "Range: bytes=9990-20000"), files.data, 9990, 9999, "application/octet-stream");
        assertSingleRange(get("/data.bin", "Range: bytes=9999-9999999999999"), files.data, 9999, 9999,
                "application/octet-stream");
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void noSatisfiableRangeGives416WithTheLength(Serving serving) throws Exception {
        start(serving);
        for (String range : List.of("bytes=10000-", "bytes=10000-10001", "bytes=20000-30000, 10000-", "bytes=-0")) {
            RawHttp.Response r = get("/data.bin", "Range: " + range);
            assertEquals(416, r.status(), () -> range + ": " + r);
            assertEquals("bytes */" + DATA_SIZE, r.header("Content-Range"), () -> range + ": " + r);
            assertEquals(0, r.body.length, () -> range + ": " + r);
        }
        // one unsatisfiable range among satisfiable ones is dropped
        assertSingleRange(get("/data.bin", "Range: bytes=20000-, 10-19"), files.data, 10, 19, "application/octet-stream");
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void anInvalidRangeIsIgnored(Serving serving) throws Exception {
        start(serving);
        for (String range : List.of("bytes=500-100", "bytes=abc", "bytes=", "bytes=-", "bytes=1-2-3", "items=0-5",
                "0-5", "bytes 0-5", "bytes=0-5, x")) {
            RawHttp.Response r = get("/data.bin", "Range: " + range);
            assertWhole(r, files.data);
            assertEquals("bytes", r.header("Accept-Ranges"), () -> range + ": " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void severalRangesAreMultipartByteranges(Serving serving) throws Exception {
        start(serving);
        RawHttp.Response r = get("/data.bin", "Range: bytes=0-9, 500-599, -100");
        assertEquals(206, r.status(), r::toString);
        assertNull(r.header("Content-Range"), "no Content-Range on a multipart response");
        assertEquals("length", r.framing);
        assertEquals(Integer.toString(r.body.length), r.header("Content-Length"), "Content-Length is the body's length");
        assertNotNull(r.header("ETag"), r::toString);
        assertEquals(MTIME_HTTP, r.header("Last-Modified"), r::toString);
        assertMultipart(r.header("Content-type"), r.body, files.data, "application/octet-stream",
                new long[][] {{0, 9}, {500, 599}, {9900, 9999}});
        serving.assertRanWhereExpected();
    }

    /** The parts of a multipart body: each with the type, its Content-Range, and those bytes of {@code all}. */
    static void assertMultipart(String contentType, byte[] body, byte[] all, String type, long[][] expected) {
        List<Part> parts = parts(contentType, body);
        assertEquals(expected.length, parts.size(), "parts");
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            long[] cr = contentRange(p.header("Content-Range"));
            assertEquals(type, p.header("Content-Type"), "part " + i);
            assertEquals(expected[i][0], cr[0], "part " + i + " first byte");
            assertEquals(expected[i][1], cr[1], "part " + i + " last byte");
            assertEquals(all.length, cr[2], "part " + i + " complete length");
            assertArrayEquals(slice(all, cr[0], cr[1]), p.body(), "part " + i + " bytes");
        }
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void overlappingAndAdjacentRangesAreCoalescedIntoOne(Serving serving) throws Exception {
        start(serving);
        String type = "application/octet-stream";
        assertSingleRange(get("/data.bin", "Range: bytes=0-99, 50-149, 150-199"), files.data, 0, 199, type);
        assertSingleRange(get("/data.bin", "Range: bytes=100-199, 200-299"), files.data, 100, 299, type);
        assertSingleRange(get("/data.bin", "Range: bytes=9000-, -500"), files.data, 9000, 9999, type);
        assertSingleRange(get("/data.bin", "Range: bytes=10-19, 10-19, 10-19"), files.data, 10, 19, type);
        // two groups: two parts
        RawHttp.Response r = get("/data.bin", "Range: bytes=0-9, 5-14, 100-109, 110-119");
        assertMultipart(r.header("Content-type"), r.body, files.data, type, new long[][] {{0, 14}, {100, 119}});
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void aThousandRangesGetTheWholeFileAtOnce(Serving serving) throws Exception {
        start(serving);
        StringBuilder many = new StringBuilder("Range: bytes=");
        for (int i = 0; i < 1000; i++) {
            many.append(i == 0 ? "" : ",").append(2 * i).append('-').append(2 * i);
        }
        long t0 = System.nanoTime();
        RawHttp.Response r = get("/data.bin", many.toString());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertWhole(r, files.data);
        assertTrue(millis < 5_000, "answered quickly: " + millis + " ms");

        // at the cap: 64 ranges are honoured, 65 are not
        StringBuilder cap = new StringBuilder("Range: bytes=");
        long[][] expected = new long[64][];
        for (int i = 0; i < 64; i++) {
            cap.append(i == 0 ? "" : ",").append(10 * i).append('-').append(10 * i + 1);
            expected[i] = new long[] {10 * i, 10 * i + 1};
        }
        RawHttp.Response at = get("/data.bin", cap.toString());
        assertEquals(206, at.status(), at::toString);
        assertMultipart(at.header("Content-type"), at.body, files.data, "application/octet-stream", expected);
        assertWhole(get("/data.bin", cap + ",9000-9001"), files.data);
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void headWithRangeAnswersAsGetWithoutTheBody(Serving serving) throws Exception {
        start(serving);
        try (RawHttp http = new RawHttp("127.0.0.1", server.serverPort())) {
            http.send(request("HEAD", "/data.bin", false, "Range: bytes=100-199"));
            RawHttp.Response head = http.read(true);
            assertEquals(206, head.status(), head::toString);
            assertEquals("bytes 100-199/" + DATA_SIZE, head.header("Content-Range"));
            assertEquals("100", head.header("Content-Length"));
            assertEquals("bytes", head.header("Accept-Ranges"));
            assertNotNull(head.header("ETag"));

            http.send(request("HEAD", "/data.bin", false, "Range: bytes=0-9, 500-599, -100"));
            RawHttp.Response multiHead = http.read(true);
            assertEquals(206, multiHead.status(), multiHead::toString);
            assertTrue(multiHead.header("Content-type").startsWith("multipart/byteranges; boundary="), multiHead::toString);

            http.send(request("HEAD", "/data.bin", false, "Range: bytes=10000-"));
            RawHttp.Response unsatisfiable = http.read(true);
            assertEquals(416, unsatisfiable.status(), unsatisfiable::toString);
            assertEquals("bytes */" + DATA_SIZE, unsatisfiable.header("Content-Range"));

            // A body after any of the heads would be read here as the status line.
            http.send(request("GET", "/data.bin", false, "Range: bytes=0-9, 500-599, -100"));
            RawHttp.Response multiGet = http.read(false);
            assertEquals(206, multiGet.status(), multiGet::toString);
            assertEquals(multiHead.header("Content-Length"), multiGet.header("Content-Length"),
                    "HEAD's Content-Length is GET's (boundaries are of one length)");
            assertMultipart(multiGet.header("Content-type"), multiGet.body, files.data, "application/octet-stream",
                    new long[][] {{0, 9}, {500, 599}, {9900, 9999}});
            assertEquals(head.header("ETag"), multiGet.header("ETag"));
        }
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void listingsAndErrorsAreNeverRanged(Serving serving) throws Exception {
        start(serving);
        RawHttp.Response listing = get("/sub/", "Range: bytes=0-9");
        assertEquals(200, listing.status(), listing::toString);
        assertNull(listing.header("Content-Range"), listing::toString);
        assertNull(listing.header("Accept-Ranges"), "a listing does not offer ranges");
        assertTrue(listing.text().contains("Directory listing for /sub/"), listing::text);
        assertEquals(listing.header("Content-Length"), Integer.toString(listing.body.length));

        RawHttp.Response missing = get("/missing.bin", "Range: bytes=0-9");
        assertEquals(404, missing.status(), missing::toString);
        assertNull(missing.header("Content-Range"), missing::toString);
        assertTrue(missing.text().contains("File not found"), missing::text);

        RawHttp.Response redirect = get("/sub", "Range: bytes=0-9");
        assertEquals(301, redirect.status(), redirect::toString);
        assertNull(redirect.header("Content-Range"), redirect::toString);
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void aPrecompressedFormIsSentToAClientThatAcceptsIt(Serving serving) throws Exception {
        start(serving);
        RawHttp.Response gz = get("/page.txt", "Accept-Encoding: gzip");
        assertEquals(200, gz.status(), gz::toString);
        assertEquals("gzip", gz.header("Content-Encoding"), gz::toString);
        assertEquals("Accept-Encoding", gz.header("Vary"), gz::toString);
        assertEquals("text/plain", gz.header("Content-type"), "the original's type, not application/gzip");
        assertEquals(Integer.toString(files.pageGz.length), gz.header("Content-Length"));
        assertArrayEquals(files.pageGz, gz.body, "page.txt.gz's bytes");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body))) {
            assertArrayEquals(files.page, in.readAllBytes(), "page.txt once decompressed");
        }

        RawHttp.Response identity = get("/page.txt");
        assertWhole(identity, files.page);
        assertNull(identity.header("Content-Encoding"), identity::toString);
        assertNotEquals(gz.header("ETag"), identity.header("ETag"), "each form has its own strong ETag");
        for (String accept : List.of("gzip;q=0", "br", "identity", "deflate, zstd")) {
            RawHttp.Response r = get("/page.txt", "Accept-Encoding: " + accept);
            assertWhole(r, files.page);
            assertNull(r.header("Content-Encoding"), () -> accept + ": " + r);
        }
        RawHttp.Response star = get("/page.txt", "Accept-Encoding: *");
        assertArrayEquals(files.pageGz, star.body, "* accepts gzip");

        // A Range applies to the bytes sent: the .gz file's.
        RawHttp.Response ranged = get("/page.txt", "Accept-Encoding: gzip", "Range: bytes=0-99");
        assertSingleRange(ranged, files.pageGz, 0, 99, "text/plain");
        assertEquals("gzip", ranged.header("Content-Encoding"), ranged::toString);
        assertEquals(gz.header("ETag"), ranged.header("ETag"));
        RawHttp.Response multi = get("/page.txt", "Accept-Encoding: gzip", "Range: bytes=0-9,-10");
        int n = files.pageGz.length;
        assertMultipart(multi.header("Content-type"), multi.body, files.pageGz, "text/plain",
                new long[][] {{0, 9}, {n - 10, n - 1}});
        assertEquals("gzip", multi.header("Content-Encoding"), multi::toString);

        // The .gz file asked for by name is itself, not encoded.
        RawHttp.Response byName = get("/page.txt.gz", "Accept-Encoding: gzip");
        assertWhole(byName, files.pageGz);
        assertEquals("application/gzip", byName.header("Content-type"));
        assertNull(byName.header("Content-Encoding"), byName::toString);
    }

    /** CPython's handler: the extensions turned off in an instance initializer (no method declared). */
    static final class CpythonExact extends SimpleHttpRequestHandler {
        CpythonExact(Path dir) {
            super(dir);
        }

        {
            protocolVersion = "HTTP/1.1";
            rangeRequests = false;
            etags = false;
            precompressed = false;
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withTheExtensionsOffTheHeadersAreCpythons(boolean handlerThreads) throws Exception {
        Path served = dir;
        server = HttpServer.builder().handler(handlerThreads
                ? () -> new SimpleHttpRequestHandler(served) {
                    {
                        protocolVersion = "HTTP/1.1";
                        rangeRequests = false;
                        etags = false;
                        precompressed = false;
                    }

                    @Override
                    public void logMessage(String format, Object... args) {
                        RangeTesting.LOGGED_ON.add(Thread.currentThread().getName());
                        super.logMessage(format, args);
                    }
                }
                : () -> new CpythonExact(served)).build().start();
        for (String[] request : List.of(new String[] {"Range: bytes=0-9"}, new String[] {"Range: bytes=0-9, 20-29"},
                new String[] {"Range: bytes=10000-"}, new String[] {"Accept-Encoding: gzip", "Range: bytes=0-9"},
                new String[] {"If-Range: " + MTIME_HTTP, "Range: bytes=0-9"}, new String[0])) {
            RawHttp.Response r = get("/data.bin", request);
            assertWhole(r, files.data);
            List<String> names = new ArrayList<>();
            for (Map.Entry<String, String> h : r.headers) {
                if (!h.getKey().equalsIgnoreCase("Connection")) { // the transport's answer to Connection: close
                    names.add(h.getKey());
                }
            }
            assertEquals(List.of("Server", "Date", "Content-type", "Content-Length", "Last-Modified"), names,
                    () -> String.join(", ", request) + ": " + r);
        }
        RawHttp.Response page = get("/page.txt", "Accept-Encoding: gzip");
        assertWhole(page, files.page);
        assertNull(page.header("Content-Encoding"), "no precompressed form");
        assertNull(page.header("Vary"), page::toString);
        (handlerThreads ? Serving.HANDLER_THREADS : Serving.FILE_STAGE).assertRanWhereExpected();
    }

    enum Protocol {
        HTTPS_1_1, HTTP_2
    }

    static Stream<Arguments> overTls() {
        List<Arguments> all = new ArrayList<>();
        for (Serving s : Serving.values()) {
            for (Protocol p : Protocol.values()) {
                all.add(Arguments.of(s, p));
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("overTls")
    void rangesOverTlsAndHttp2(Serving serving, Protocol protocol) throws Exception {
        server = serving.builder(dir).tls(TlsTesting.CERT.material(), List.of("h2", "http/1.1")).build().start();
        HttpClient.Version version = protocol == Protocol.HTTP_2 ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
        HttpClient client = TlsTesting.client(version);
        URI uri = URI.create("https://127.0.0.1:" + server.serverPort() + "/data.bin");

        HttpResponse<byte[]> one = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=100-199").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(version, one.version());
        assertEquals(206, one.statusCode());
        assertEquals("bytes 100-199/" + DATA_SIZE, one.headers().firstValue("content-range").orElse(null));
        assertEquals("100", one.headers().firstValue("content-length").orElse(null));
        assertArrayEquals(slice(files.data, 100, 199), one.body());

        HttpResponse<byte[]> multi = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=0-9, 500-599, -100").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(version, multi.version());
        assertEquals(206, multi.statusCode());
        assertEquals(Integer.toString(multi.body().length), multi.headers().firstValue("content-length").orElse(null));
        assertMultipart(multi.headers().firstValue("content-type").orElse(null), multi.body(), files.data,
                "application/octet-stream", new long[][] {{0, 9}, {500, 599}, {9900, 9999}});

        HttpResponse<byte[]> none = client.send(HttpRequest.newBuilder(uri).header("Range", "bytes=10000-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(416, none.statusCode());
        assertEquals("bytes */" + DATA_SIZE, none.headers().firstValue("content-range").orElse(null));

        HttpResponse<byte[]> gz = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.serverPort()
                + "/page.txt")).header("Accept-Encoding", "gzip").header("Range", "bytes=0-99").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, gz.statusCode());
        assertEquals("gzip", gz.headers().firstValue("content-encoding").orElse(null));
        assertArrayEquals(slice(files.pageGz, 0, 99), gz.body());
        serving.assertRanWhereExpected();
    }
}
