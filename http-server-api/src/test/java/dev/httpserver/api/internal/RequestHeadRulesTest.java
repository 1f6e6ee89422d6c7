package dev.httpserver.api.internal;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.internal.Python;
import dev.httpserver.api.spi.RequestHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadRulesTest {

    private static final String TOO_LARGE = "The request body is larger than this server accepts (10 bytes).";

    /** The two ways a decoded request reaches the rules. */
    enum Protocol {
        HTTP_1("HTTP/1.1"), HTTP_2(RequestHead.HTTP_2);

        final String version;

        Protocol(String version) {
            this.version = version;
        }

        RequestHead head(String uri, List<Map.Entry<String, String>> fields, long maxBodySize) {
            return this == HTTP_1 ? RequestHeadRules.http1Head("GET", uri, version, fields, maxBodySize)
                    : RequestHeadRules.http2Head("GET", uri, fields, maxBodySize);
        }

        RequestHead head(List<Map.Entry<String, String>> fields, long maxBodySize) {
            return head("/", fields, maxBodySize);
        }
    }

    /** All that a head carries, checked at once. */
    private static void assertHead(RequestHead head, String line, String command, String path, String version,
            int code, String message, String explain) {
        assertAll(head.toString(),
            () -> assertEquals(line, head.requestline(), "requestline"),
            () -> assertEquals(command, head.command(), "command"),
            () -> assertEquals(path, head.path(), "path"),
            () -> assertEquals(version, head.version(), "version"),
            () -> assertEquals(code, head.errorCode(), "errorCode"),
            () -> assertEquals(message, head.errorMessage(), "errorMessage"),
            () -> assertEquals(explain, head.errorExplain(), "errorExplain"));
    }

    /** A refusal of {@code GET /} by the header rules: the line and its parts are kept. */
    private static void assertRefused(RequestHead head, Protocol protocol, int code, String message, String explain) {
        assertHead(head, "GET / " + protocol.version, "GET", "/", protocol.version, code, message, explain);
    }

    private static void assertAccepted(RequestHead head, Protocol protocol) {
        assertFalse(head.isMalformed(), head::toString);
        assertEquals(protocol == Protocol.HTTP_2, head.isHttp2());
        assertEquals(protocol.version, head.version());
    }

    private static List<Map.Entry<String, String>> fields(String... namesAndValues) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
        }
        return fields;
    }

    private static List<Map.Entry<String, String>> manyFields(int count) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            fields.add(Map.entry("X-H" + i, "v"));
        }
        return fields;
    }

    /** A field whose line, {@code name: value\r\n}, is exactly {@code length} bytes. */
    private static Map.Entry<String, String> fieldOfLineLength(int length) {
        return Map.entry("X-Foo", "r".repeat(length - "X-Foo".length() - 4));
    }

    // ---- constants ----

    @Test
    void constantsAreCpythons() {
        assertEquals(65536, RequestHeadRules.MAX_LINE, "http.server._MAXLINE");
        assertEquals(100, RequestHeadRules.MAX_HEADERS, "http.client._MAXHEADERS");
    }

    // ---- versions ----

    @ParameterizedTest(name = "{0} is {1}.{2}")
    @CsvSource(delimiter = '|', value = {
        "HTTP/1.0|1|0",
        "HTTP/1.1|1|1",
        "HTTP/2.0|2|0",
        "HTTP/0.9|0|9",
        "HTTP/01.01|1|1",
        "HTTP/1234567890.0|1234567890|0",
        "HTTP/9999999999.1|2147483647|1", // ten digits are allowed; past int's range it stays the largest
    })
    void wellFormedVersionsParse(String version, int major, int minor) {
        assertEquals(new RequestHeadRules.Version(major, minor), RequestHeadRules.parseVersion(version));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @ValueSource(strings = {
        "HTTP/1", "HTTP/1.1.1", "HTTP/a.b", "HTTP/1.x", "HTTP/12345678901.1", "HTTP/1.12345678901", "http/1.1",
        "HTTP/", "HTTP/.1", "HTTP/1.", "HTTP/+1.1", "HTTP/1.-1", " HTTP/1.1", "HTTP/1.1 ", "FOO/1.1", "",
        "HTTP/\u00b9.\u00b9", // superscript one: str.isdigit() in CPython, but int() refuses it, so 400 there too
    })
    void malformedVersionsDoNotParse(String version) {
        assertNull(RequestHeadRules.parseVersion(version));
    }

    @Test
    void noVersionDoesNotParse() {
        assertNull(RequestHeadRules.parseVersion(null));
    }

    @Test
    void versionMessagesAreCpythons() {
        assertEquals("Bad request version ('HTTP/1')", RequestHeadRules.badVersionMessage("HTTP/1"));
        assertEquals("Bad request version (\"HTTP/'1\")", RequestHeadRules.badVersionMessage("HTTP/'1"));
        assertEquals("Invalid HTTP version (2.0)", RequestHeadRules.invalidVersionMessage("HTTP/2.0"));
        assertEquals("Invalid HTTP version (3.1)", RequestHeadRules.invalidVersionMessage("HTTP/3.1"));
    }

    // ---- request lines the decoder refused ----

    static Stream<Arguments> refusedLines() {
        return Stream.of(
            Arguments.of("GET / HTTP/2.0", 505, "Invalid HTTP version (2.0)", "HTTP/2.0"),
            Arguments.of("GET / HTTP/2.1", 505, "Invalid HTTP version (2.1)", "HTTP/2.1"),
            Arguments.of("GET / HTTP/1", 400, "Bad request version ('HTTP/1')", null),
            Arguments.of("GET / HTTP/1.1.1", 400, "Bad request version ('HTTP/1.1.1')", null),
            Arguments.of("GET / HTTP/a.b", 400, "Bad request version ('HTTP/a.b')", null),
            Arguments.of("GET / HTTP/12345678901.1", 400, "Bad request version ('HTTP/12345678901.1')", null),
            Arguments.of("GET / http/1.1", 400, "Bad request version ('http/1.1')", null),
            Arguments.of("GET / FOO/1.1", 400, "Bad request version ('FOO/1.1')", null),
            Arguments.of("GET / HTTP/1.1 extra", 400, "Bad request version ('extra')", null),
            // four words with a good last one: CPython's "not 2 <= len(words) <= 3"
            Arguments.of("GET /a b HTTP/1.1", 400, "Bad request syntax ('GET /a b HTTP/1.1')", null),
            Arguments.of("GET /", 400, "Bad request syntax ('GET /')", null),
            Arguments.of("POST /", 400, "Bad HTTP/0.9 request type ('POST')", null),
            Arguments.of("get /", 400, "Bad HTTP/0.9 request type ('get')", null),
            Arguments.of("GARBAGE", 400, "Bad request syntax ('GARBAGE')", null),
            Arguments.of("it's", 400, "Bad request syntax (\"it's\")", null),
            Arguments.of("\u0001\u0002garbage", 400, "Bad request syntax ('\\x01\\x02garbage')", null),
            Arguments.of("", 400, "Bad request syntax ('')", null),
            Arguments.of("   ", 400, "Bad request syntax ('   ')", null));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" gets {1}")
    @MethodSource("refusedLines")
    void refusedRequestLineGetsCpythonsVerdict(String line, int code, String message, String version) {
        assertHead(RequestHeadRules.refusedRequestLine(line), line, null, null, version, code, message, null);
    }

    @Test
    void longRequestLineGets414WithNothingKept() {
        assertHead(RequestHeadRules.requestLineTooLong(), "", "", null, "", 414, null, null);
    }

    @Test
    void longHeaderBlockGets431LineTooLong() {
        assertHead(RequestHeadRules.headerLineTooLong("GET", "/x", "HTTP/1.1"), "GET /x HTTP/1.1", "GET", "/x",
                "HTTP/1.1", 431, "Line too long", "header line");
    }

    @Test
    void undecodableRequestGets400WithTheDecodersReason() {
        assertHead(RequestHeadRules.undecodable(null), "", null, null, null, 400, "Bad request syntax", null);
        assertHead(RequestHeadRules.undecodable("bad 'x'"), "", null, null, null, 400,
                "Bad request syntax (\"bad 'x'\")", null);
    }

    @Test
    void headerFieldsTheDecoderRefusedGet400WithItsReasonNotTheLine() {
        assertHead(RequestHeadRules.badHeaderFields("GET", "/x", "HTTP/1.1", "Content-Length value is not a number: -1"),
                "GET /x HTTP/1.1", "GET", "/x", "HTTP/1.1", 400, "Bad request: Content-Length value is not a number: -1",
                null);
        assertHead(RequestHeadRules.badHeaderFields("GET", "/x", "HTTP/1.1", null), "GET /x HTTP/1.1", "GET", "/x",
                "HTTP/1.1", 400, "Bad request: malformed header field", null);
        String cut = RequestHeadRules.badHeaderFields("GET", "/x", "HTTP/1.1", "y".repeat(5000)).errorMessage();
        assertEquals("Bad request: " + "y".repeat(200) + "...", cut, "a long reason is cut");
    }

    @Test
    void undecodableHttp2RequestGets400BadRequest() {
        assertHead(RequestHeadRules.undecodableHttp2("GET", "/x", null), "GET /x HTTP/2.0", "GET", "/x", "HTTP/2.0",
                400, "Bad request", null);
        assertHead(RequestHeadRules.undecodableHttp2("GET", "/x", "no\n"), "GET /x HTTP/2.0", "GET", "/x",
                "HTTP/2.0", 400, "Bad request ('no\\n')", null);
    }

    // ---- header rules shared by HTTP/1 and HTTP/2 ----

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void wellFormedHeadKeepsItsFieldsInOrder(Protocol protocol) {
        RequestHead head = protocol.head("/p?q", fields("Host", "h", "X-A", "1", "x-a", "2"), 10);
        assertAccepted(head, protocol);
        assertEquals("GET /p?q " + protocol.version, head.requestline());
        assertEquals("GET", head.command());
        assertEquals("/p?q", head.path());
        assertEquals(List.of(Map.entry("Host", "h"), Map.entry("X-A", "1"), Map.entry("x-a", "2")),
                head.headers().items());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void twoHostFieldsGet400(Protocol protocol) {
        assertRefused(protocol.head(fields("Host", "a", "X", "1", "host", "b"), -1), protocol, 400,
                "Bad request: more than one Host header", null);
        assertRefused(protocol.head(fields("Host", "a", "HOST", "a"), -1), protocol, 400,
                "Bad request: more than one Host header", null);
        assertAccepted(protocol.head(fields("Host", "a", "X-Host", "b"), -1), protocol);
        assertAccepted(protocol.head(fields("X", "1"), -1), protocol); // no Host at all: CPython serves it
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aHostThatCannotNameAHostGets400(Protocol protocol) {
        for (String bad : new String[] {"x y", "x/y", "user@x", "x\ty", "x?", "x#", "\"x\"", "<x>", "h\u00e9"}) {
            assertRefused(protocol.head(fields("Host", bad), -1), protocol, 400, "Bad request: invalid Host header", null);
        }
        for (String good : new String[] {"", "x", "localhost:8000", "[::1]:8000", "127.0.0.1", " example.com ",
            "xn--caf-dma.example", "a_b.example:1"}) {
            assertAccepted(protocol.head(fields("Host", good), -1), protocol);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void hundredHeadersAreFine(Protocol protocol) {
        RequestHead head = protocol.head(manyFields(100), -1);
        assertAccepted(head, protocol);
        assertEquals(100, head.headers().size());
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void hundredAndOneHeadersGet431(Protocol protocol) {
        assertRefused(protocol.head(manyFields(101), -1), protocol, 431, "Too many headers",
                "got more than 100 headers");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void fieldLineOfExactlyMaxLineIsFine(Protocol protocol) {
        Map.Entry<String, String> field = fieldOfLineLength(RequestHeadRules.MAX_LINE);
        assertFalse(RequestHeadRules.fieldLineTooLong(field.getKey(), field.getValue()));
        assertAccepted(protocol.head(List.of(field), -1), protocol);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void fieldLineOneByteOverMaxLineGets431(Protocol protocol) {
        Map.Entry<String, String> field = fieldOfLineLength(RequestHeadRules.MAX_LINE + 1);
        assertTrue(RequestHeadRules.fieldLineTooLong(field.getKey(), field.getValue()));
        assertRefused(protocol.head(fields("Host", "h", field.getKey(), field.getValue()), -1), protocol, 431,
                "Line too long", "header line");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void contentLengthOverTheLimitGets413(Protocol protocol) {
        assertRefused(protocol.head(fields("Content-Length", "11"), 10), protocol, 413, null, TOO_LARGE);
        assertRefused(protocol.head(fields("content-length", " 11 "), 10), protocol, 413, null, TOO_LARGE);
        assertAccepted(protocol.head(fields("Content-Length", "10"), 10), protocol);
        assertAccepted(protocol.head(fields("Content-Length", "11"), -1), protocol);
    }

    @ParameterizedTest(name = "[{index}] Content-Length \"{0}\" with limit {1}: {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "10|10|false",
        "11|10|true",
        "' 11 '|10|true",
        "0|0|false",
        "1|0|true",
        "99999999999|-1|false", // no limit
        "NONE|10|false",
        "abc|10|false", // the decoder has already refused a malformed length
        "-5|10|false",
        "99999999999999999999|10|false", // past long's range: not a number to Long.parseLong either
    })
    void bodyTooLargeJudgesTheAnnouncedLength(String contentLength, long maxBodySize, boolean tooLarge) {
        assertEquals(tooLarge, RequestHeadRules.bodyTooLarge(contentLength, maxBodySize));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void differingContentLengthsAreRefusedEqualOnesAreOne(Protocol protocol) {
        // RFC 9112 6.3: differing lengths are an unrecoverable framing error (a smuggling vector)
        assertEquals(400, protocol.head(fields("Content-Length", "5", "Content-Length", "50"), 10).errorCode());
        assertEquals(400, protocol.head(fields("Content-Length", "50", "Content-Length", "5"), 10).errorCode());
        assertEquals(400, protocol.head(fields("Content-Length", "5, 6"), 10).errorCode());
        assertAccepted(protocol.head(fields("Content-Length", "5", "Content-Length", "5"), 10), protocol);
        assertAccepted(protocol.head(fields("Content-Length", "5, 5"), 10), protocol);
    }

    // ---- HTTP/1 only ----

    @ParameterizedTest(name = "[{index}] Transfer-Encoding \"{0}\"")
    @ValueSource(strings = {"chunked", "Chunked", " CHUNKED "})
    void chunkedTransferCodingIsFine(String coding) {
        assertAccepted(Protocol.HTTP_1.head(fields("Transfer-Encoding", coding), -1), Protocol.HTTP_1);
    }

    @ParameterizedTest(name = "[{index}] Transfer-Encoding \"{0}\"")
    @ValueSource(strings = {"gzip", "gzip, chunked", "chunked, gzip", "identity", ""})
    void otherTransferCodingGets501(String coding) {
        assertRefused(Protocol.HTTP_1.head(fields("transfer-encoding", coding), -1), Protocol.HTTP_1, 501,
                "Unsupported Transfer-Encoding ('" + coding + "')", null);
    }

    @Test
    void everyTransferEncodingFieldIsJudged() {
        assertRefused(Protocol.HTTP_1.head(fields("Transfer-Encoding", "chunked", "Transfer-Encoding", "br"), -1),
                Protocol.HTTP_1, 501, "Unsupported Transfer-Encoding ('br')", null);
    }

    @Test
    void transferEncodingIsLeftToTheHttp2Decoder() {
        // RFC 9113 section 8.2.2: a connection-specific field on a stream is the HTTP/2 decoder's to refuse.
        assertAccepted(Protocol.HTTP_2.head(fields("transfer-encoding", "gzip"), -1), Protocol.HTTP_2);
    }

    @ParameterizedTest(name = "[{index}] target \"{0}\"")
    @ValueSource(strings = {"/a b", "/a\tb", "/a\u000bb", "/a\fb", " /"})
    void whiteSpaceInTheTargetGets400(String uri) {
        String line = "GET " + uri + " HTTP/1.1";
        assertHead(Protocol.HTTP_1.head(uri, fields("Host", "h"), -1), line, null, null, null, 400,
                "Bad request syntax (" + Python.repr(line) + ")", null);
    }

    @Test
    void whiteSpaceInAnHttp2PathIsNotJudged() {
        assertAccepted(Protocol.HTTP_2.head("/a b", fields("Host", "h"), -1), Protocol.HTTP_2);
    }

    // ---- which verdict wins when a request breaks several rules ----

    @Test
    void http1JudgesTargetThenCodingThenCountThenLengthThenLines() {
        Map.Entry<String, String> longLine = fieldOfLineLength(RequestHeadRules.MAX_LINE + 1);
        List<Map.Entry<String, String>> all = new ArrayList<>(List.of(longLine, Map.entry("Content-Length", "11")));
        all.addAll(manyFields(100));
        all.add(Map.entry("Transfer-Encoding", "gzip"));
        Protocol h1 = Protocol.HTTP_1;
        assertEquals(400, h1.head("/a b", all, 10).errorCode());
        assertEquals(501, h1.head(all, 10).errorCode());
        all.remove(all.size() - 1);
        assertEquals("Too many headers", h1.head(all, 10).errorMessage());
        all.subList(2, 12).clear();
        assertEquals(413, h1.head(all, 10).errorCode());
        assertEquals("Line too long", h1.head(all, -1).errorMessage());
    }

    @Test
    void http2JudgesEachOfTheFirstHundredLinesBeforeTheCount() {
        Map.Entry<String, String> longLine = fieldOfLineLength(RequestHeadRules.MAX_LINE + 1);
        List<Map.Entry<String, String>> fields = manyFields(150);
        fields.set(99, longLine);
        assertEquals("Line too long", Protocol.HTTP_2.head(fields, -1).errorMessage(), "100th line long");
        fields.set(99, Map.entry("X", "v"));
        fields.set(100, longLine);
        assertEquals("Too many headers", Protocol.HTTP_2.head(fields, -1).errorMessage(), "101st line long");
        List<Map.Entry<String, String>> withLength = new ArrayList<>(fields("Content-Length", "11"));
        withLength.add(longLine);
        assertEquals("Line too long", Protocol.HTTP_2.head(withLength, 10).errorMessage(), "lines before 413");
        assertEquals(413, Protocol.HTTP_1.head(withLength, 10).errorCode(), "HTTP/1: 413 before lines");
    }
}
