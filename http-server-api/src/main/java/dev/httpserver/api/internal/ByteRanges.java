package dev.httpserver.api.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The {@code Range} request header of RFC 9110 §14.2 read against a representation of known length,
 * for the {@code bytes} range unit of RFC 9110 §14.1.2.
 *
 * <p>{@link #parse(String, long)} says which of three answers a server gives:
 * <ul>
 *   <li>{@link Result.Kind#IGNORE}: the whole representation with {@code 200 OK}, because the header is
 *       absent, is for another range unit, is not valid {@code bytes} syntax (RFC 9110 §14.2: "a server
 *       MAY ignore the Range header field", and an invalid one is ignored), or holds more than
 *       {@link #MAX_PARTS} range specifiers (RFC 9110 §14.2 lets a server ignore a set of many ranges);</li>
 *   <li>{@link Result.Kind#UNSATISFIABLE}: {@code 416 Range Not Satisfiable} with
 *       {@code Content-Range: bytes *}{@code /LEN} ({@link #unsatisfiedRange(long)}, RFC 9110 §15.5.17);</li>
 *   <li>{@link Result.Kind#SATISFIABLE}: {@code 206 Partial Content} for the ranges of
 *       {@link Result#ranges()}, sorted and with overlapping and adjacent ranges coalesced (RFC 9110
 *       §14.2 and §15.3.7), a single one with {@code Content-Range} ({@link #contentRange}), several as
 *       {@code multipart/byteranges} ({@link MultipartByteranges}).</li>
 * </ul>
 *
 * <p>The grammar (RFC 9110 §14.1.1, §14.1.2 and §14.2):
 * <pre>
 * Range         = ranges-specifier
 * ranges-specifier = range-unit "=" range-set
 * range-set     = 1#range-spec
 * range-spec    = int-range / suffix-range / other-range
 * int-range     = first-pos "-" [ last-pos ]
 * suffix-range  = "-" suffix-length
 * </pre>
 * The list follows RFC 9110 §5.6.1: optional whitespace around the commas, and empty elements are
 * tolerated. The range unit is matched case-insensitively (RFC 9110 §14.1). Nothing here does any I/O.
 */
public final class ByteRanges {

    /**
     * The most range specifiers a header may hold, counted as written (before coalescing); a header
     * with more is ignored and the whole representation is sent, so that a request of many tiny
     * ranges costs no more than a plain {@code GET} (RFC 9110 §14.2 and §17.15).
     */
    public static final int MAX_PARTS = 64;

    private static final String UNIT = "bytes";

    private ByteRanges() {
    }

    /**
     * One satisfiable byte range, both ends inclusive as in RFC 9110 §14.1.2 ({@code first-pos} and
     * {@code last-pos}), already clamped to the representation.
     *
     * @param start the offset of the first byte, at least 0
     * @param end   the offset of the last byte, at least {@code start}
     */
    public record Range(long start, long end) {

        /**
         * Checks the bounds.
         *
         * @throws IllegalArgumentException when {@code start} is negative or {@code end} below {@code start}
         */
        public Range {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad range " + start + "-" + end);
            }
        }

        /** The number of bytes in the range: {@code end - start + 1}. */
        public long length() {
            return end - start + 1;
        }
    }

    /** What to do with a {@code Range} header: see {@link ByteRanges}. */
    public static final class Result {

        /** The three answers of RFC 9110 §14.2 to a {@code Range} header. */
        public enum Kind {
            /** Send the whole representation, {@code 200 OK}: the header is absent, invalid, or ignored. */
            IGNORE,
            /** Send {@code 416 Range Not Satisfiable} (RFC 9110 §15.5.17). */
            UNSATISFIABLE,
            /** Send {@code 206 Partial Content} (RFC 9110 §15.3.7) with {@link Result#ranges()}. */
            SATISFIABLE
        }

        /** The answer for an absent, invalid or ignored header. */
        public static final Result IGNORE = new Result(Kind.IGNORE, List.of());

        /** The answer for a header none of whose ranges is satisfiable. */
        public static final Result UNSATISFIABLE = new Result(Kind.UNSATISFIABLE, List.of());

        private final Kind kind;
        private final List<Range> ranges;

        private Result(Kind kind, List<Range> ranges) {
            this.kind = kind;
            this.ranges = ranges;
        }

        /** Which of the three answers this is. */
        public Kind kind() {
            return kind;
        }

        /**
         * The ranges to send, sorted by start, none overlapping or adjacent to another; empty unless
         * {@link #kind()} is {@link Kind#SATISFIABLE}. Unmodifiable.
         */
        public List<Range> ranges() {
            return ranges;
        }

        @Override
        public String toString() {
            return kind == Kind.SATISFIABLE ? kind + ranges.toString() : kind.toString();
        }
    }

    /**
     * Reads a {@code Range} header value against a representation of {@code length} bytes.
     *
     * <ul>
     *   <li>{@code 0-499}: bytes 0 to 499; {@code 500-}: from 500 to the end; {@code 9500-99999}: the
     *       last-pos past the end is taken as the last byte (RFC 9110 §14.1.2).</li>
     *   <li>{@code -500}: the last 500 bytes, the whole representation when it is shorter;
     *       {@code -0} is unsatisfiable (RFC 9110 §14.1.2).</li>
     *   <li>A range whose first-pos is at or past the end is unsatisfiable and dropped; when none is
     *       left the answer is {@link Result.Kind#UNSATISFIABLE} (RFC 9110 §14.1.1, §14.1.2). With
     *       {@code length} 0 no range is satisfiable.</li>
     *   <li>A first-pos greater than the last-pos, anything but digits, a number past
     *       {@link Long#MAX_VALUE}, no range at all, or more than {@link #MAX_PARTS} ranges: the whole
     *       header is ignored (RFC 9110 §14.1.2 calls such a range-spec invalid, §14.2 ignores it).</li>
     * </ul>
     *
     * @param rangeHeader the field value, or {@code null} when the request has none
     * @param length      the length of the selected representation in bytes
     * @return the answer; never {@code null}
     * @throws IllegalArgumentException when {@code length} is negative
     */
    public static Result parse(String rangeHeader, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        if (rangeHeader == null) {
            return Result.IGNORE;
        }
        int from = 0;
        int to = rangeHeader.length();
        while (from < to && isOws(rangeHeader.charAt(from))) {
            from++;
        }
        while (to > from && isOws(rangeHeader.charAt(to - 1))) {
            to--;
        }
        int unitEnd = from + UNIT.length();
        if (unitEnd >= to || rangeHeader.charAt(unitEnd) != '='
                || !rangeHeader.regionMatches(true, from, UNIT, 0, UNIT.length())) {
            return Result.IGNORE;
        }
        List<Range> satisfiable = new ArrayList<>();
        int specs = 0;
        int i = unitEnd + 1;
        while (i <= to) {
            int comma = rangeHeader.indexOf(',', i);
            if (comma < 0 || comma > to) {
                comma = to;
            }
            int s = i;
            int e = comma;
            while (s < e && isOws(rangeHeader.charAt(s))) {
                s++;
            }
            while (e > s && isOws(rangeHeader.charAt(e - 1))) {
                e--;
            }
            i = comma + 1;
            if (s == e) {
                continue; // an empty list element (RFC 9110 §5.6.1)
            }
            if (++specs > MAX_PARTS) {
                return Result.IGNORE;
            }
            int dash = rangeHeader.indexOf('-', s);
            if (dash < 0 || dash >= e) {
                return Result.IGNORE;
            }
            if (dash == s) {
                long suffix = digits(rangeHeader, s + 1, e);
                if (suffix < 0) {
                    return Result.IGNORE;
                }
                if (suffix > 0 && length > 0) {
                    satisfiable.add(new Range(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long first = digits(rangeHeader, s, dash);
            long last = dash + 1 == e ? Long.MAX_VALUE : digits(rangeHeader, dash + 1, e);
            if (first < 0 || last < 0 || last < first) {
                return Result.IGNORE;
            }
            if (first < length) {
                satisfiable.add(new Range(first, Math.min(last, length - 1)));
            }
        }
        if (specs == 0) {
            return Result.IGNORE;
        }
        if (satisfiable.isEmpty()) {
            return Result.UNSATISFIABLE;
        }
        return new Result(Result.Kind.SATISFIABLE, coalesce(satisfiable));
    }

    /**
     * Sorts the ranges by start and merges each into the previous one when they overlap or touch
     * (RFC 9110 §14.2 lets a server coalesce; §15.3.7.2 asks a multipart response not to carry
     * overlapping ranges without need).
     */
    private static List<Range> coalesce(List<Range> ranges) {
        if (ranges.size() == 1) {
            return List.of(ranges.get(0));
        }
        ranges.sort(Comparator.comparingLong(Range::start).thenComparingLong(Range::end));
        List<Range> merged = new ArrayList<>(ranges.size());
        Range current = ranges.get(0);
        for (int k = 1; k < ranges.size(); k++) {
            Range next = ranges.get(k);
            // end + 1 cannot overflow: an end is below the length, itself at most Long.MAX_VALUE.
            if (next.start() <= current.end() + 1) {
                current = new Range(current.start(), Math.max(current.end(), next.end()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return Collections.unmodifiableList(merged);
    }

    /**
     * The {@code Content-Range} value of a part, RFC 9110 §14.4: {@code bytes 0-499/1234}.
     *
     * @param start  the first byte, inclusive
     * @param end    the last byte, inclusive
     * @param length the complete length of the representation
     * @return the field value
     * @throws IllegalArgumentException unless {@code 0 <= start <= end < length}
     */
    public static String contentRange(long start, long end, long length) {
        if (start < 0 || end < start || end >= length) {
            throw new IllegalArgumentException("bad range " + start + "-" + end + "/" + length);
        }
        return UNIT + ' ' + start + '-' + end + '/' + length;
    }

    /**
     * The {@code Content-Range} value of a {@code 416} answer, RFC 9110 §14.4 ({@code unsatisfied-range}):
     * {@code bytes *}{@code /1234}.
     *
     * @param length the complete length of the representation
     * @return the field value
     * @throws IllegalArgumentException when {@code length} is negative
     */
    public static String unsatisfiedRange(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return UNIT + " */" + length;
    }

    /**
     * The value of the decimal digits {@code s[from, to)}, or -1 when there are none, one is not an
     * ASCII digit, or the value does not fit a {@code long}.
     */
    private static long digits(String s, int from, int to) {
        Objects.checkFromToIndex(from, to, s.length());
        if (from == to) {
            return -1;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            int d = s.charAt(k) - '0';
            if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Whether {@code c} is optional whitespace, RFC 9110 §5.6.3: a space or a horizontal tab. */
    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
