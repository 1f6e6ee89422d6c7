package dev.httpserver.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ETagsTest {

    /** A strong tag made of the characters {@link ETags#strong} promises. */
    private static final Pattern STRONG = Pattern.compile("\"([0-9a-f]+-)?[0-9a-f]+-[0-9a-f]+\"");

    @Test
    void strongTagIsTheHexOfKeyHashSizeAndTime() {
        assertEquals("\"4d2-ff\"", ETags.strong(null, 1234, 255));
        assertEquals("\"0-0\"", ETags.strong(null, 0, 0));
        assertEquals("\"0-ffffffffffffffff\"", ETags.strong(null, 0, -1));
        String tag = ETags.strong("(dev=803,ino=1234)", 1234, 255);
        assertTrue(STRONG.matcher(tag).matches(), tag);
        assertTrue(tag.endsWith("-4d2-ff\""), tag);
        assertTrue(ETags.isValid(tag));
        assertFalse(ETags.isWeak(tag));
    }

    @Test
    void strongTagIsStableAndChangesWithEachPart() {
        String tag = ETags.strong("(dev=803,ino=1234)", 10, 20);
        assertEquals(tag, ETags.strong("(dev=803,ino=1234)", 10, 20));
        assertNotEquals(tag, ETags.strong("(dev=803,ino=1235)", 10, 20));
        assertNotEquals(tag, ETags.strong("(dev=804,ino=1234)", 10, 20));
        assertNotEquals(tag, ETags.strong("(dev=803,ino=1234)", 11, 20));
        assertNotEquals(tag, ETags.strong("(dev=803,ino=1234)", 10, 21));
        assertFalse(tag.contains("1234") && tag.contains("ino"), "the inode number is not shown as is");
    }

    @Test
    void strongTagOfARealFileKeyIsValid(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("a.txt"), "hello");
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        String tag = ETags.strong(a.fileKey(), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        assertTrue(STRONG.matcher(tag).matches(), tag);
        assertTrue(ETags.strongMatch(tag, tag));
    }

    @Test
    void strongTagRefusesANegativeSize() {
        assertThrows(IllegalArgumentException.class, () -> ETags.strong(null, -1, 0));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"\"\"", "\"abc\"", "W/\"abc\"", "W/\"\"", "\"a,b\"", "\"!#~\"", "\"\u00e9\u00ff\"",
        "\"W/\""})
    void acceptsEntityTags(String tag) {
        assertTrue(ETags.isValid(tag));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "abc", "\"abc", "abc\"", "\"a\"b\"", "\"a b\"", "\"a\tb\"", "w/\"abc\"", "W\"abc\"",
        "W/abc", " \"abc\"", "\"abc\" ", "\"a\u0001\"", "\"a\u007f\"", "\"\u0100\"", "*", "\"a\",\"b\""})
    void refusesWhatIsNotAnEntityTag(String tag) {
        assertFalse(ETags.isValid(tag));
        assertFalse(ETags.strongMatch(tag, tag));
        assertFalse(ETags.weakMatch(tag, tag));
    }

    @Test
    void nullIsNoTag() {
        assertFalse(ETags.isValid(null));
        assertFalse(ETags.isWeak(null));
        assertFalse(ETags.strongMatch(null, null));
        assertFalse(ETags.weakMatch(null, "\"a\""));
        assertNull(ETags.parseList(null));
    }

    // RFC 9110 §8.8.3.2, the table of the two comparisons.
    @ParameterizedTest(name = "[{index}] {0} vs {1}: strong {2}, weak {3}")
    @CsvSource(delimiter = '|', textBlock = """
        W/"1" | W/"1" | false | true
        W/"1" | W/"2" | false | false
        W/"1" | "1"   | false | true
        "1"   | "1"   | true  | true
        "1"   | "2"   | false | false
        "1"   | W/"2" | false | false
        "abc" | "ABC" | false | false
        """)
    void comparesAsRfc9110Tabulates(String a, String b, boolean strong, boolean weak) {
        assertEquals(strong, ETags.strongMatch(a, b));
        assertEquals(strong, ETags.strongMatch(b, a));
        assertEquals(weak, ETags.weakMatch(a, b));
        assertEquals(weak, ETags.weakMatch(b, a));
    }

    @Test
    void weakIsOnlyTheUpperCasePrefix() {
        assertTrue(ETags.isWeak("W/\"x\""));
        assertFalse(ETags.isWeak("\"x\""));
        assertFalse(ETags.isWeak("\"W/x\""));
        assertFalse(ETags.isWeak("w/\"x\""));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
        '"a"'                    | "a"
        '"a","b"'                | "a";"b"
        '"a", W/"b"'             | "a";W/"b"
        ' "a" ,\t"b" '           | "a";"b"
        '"a",,"b",'              | "a";"b"
        ',"a"'                   | "a"
        '"a,b", "c"'             | "a,b";"c"
        '""'                     | ""
        """)
    void readsAListOfTags(String value, String expected) {
        assertEquals(List.of(expected.split(";")), ETags.parseList(value));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", " ", ",", " , ,", "*", "\"a\", *", "a", "\"a\" \"b\"", "\"a\"b", "\"a", "\"a\",b",
        "W/a", "w/\"a\"", "\"a\";\"b\""})
    void aMalformedListHasNoTag(String value) {
        assertNull(ETags.parseList(value));
    }

    @Test
    void aListIsUnmodifiable() {
        assertThrows(UnsupportedOperationException.class, () -> ETags.parseList("\"a\"").clear());
    }
}
