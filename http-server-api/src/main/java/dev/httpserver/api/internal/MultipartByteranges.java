package dev.httpserver.api.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The framing of a {@code multipart/byteranges} body, RFC 9110 §14.6 (the media type) and §15.3.7.2
 * (its use in a {@code 206} answer), with the multipart syntax of RFC 2046 §5.1.1.
 *
 * <p>The body is, for ranges {@code r0 .. rN} of a representation of {@code LEN} bytes:
 * <pre>
 * --BOUNDARY CRLF
 * Content-Type: TYPE CRLF
 * Content-Range: bytes S0-E0/LEN CRLF
 * CRLF
 * (bytes S0 to E0)
 * CRLF --BOUNDARY CRLF
 * Content-Type: TYPE CRLF
 * Content-Range: bytes S1-E1/LEN CRLF
 * CRLF
 * (bytes S1 to E1)
 * ...
 * CRLF --BOUNDARY-- CRLF
 * </pre>
 * The CRLF before each delimiter after the first belongs to the delimiter (RFC 2046 §5.1.1), so a
 * part's bytes are exactly the slice of the representation. The {@code Content-Type} line is left out
 * when the type is unknown ({@code null}).
 *
 * <p>It is made to be streamed: a server sends {@link #partHeader(int) partHeader(0)}, then the bytes of
 * {@link #range(int) range(0)}, then {@code partHeader(1)}, and so on, and last {@link #closing()};
 * {@link #contentLength()} is the exact length of all of that, for the {@code Content-Length} header.
 * Instances are immutable and do no I/O.
 */
public final class MultipartByteranges {

    /** The length of a boundary made by {@link #newBoundary(RandomGenerator)}: 190 bits of randomness. */
    public static final int BOUNDARY_LENGTH = 32;

    /** The longest boundary RFC 2046 §5.1.1 allows. */
    private static final int MAX_BOUNDARY_LENGTH = 70;

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static final String CRLF = "\r\n";

    private final List<ByteRanges.Range> ranges;
    private final String boundary;
    private final byte[][] headers;
    private final byte[] closing;
    private final long contentLength;

    /**
     * The framing of {@code ranges} of a representation, with a fresh boundary drawn from {@code random}.
     *
     * @param ranges      the ranges to send, in the order to send them; at least one, each ending
     *                    before {@code length} (as {@link ByteRanges#parse} gives them)
     * @param contentType the media type of the representation, or {@code null} to leave it out
     * @param length      the complete length of the representation
     * @param random      where the boundary comes from, a {@link java.security.SecureRandom} for example
     * @throws IllegalArgumentException when a range is past the end, there is none, or the type holds
     *                                  characters a field value cannot (RFC 9110 §5.5)
     */
    public MultipartByteranges(List<ByteRanges.Range> ranges, String contentType, long length,
            RandomGenerator random) {
        this(ranges, contentType, length, newBoundary(random));
    }

    /**
     * The framing of {@code ranges} of a representation with a given boundary.
     *
     * @param ranges      the ranges to send, in the order to send them; at least one, each ending
     *                    before {@code length}
     * @param contentType the media type of the representation, or {@code null} to leave it out
     * @param length      the complete length of the representation
     * @param boundary    1 to 70 characters of {@code [0-9A-Za-z]} (a subset of RFC 2046's {@code bchars}
     *                    that needs no quoting in the {@code Content-Type} parameter)
     * @throws IllegalArgumentException when an argument is out of the bounds above, or the type holds
     *                                  characters a field value cannot (RFC 9110 §5.5)
     */
    public MultipartByteranges(List<ByteRanges.Range> ranges, String contentType, long length, String boundary) {
        this.ranges = List.copyOf(ranges);
        this.boundary = checkBoundary(boundary);
        if (this.ranges.isEmpty()) {
            throw new IllegalArgumentException("no range");
        }
        if (contentType != null) {
            checkFieldValue(contentType);
        }
        String typeLine = contentType == null ? "" : "Content-Type: " + contentType + CRLF;
        this.headers = new byte[this.ranges.size()][];
        long total = 0;
        for (int k = 0; k < headers.length; k++) {
            ByteRanges.Range r = this.ranges.get(k);
            String head = (k == 0 ? "" : CRLF) + "--" + boundary + CRLF
                    + typeLine
                    + "Content-Range: " + ByteRanges.contentRange(r.start(), r.end(), length) + CRLF
                    + CRLF;
            headers[k] = head.getBytes(StandardCharsets.US_ASCII);
            total = Math.addExact(total, Math.addExact(headers[k].length, r.length()));
        }
        this.closing = (CRLF + "--" + boundary + "--" + CRLF).getBytes(StandardCharsets.US_ASCII);
        this.contentLength = Math.addExact(total, closing.length);
    }

    /**
     * A boundary of {@link #BOUNDARY_LENGTH} characters of {@code [0-9A-Za-z]}, so unlikely to occur in
     * the parts that nothing checks for it (RFC 2046 §5.1.1).
     *
     * @param random the source of the characters
     * @return the boundary
     */
    public static String newBoundary(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        char[] chars = new char[BOUNDARY_LENGTH];
        for (int k = 0; k < chars.length; k++) {
            chars[k] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
        return new String(chars);
    }

    /** The boundary between the parts, without the leading {@code --}. */
    public String boundary() {
        return boundary;
    }

    /** The {@code Content-Type} value of the whole answer: {@code multipart/byteranges; boundary=...}. */
    public String contentType() {
        return "multipart/byteranges; boundary=" + boundary;
    }

    /** The ranges, one a part, in the order they are sent. Unmodifiable. */
    public List<ByteRanges.Range> ranges() {
        return ranges;
    }

    /** The number of parts. */
    public int partCount() {
        return ranges.size();
    }

    /**
     * The range whose bytes go after {@link #partHeader(int) partHeader(index)}.
     *
     * @param index the part, from 0
     * @return the range
     * @throws IndexOutOfBoundsException when there is no such part
     */
    public ByteRanges.Range range(int index) {
        return ranges.get(index);
    }

    /**
     * The US-ASCII bytes sent before the bytes of part {@code index}: the delimiter (with the CRLF that
     * ends the previous part, except for the first), the part's header fields, and the empty line.
     *
     * @param index the part, from 0
     * @return a fresh copy of the bytes
     * @throws IndexOutOfBoundsException when there is no such part
     */
    public byte[] partHeader(int index) {
        Objects.checkIndex(index, headers.length);
        return headers[index].clone();
    }

    /** The US-ASCII bytes that end the body: {@code CRLF --BOUNDARY-- CRLF}; a fresh copy. */
    public byte[] closing() {
        return closing.clone();
    }

    /** The exact length of the whole body: every part header and part, and the closing delimiter. */
    public long contentLength() {
        return contentLength;
    }

    private static String checkBoundary(String boundary) {
        Objects.requireNonNull(boundary, "boundary");
        if (boundary.isEmpty() || boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw new IllegalArgumentException("boundary must have 1 to 70 characters");
        }
        for (int k = 0; k < boundary.length(); k++) {
            if (ALPHABET.indexOf(boundary.charAt(k)) < 0) {
                throw new IllegalArgumentException("boundary must be of [0-9A-Za-z]: " + boundary);
            }
        }
        return boundary;
    }

    /** Refuses what would break the header block: controls (CR and LF above all) and non-ASCII. */
    private static void checkFieldValue(String value) {
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            if ((c < 0x20 && c != '\t') || c >= 0x7f) {
                throw new IllegalArgumentException("not a field value: " + value);
            }
        }
    }
}
