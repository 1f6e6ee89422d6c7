package dev.httpserver.api.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.internal.ByteRanges.Range;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartByterangesTest {

    private static final byte[] CONTENT = new byte[256];

    static {
        for (int k = 0; k < CONTENT.length; k++) {
            CONTENT[k] = (byte) (255 - k); // every byte value, CR and LF and '-' among them
        }
    }

    /** The body a server streams: each part header, then the slice, then the closing delimiter. */
    private static byte[] body(MultipartByteranges m, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int k = 0; k < m.partCount(); k++) {
            out.writeBytes(m.partHeader(k));
            Range r = m.range(k);
            out.write(content, (int) r.start(), (int) r.length());
        }
        out.writeBytes(m.closing());
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One part read back: its header lines and its bytes. */
    private record Part(List<String> headers, byte[] bytes) {
    }

    /**
     * Reads a multipart body as RFC 2046 §5.1.1 describes it: an optional preamble, delimiters
     * {@code CRLF--B} (the first may open the body without the CRLF), the close delimiter
     * {@code CRLF--B--}, and an optional epilogue.
     */
    private static List<Part> parse(byte[] body, String boundary) {
        byte[] first = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(first, Arrays.copyOf(body, first.length), "the body opens with the first boundary");
        List<Part> parts = new ArrayList<>();
        int at = first.length;
        while (true) {
            int headerEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
            assertTrue(headerEnd >= 0, "a part has an empty line after its header fields");
            String head = new String(body, at, headerEnd - at, StandardCharsets.US_ASCII);
            int next = indexOf(body, delimiter, headerEnd + 4);
            assertTrue(next >= 0, "every part is followed by a delimiter");
            parts.add(new Part(List.of(head.split("\r\n")), Arrays.copyOfRange(body, headerEnd + 4, next)));
            at = next + delimiter.length;
            if (body[at] == '-' && body[at + 1] == '-') {
                assertEquals("\r\n", new String(body, at + 2, body.length - at - 2, StandardCharsets.US_ASCII),
                        "the close delimiter ends the body with a CRLF");
                return parts;
            }
            assertEquals('\r', body[at]);
            assertEquals('\n', body[at + 1]);
            at += 2;
        }
    }

    static Stream<Arguments> rangeSets() {
        return Stream.of(
                Arguments.of("bytes=0-9,20-29", "text/plain"),
                Arguments.of("bytes=0-0,255-255", "application/octet-stream"),
                Arguments.of("bytes=-3,0-2,100-199", "text/html; charset=utf-8"),
                Arguments.of("bytes=10-12,14-20,30-", null),
                Arguments.of("bytes=0-,0-1", "image/png"));
    }

    @ParameterizedTest(name = "[{index}] {0} as {1}")
    @MethodSource("rangeSets")
    void bodyReadsBackPartByPartByteForByte(String rangeHeader, String type) {
        List<Range> ranges = ByteRanges.parse(rangeHeader, CONTENT.length).ranges();
        MultipartByteranges m = new MultipartByteranges(ranges, type, CONTENT.length, new SecureRandom());
        byte[] body = body(m, CONTENT);
        assertEquals(body.length, m.contentLength(), "Content-Length is the length of the body");

        List<Part> parts = parse(body, m.boundary());
        assertEquals(ranges.size(), parts.size());
        for (int k = 0; k < parts.size(); k++) {
            Range r = ranges.get(k);
            List<String> expected = new ArrayList<>();
            if (type != null) {
                expected.add("Content-Type: " + type);
            }
            expected.add("Content-Range: bytes " + r.start() + "-" + r.end() + "/" + CONTENT.length);
            assertEquals(expected, parts.get(k).headers());
            assertArrayEquals(Arrays.copyOfRange(CONTENT, (int) r.start(), (int) r.end() + 1), parts.get(k).bytes());
        }
    }

    @Test
    void framesExactlyAsRfc9110ShowsIt() {
        byte[] content = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
        MultipartByteranges m = new MultipartByteranges(List.of(new Range(0, 2), new Range(15, 19)), "text/plain",
                content.length, "THIS0STRING0SEPARATES");
        String expected = "--THIS0STRING0SEPARATES\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Range: bytes 0-2/20\r\n"
                + "\r\n"
                + "012"
                + "\r\n--THIS0STRING0SEPARATES\r\n"
                + "Content-Type: text/plain\r\n"
                + "Content-Range: bytes 15-19/20\r\n"
                + "\r\n"
                + "fghij"
                + "\r\n--THIS0STRING0SEPARATES--\r\n";
        assertEquals(expected, new String(body(m, content), StandardCharsets.US_ASCII));
        assertEquals(expected.length(), m.contentLength());
        assertEquals("multipart/byteranges; boundary=THIS0STRING0SEPARATES", m.contentType());
        assertEquals("\r\n--THIS0STRING0SEPARATES--\r\n", new String(m.closing(), StandardCharsets.US_ASCII));
    }

    @Test
    void leavesOutTheContentTypeLineWithoutAType() {
        MultipartByteranges m = new MultipartByteranges(List.of(new Range(1, 1)), null, 5, "b");
        assertEquals("--b\r\nContent-Range: bytes 1-1/5\r\n\r\n", new String(m.partHeader(0), StandardCharsets.US_ASCII));
        assertEquals(m.partHeader(0).length + 1 + m.closing().length, m.contentLength());
    }

    @Test
    void boundariesAreRandomAlphanumericsOfTheDocumentedLength() {
        Pattern shape = Pattern.compile("[0-9A-Za-z]{" + MultipartByteranges.BOUNDARY_LENGTH + "}");
        assertTrue(MultipartByteranges.BOUNDARY_LENGTH >= 20);
        SecureRandom random = new SecureRandom();
        String a = MultipartByteranges.newBoundary(random);
        String b = MultipartByteranges.newBoundary(random);
        assertTrue(shape.matcher(a).matches(), a);
        assertTrue(shape.matcher(b).matches(), b);
        assertNotEquals(a, b);
        // Same seed, same boundary: the generator is the only source.
        assertEquals(MultipartByteranges.newBoundary(new Random(7)), MultipartByteranges.newBoundary(new Random(7)));
        MultipartByteranges m = new MultipartByteranges(List.of(new Range(0, 0)), "text/plain", 1, new Random(7));
        assertEquals(MultipartByteranges.newBoundary(new Random(7)), m.boundary());
    }

    @Test
    void handsOutCopiesAndKnowsItsParts() {
        List<Range> ranges = List.of(new Range(0, 1), new Range(4, 6));
        MultipartByteranges m = new MultipartByteranges(ranges, "text/plain", 10, "x");
        assertEquals(2, m.partCount());
        assertEquals(ranges, m.ranges());
        assertEquals(new Range(4, 6), m.range(1));
        m.partHeader(0)[0] = 'X';
        m.closing()[0] = 'X';
        assertEquals('-', m.partHeader(0)[0]);
        assertEquals('\r', m.partHeader(1)[0]);
        assertEquals('\r', m.closing()[0]);
        assertThrows(IndexOutOfBoundsException.class, () -> m.partHeader(2));
        assertThrows(IndexOutOfBoundsException.class, () -> m.range(-1));
        assertThrows(UnsupportedOperationException.class, () -> m.ranges().clear());
    }

    @Test
    void countsLengthsPastTwoGigabytes() {
        long length = 10L * 1024 * 1024 * 1024;
        MultipartByteranges m = new MultipartByteranges(List.of(new Range(0, length / 2), new Range(length - 10,
                length - 1)), "video/mp4", length, "b");
        long headers = m.partHeader(0).length + m.partHeader(1).length + m.closing().length;
        assertEquals(headers + length / 2 + 1 + 10, m.contentLength());
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "has space", "dash-ed", "quote\"", "\u00e9",
        "12345678901234567890123456789012345678901234567890123456789012345678901"})
    void refusesABoundaryOutsideItsAlphabetOrLength(String boundary) {
        assertThrows(IllegalArgumentException.class,
                () -> new MultipartByteranges(List.of(new Range(0, 0)), null, 1, boundary));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"text/plain\r\nX-Evil: 1", "text/plain\n", "text/\u0000", "text/\u00e9", "a\u007f"})
    void refusesATypeThatWouldBreakTheHeaderBlock(String type) {
        assertThrows(IllegalArgumentException.class,
                () -> new MultipartByteranges(List.of(new Range(0, 0)), type, 1, "b"));
    }

    @Test
    void refusesNoRangesAndRangesPastTheEnd() {
        assertThrows(IllegalArgumentException.class, () -> new MultipartByteranges(List.of(), null, 1, "b"));
        assertThrows(IllegalArgumentException.class,
                () -> new MultipartByteranges(List.of(new Range(0, 10)), null, 10, "b"));
        assertThrows(NullPointerException.class,
                () -> new MultipartByteranges(List.of(new Range(0, 0)), null, 1, (String) null));
        assertThrows(NullPointerException.class,
                () -> new MultipartByteranges(List.of(new Range(0, 0)), null, 1, (Random) null));
    }
}
