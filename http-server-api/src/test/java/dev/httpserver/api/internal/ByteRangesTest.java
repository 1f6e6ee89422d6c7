package dev.httpserver.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.httpserver.api.internal.ByteRanges.Range;
import dev.httpserver.api.internal.ByteRanges.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangesTest {

    /** The ranges of a satisfiable answer as {@code s-e;s-e}, or the kind's name. */
    private static String show(Result r) {
        if (r.kind() != Result.Kind.SATISFIABLE) {
            return r.kind().name();
        }
        StringJoiner j = new StringJoiner(";");
        for (Range x : r.ranges()) {
            j.add(x.start() + "-" + x.end());
        }
        return j.toString();
    }

    @ParameterizedTest(name = "[{index}] {0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        bytes=0-499            | 10000 | 0-499
        bytes=500-999          | 10000 | 500-999
        bytes=500-             | 10000 | 500-9999
        bytes=-500             | 10000 | 9500-9999
        bytes=9500-99999       | 10000 | 9500-9999
        bytes=0-0              | 10000 | 0-0
        bytes=9999-            | 10000 | 9999-9999
        bytes=-1               | 10000 | 9999-9999
        bytes=-20000           | 10000 | 0-9999
        bytes=0-               | 1     | 0-0
        Bytes=0-1              | 10    | 0-1
        BYTES=0-1              | 10    | 0-1
        '  bytes=0-1  '        | 10    | 0-1
        bytes=0-9223372036854775807 | 10 | 0-9
        bytes=00000000000000000000000001-2 | 10 | 1-2
        """)
    void readsASingleRange(String header, long length, String expected) {
        assertEquals(expected, show(ByteRanges.parse(header, length)));
    }

    @ParameterizedTest(name = "[{index}] {0} of {1} bytes -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        bytes=0-1,2-3              | 100 | 0-3
        bytes=2-3,0-1              | 100 | 0-3
        bytes=0-10,5-20            | 100 | 0-20
        bytes=0-1,3-4              | 100 | 0-1;3-4
        bytes=50-60,0-1,3-4        | 100 | 0-1;3-4;50-60
        bytes=0-1 , 3-4            | 100 | 0-1;3-4
        'bytes=0-1,\t3-4'          | 100 | 0-1;3-4
        bytes=0-1,,2-3             | 100 | 0-3
        'bytes=,0-1, ,3-4,'        | 100 | 0-1;3-4
        bytes=0-,-10               | 100 | 0-99
        bytes=-10,0-5              | 100 | 0-5;90-99
        bytes=0-50,10-20           | 100 | 0-50
        bytes=0-0,-1               | 100 | 0-0;99-99
        bytes=5-9,0-4              | 10  | 0-9
        bytes=0-4,200-300          | 100 | 0-4
        bytes=200-300,-0,0-4       | 100 | 0-4
        bytes=0-1,0-1,0-1          | 100 | 0-1
        """)
    void sortsAndCoalescesSeveralRanges(String header, long length, String expected) {
        assertEquals(expected, show(ByteRanges.parse(header, length)));
    }

    @ParameterizedTest(name = "[{index}] {0} of {1} bytes")
    @CsvSource(delimiter = '|', textBlock = """
        bytes=10000-           | 10000
        bytes=10000-10001      | 10000
        bytes=20000-30000      | 10000
        bytes=-0               | 10000
        bytes=-0,10000-        | 10000
        bytes=0-0              | 0
        bytes=0-               | 0
        bytes=-1               | 0
        bytes=-0               | 0
        bytes=5-9,-0           | 5
        """)
    void isUnsatisfiableWhenNoRangeOverlapsTheRepresentation(String header, long length) {
        assertSame(Result.UNSATISFIABLE, ByteRanges.parse(header, length));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @NullSource
    @ValueSource(strings = {
        "", "bytes", "bytes=", "bytes= ", "bytes=,", "bytes=,,", "items=0-1", "bytes 0-1", "bytes =0-1",
        "bytesx=0-1", "=0-1", "bytes=5-1", "bytes=0-1,5-1", "bytes=5-1,99999-", "bytes=1", "bytes=-",
        "bytes=--1", "bytes=-1-", "bytes=a-1", "bytes=1-b", "bytes=0x1-2", "bytes=+1-2", "bytes=1-+2",
        "bytes=-1-2", "bytes=1-2-3", "bytes=0 -1", "bytes=0- 1", "bytes=1.0-2", "bytes=0-1;2-3",
        "bytes=9223372036854775808-", "bytes=0-9223372036854775808", "bytes=-9223372036854775808",
        "bytes=99999999999999999999999-", "bytes=\uff11-2", "bytes=0-1,x",
    })
    void ignoresAnAbsentOrInvalidHeader(String header) {
        assertSame(Result.IGNORE, ByteRanges.parse(header, 10000));
        assertSame(Result.IGNORE, ByteRanges.parse(header, 0));
    }

    @Test
    void ignoresTheInvalidEvenWhenEveryOtherRangeIsUnsatisfiable() {
        assertSame(Result.IGNORE, ByteRanges.parse("bytes=900-,5-1", 10));
    }

    private static String ranges(int count) {
        StringJoiner j = new StringJoiner(",", "bytes=", "");
        for (int k = 0; k < count; k++) {
            j.add(2 * k + "-" + 2 * k);
        }
        return j.toString();
    }

    @Test
    void acceptsUpToMaxPartsRangeSpecs() {
        Result r = ByteRanges.parse(ranges(ByteRanges.MAX_PARTS), 1_000_000);
        assertEquals(Result.Kind.SATISFIABLE, r.kind());
        assertEquals(ByteRanges.MAX_PARTS, r.ranges().size());
    }

    @Test
    void ignoresMoreThanMaxPartsRangeSpecsEvenIfTheyWouldCoalesce() {
        assertSame(Result.IGNORE, ByteRanges.parse(ranges(ByteRanges.MAX_PARTS + 1), 1_000_000));
        List<String> same = new ArrayList<>();
        for (int k = 0; k <= ByteRanges.MAX_PARTS; k++) {
            same.add("0-0");
        }
        assertSame(Result.IGNORE, ByteRanges.parse("bytes=" + String.join(",", same), 10));
    }

    @Test
    void emptyElementsDoNotCountTowardsTheCap() {
        String header = ranges(ByteRanges.MAX_PARTS).replace(",", ",,,");
        assertEquals(ByteRanges.MAX_PARTS, ByteRanges.parse(header, 1_000_000).ranges().size());
    }

    @Test
    void answersAThousandRangeHeaderWithTheWholeRepresentationQuickly() {
        String header = ranges(1000);
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> {
            for (int k = 0; k < 1000; k++) {
                assertSame(Result.IGNORE, ByteRanges.parse(header, 1_000_000));
            }
        });
    }

    @Test
    void rangesAreUnmodifiableAndKnowTheirLength() {
        Result r = ByteRanges.parse("bytes=0-1,5-9", 100);
        assertEquals(List.of(new Range(0, 1), new Range(5, 9)), r.ranges());
        assertEquals(2, r.ranges().get(0).length());
        assertEquals(5, r.ranges().get(1).length());
        assertThrows(UnsupportedOperationException.class, () -> r.ranges().add(new Range(0, 0)));
        assertThrows(UnsupportedOperationException.class,
                () -> ByteRanges.parse("bytes=0-1", 100).ranges().clear());
        assertEquals(List.of(), Result.IGNORE.ranges());
        assertEquals(List.of(), Result.UNSATISFIABLE.ranges());
        assertEquals(Long.MAX_VALUE, new Range(0, Long.MAX_VALUE - 1).length());
    }

    @Test
    void rangeRefusesBadBounds() {
        assertThrows(IllegalArgumentException.class, () -> new Range(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Range(5, 4));
    }

    @Test
    void refusesANegativeLength() {
        assertThrows(IllegalArgumentException.class, () -> ByteRanges.parse("bytes=0-1", -1));
        assertThrows(IllegalArgumentException.class, () -> ByteRanges.unsatisfiedRange(-1));
    }

    @Test
    void handlesTheLargestLengths() {
        long max = Long.MAX_VALUE;
        assertEquals((max - 1) + "-" + (max - 1), show(ByteRanges.parse("bytes=-1", max)));
        assertEquals("0-" + (max - 1), show(ByteRanges.parse("bytes=0-,5-" + (max - 1), max)));
        assertEquals("0-" + (max - 1), show(ByteRanges.parse("bytes=-" + max, max)));
    }

    @Test
    void formatsContentRange() {
        assertEquals("bytes 0-499/1234", ByteRanges.contentRange(0, 499, 1234));
        assertEquals("bytes 1233-1233/1234", ByteRanges.contentRange(1233, 1233, 1234));
        assertEquals("bytes */1234", ByteRanges.unsatisfiedRange(1234));
        assertEquals("bytes */0", ByteRanges.unsatisfiedRange(0));
    }

    @ParameterizedTest(name = "[{index}] {0}-{1}/{2}")
    @CsvSource({"-1,0,10", "5,4,10", "0,10,10", "0,0,0"})
    void contentRangeRefusesARangeOutsideTheRepresentation(long start, long end, long length) {
        assertThrows(IllegalArgumentException.class, () -> ByteRanges.contentRange(start, end, length));
    }

    @Test
    void resultsSayWhatTheyAre() {
        assertEquals("IGNORE", Result.IGNORE.toString());
        assertEquals("UNSATISFIABLE", Result.UNSATISFIABLE.toString());
        assertEquals("SATISFIABLE[Range[start=0, end=1]]", ByteRanges.parse("bytes=0-1", 5).toString());
    }
}
