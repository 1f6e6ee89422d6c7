package dev.httpserver.netty;

import static dev.httpserver.netty.RangeTesting.DATA_SIZE;
import static dev.httpserver.netty.RangeTesting.MTIME;
import static dev.httpserver.netty.RangeTesting.MTIME_HTTP;
import static dev.httpserver.netty.RangeTesting.exchange;
import static dev.httpserver.netty.RangeTesting.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.RangeTesting.Served;
import dev.httpserver.netty.RangeTesting.Serving;
import dev.httpserver.netty.testing.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Validators and preconditions (RFC 9110 8.8, 13) on a real socket, each against the file stage and
 * handler threads: the strong ETag, If-Range, If-None-Match (before If-Modified-Since), If-Match and
 * If-Unmodified-Since.
 */
@Timeout(120)
class ConditionalRequestTest {

    /** IMF-fixdate (RFC 9110 5.6.7): two-digit day, GMT. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final String BEFORE = HTTP_DATE.format(MTIME.minus(Duration.ofDays(1)));
    private static final String AFTER = HTTP_DATE.format(MTIME.plus(Duration.ofDays(1)));

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

    private String etag(String path) throws Exception {
        RawHttp.Response r = get(path);
        assertEquals(200, r.status(), r::toString);
        String etag = r.header("ETag");
        assertNotNull(etag, r::toString);
        return etag;
    }

    private void assertRange(RawHttp.Response r) {
        assertEquals(206, r.status(), r::toString);
        assertEquals("bytes 100-199/" + DATA_SIZE, r.header("Content-Range"), r::toString);
        assertArrayEquals(slice(files.data, 100, 199), r.body);
    }

    private void assertWhole(RawHttp.Response r) {
        assertEquals(200, r.status(), r::toString);
        assertNull(r.header("Content-Range"), r::toString);
        assertArrayEquals(files.data, r.body);
    }

    private void assert304(RawHttp.Response r, String etag) {
        assertEquals(304, r.status(), r::toString);
        assertEquals(0, r.body.length);
        assertEquals(etag, r.header("ETag"), r::toString);
        assertEquals(MTIME_HTTP, r.header("Last-Modified"), r::toString);
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void theEtagIsStrongStableAndTheSameOnBothPaths(Serving serving) throws Exception {
        start(serving);
        String etag = etag("/data.bin");
        assertTrue(etag.matches("\"[0-9a-f-]+\""), "a strong, quoted tag: " + etag);
        assertEquals(etag, etag("/data.bin"), "the same for the same file");
        assertEquals(etag, exchange(server, "HEAD", "/data.bin").header("ETag"), "HEAD's is GET's");
        assertEquals(etag, get("/data.bin", "Range: bytes=0-0").header("ETag"), "a 206's is the 200's");
        server.close();
        server = (serving == Serving.FILE_STAGE ? Serving.HANDLER_THREADS : Serving.FILE_STAGE).builder(dir).build().start();
        assertEquals(etag, etag("/data.bin"), "the other path gives the same tag");
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void theEtagChangesWhenTheFileChanges(Serving serving) throws Exception {
        start(serving);
        Path f = dir.resolve("data.bin");
        List<String> seen = new ArrayList<>();
        seen.add(etag("/data.bin"));

        Files.write(f, new byte[DATA_SIZE + 1]); // another size
        Files.setLastModifiedTime(f, FileTime.from(MTIME));
        seen.add(etag("/data.bin"));

        Files.write(f, new byte[DATA_SIZE + 1]); // the same size, another modification time
        Files.setLastModifiedTime(f, FileTime.from(MTIME.plusSeconds(1)));
        seen.add(etag("/data.bin"));

        Files.setLastModifiedTime(f, FileTime.from(MTIME.plusMillis(1001))); // the time changed by a millisecond
        seen.add(etag("/data.bin"));

        Path tmp = dir.resolve("data.tmp"); // replaced by another file of the same size and time
        Files.write(tmp, new byte[DATA_SIZE + 1]);
        Files.setLastModifiedTime(tmp, FileTime.from(MTIME.plusMillis(1001)));
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        seen.add(etag("/data.bin"));

        assertEquals(seen.size(), seen.stream().distinct().count(), "every change gives a new tag: " + seen);

        // and a client holding the old one is not told 304
        RawHttp.Response r = get("/data.bin", "If-None-Match: " + seen.get(0));
        assertEquals(200, r.status(), r::toString);
        assertEquals(seen.get(seen.size() - 1), r.header("ETag"));
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void ifRangeChoosesThePartOrTheWhole(Serving serving) throws Exception {
        start(serving);
        String etag = etag("/data.bin");
        String range = "Range: bytes=100-199";
        assertRange(get("/data.bin", range, "If-Range: " + etag));
        assertWhole(get("/data.bin", range, "If-Range: \"an-old-tag\""));
        assertWhole(get("/data.bin", range, "If-Range: W/" + etag)); // a weak tag never matches (strong comparison)
        assertRange(get("/data.bin", range, "If-Range: " + MTIME_HTTP));
        assertWhole(get("/data.bin", range, "If-Range: " + BEFORE));
        assertWhole(get("/data.bin", range, "If-Range: " + AFTER)); // only the exact date matches
        assertWhole(get("/data.bin", range, "If-Range: not a validator"));
        // If-Range without Range: a plain 200
        assertWhole(get("/data.bin", "If-Range: " + etag));
        serving.assertRanWhereExpected();
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void ifNoneMatchGives304WithTheValidators(Serving serving) throws Exception {
        start(serving);
        String etag = etag("/data.bin");
        assert304(get("/data.bin", "If-None-Match: " + etag), etag);
        assert304(get("/data.bin", "If-None-Match: \"other\", " + etag), etag);
        assert304(get("/data.bin", "If-None-Match: W/" + etag), etag); // weak comparison
        assert304(get("/data.bin", "If-None-Match: *"), etag);
        assert304(get("/data.bin", "If-None-Match: \"other\"", "If-None-Match: " + etag), etag); // two fields, one list
        assert304(exchange(server, "HEAD", "/data.bin", "If-None-Match: " + etag), etag);
        // before Range (RFC 9110 13.2.2): a 304, not a 206
        assert304(get("/data.bin", "If-None-Match: " + etag, "Range: bytes=100-199"), etag);
        RawHttp.Response other = get("/data.bin", "If-None-Match: \"other\"");
        assertWhole(other);
        assertRange(get("/data.bin", "If-None-Match: \"other\"", "Range: bytes=100-199"));
        serving.assertRanWhereExpected();
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince(Serving serving) throws Exception {
        start(serving);
        String etag = etag("/data.bin");
        assert304(get("/data.bin", "If-Modified-Since: " + AFTER), etag);
        // If-Modified-Since would say 304; If-None-Match, which does not match, wins
        assertWhole(get("/data.bin", "If-None-Match: \"other\"", "If-Modified-Since: " + AFTER));
        // If-Modified-Since would say 200; If-None-Match, which matches, wins
        assert304(get("/data.bin", "If-None-Match: " + etag, "If-Modified-Since: " + BEFORE), etag);
        assertWhole(get("/data.bin", "If-Modified-Since: " + BEFORE));
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void failedIfMatchOrIfUnmodifiedSinceGives412(Serving serving) throws Exception {
        start(serving);
        String etag = etag("/data.bin");
        for (String[] failing : List.of(new String[] {"If-Match: \"wrong\""}, new String[] {"If-Match: W/" + etag},
                new String[] {"If-Unmodified-Since: " + BEFORE}, new String[] {"If-Match: \"wrong\"", "Range: bytes=100-199"},
                new String[] {"If-Unmodified-Since: " + BEFORE, "If-None-Match: \"other\""})) {
            RawHttp.Response r = get("/data.bin", failing);
            assertEquals(412, r.status(), () -> String.join(", ", failing) + ": " + r);
            assertNull(r.header("Content-Range"), r::toString);
        }
        assertWhole(get("/data.bin", "If-Match: " + etag));
        assertWhole(get("/data.bin", "If-Match: \"wrong\", " + etag));
        assertWhole(get("/data.bin", "If-Match: *"));
        assertWhole(get("/data.bin", "If-Unmodified-Since: " + MTIME_HTTP));
        assertWhole(get("/data.bin", "If-Unmodified-Since: " + AFTER));
        // If-Match present: If-Unmodified-Since is not evaluated (RFC 9110 13.2.2 step 2)
        assertWhole(get("/data.bin", "If-Match: " + etag, "If-Unmodified-Since: " + BEFORE));
        assertRange(get("/data.bin", "If-Match: " + etag, "Range: bytes=100-199"));
        RawHttp.Response head = exchange(server, "HEAD", "/data.bin", "If-Match: \"wrong\"");
        assertEquals(412, head.status(), head::toString);
        // a missing file is a 404 whatever the preconditions
        assertEquals(404, get("/missing.bin", "If-Match: *").status());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void withoutEtagsIfModifiedSinceIsCpythons(boolean handlerThreads) throws Exception {
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
                : () -> new RangeRequestTest.CpythonExact(served)).build().start();
        RawHttp.Response notModified = get("/data.bin", "If-Modified-Since: " + AFTER);
        assertEquals(304, notModified.status(), notModified::toString);
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> h : notModified.headers) {
            if (!h.getKey().equalsIgnoreCase("Connection")) { // the transport's answer to Connection: close
                names.add(h.getKey());
            }
        }
        assertEquals(List.of("Server", "Date"), names, "CPython's 304: " + notModified);
        // CPython ignores If-Modified-Since when If-None-Match is present, and knows no other precondition
        assertWhole(get("/data.bin", "If-Modified-Since: " + AFTER, "If-None-Match: *"));
        assertWhole(get("/data.bin", "If-Match: \"wrong\""));
        assertWhole(get("/data.bin", "If-Unmodified-Since: " + BEFORE));
        assertFalse(get("/data.bin").headers.stream().anyMatch(h -> h.getKey().equalsIgnoreCase("ETag")));
        (handlerThreads ? Serving.HANDLER_THREADS : Serving.FILE_STAGE).assertRanWhereExpected();
    }

    @ParameterizedTest
    @EnumSource(Serving.class)
    void aPrecompressedFormHasItsOwnValidators(Serving serving) throws Exception {
        start(serving);
        RawHttp.Response gz = get("/page.txt", "Accept-Encoding: gzip");
        String gzTag = gz.header("ETag");
        String identityTag = etag("/page.txt");
        assertNotEquals(gzTag, identityTag);
        RawHttp.Response r = get("/page.txt", "Accept-Encoding: gzip", "If-None-Match: " + gzTag);
        assert304(r, gzTag);
        assertEquals("Accept-Encoding", r.header("Vary"), "a 304 carries the Vary a 200 would (RFC 9110 15.4.5)");
        // the identity's tag does not validate the gzip form
        RawHttp.Response mismatch = get("/page.txt", "Accept-Encoding: gzip", "If-None-Match: " + identityTag);
        assertEquals(200, mismatch.status(), mismatch::toString);
        assertArrayEquals(files.pageGz, mismatch.body);
    }
}
