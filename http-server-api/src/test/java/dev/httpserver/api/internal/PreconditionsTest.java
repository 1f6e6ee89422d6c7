package dev.httpserver.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.internal.Preconditions.Outcome;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreconditionsTest {

    private static final String ETAG = "\"abc\"";
    /** Sun, 06 Nov 1994 08:49:37 GMT. */
    private static final long MTIME = 784111777L;
    private static final String AT = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String BEFORE = "Sun, 06 Nov 1994 08:49:36 GMT";
    private static final String AFTER = "Sun, 06 Nov 1994 08:49:38 GMT";

    /** Request headers from {@code name, value, name, value...}, looked up in any case. */
    private static Function<String, String> headers(String... namesAndValues) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int k = 0; k < namesAndValues.length; k += 2) {
            m.put(namesAndValues[k], namesAndValues[k + 1]);
        }
        return m::get;
    }

    private static Outcome get(String... namesAndValues) {
        return Preconditions.evaluate("GET", headers(namesAndValues), ETAG, MTIME);
    }

    @Test
    void proceedsWithoutConditions() {
        assertEquals(Outcome.PROCEED, get());
        assertEquals(Outcome.PROCEED, Preconditions.evaluate("PUT", headers(), null, MTIME));
    }

    // Step 1: If-Match, strong comparison.
    @ParameterizedTest(name = "[{index}] If-Match: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        *                 | PROCEED
        ' * '             | PROCEED
        "abc"             | PROCEED
        '"x", "abc"'      | PROCEED
        '"x",,"abc"'      | PROCEED
        W/"abc"           | PRECONDITION_FAILED
        "x"               | PRECONDITION_FAILED
        "ABC"             | PRECONDITION_FAILED
        abc               | PRECONDITION_FAILED
        '"abc" "x"'       | PRECONDITION_FAILED
        '*, "abc"'        | PRECONDITION_FAILED
        ''                | PRECONDITION_FAILED
        """)
    void ifMatchNeedsAStrongMatch(String ifMatch, Outcome expected) {
        assertEquals(expected, get("If-Match", ifMatch));
        assertEquals(expected, Preconditions.evaluate("PUT", headers("If-Match", ifMatch), ETAG, MTIME));
    }

    @Test
    void ifMatchWithoutACurrentTagMatchesOnlyTheStar() {
        assertEquals(Outcome.PROCEED, Preconditions.evaluate("GET", headers("If-Match", "*"), null, MTIME));
        assertEquals(Outcome.PRECONDITION_FAILED,
                Preconditions.evaluate("GET", headers("If-Match", "\"abc\""), null, MTIME));
    }

    @Test
    void aWeakCurrentTagNeverMatchesIfMatch() {
        assertEquals(Outcome.PRECONDITION_FAILED,
                Preconditions.evaluate("GET", headers("If-Match", "W/\"abc\""), "W/\"abc\"", MTIME));
    }

    // Step 2: If-Unmodified-Since.
    @ParameterizedTest(name = "[{index}] If-Unmodified-Since: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        Sun, 06 Nov 1994 08:49:37 GMT  | PROCEED
        Sun, 06 Nov 1994 08:49:38 GMT  | PROCEED
        Sun, 06 Nov 1994 08:49:36 GMT  | PRECONDITION_FAILED
        Sunday, 06-Nov-94 08:49:36 GMT | PRECONDITION_FAILED
        Sun Nov  6 08:49:36 1994       | PRECONDITION_FAILED
        yesterday                      | PROCEED
        Sun, 06 Nov 1994 08:49:36 +0000 | PROCEED
        """)
    void ifUnmodifiedSinceFailsForALaterFile(String date, Outcome expected) {
        assertEquals(expected, get("If-Unmodified-Since", date));
        assertEquals(expected, Preconditions.evaluate("DELETE", headers("If-Unmodified-Since", date), ETAG, MTIME));
    }

    @Test
    void ifMatchMakesIfUnmodifiedSinceIgnored() {
        assertEquals(Outcome.PROCEED, get("If-Match", ETAG, "If-Unmodified-Since", BEFORE));
        assertEquals(Outcome.PRECONDITION_FAILED, get("If-Match", "\"x\"", "If-Unmodified-Since", AFTER));
    }

    // Step 3: If-None-Match, weak comparison.
    @ParameterizedTest(name = "[{index}] If-None-Match: {0} -> GET {1}, POST {2}")
    @CsvSource(delimiter = '|', textBlock = """
        *                 | NOT_MODIFIED | PRECONDITION_FAILED
        "abc"             | NOT_MODIFIED | PRECONDITION_FAILED
        W/"abc"           | NOT_MODIFIED | PRECONDITION_FAILED
        '"x", W/"abc"'    | NOT_MODIFIED | PRECONDITION_FAILED
        "x"               | PROCEED      | PROCEED
        '"x", "y"'        | PROCEED      | PROCEED
        abc               | PROCEED      | PROCEED
        '"abc" junk'      | PROCEED      | PROCEED
        ''                | PROCEED      | PROCEED
        """)
    void ifNoneMatchNeedsAWeakMatch(String ifNoneMatch, Outcome forGet, Outcome forOthers) {
        assertEquals(forGet, get("If-None-Match", ifNoneMatch));
        assertEquals(forGet, Preconditions.evaluate("HEAD", headers("If-None-Match", ifNoneMatch), ETAG, MTIME));
        assertEquals(forOthers, Preconditions.evaluate("POST", headers("If-None-Match", ifNoneMatch), ETAG, MTIME));
        assertEquals(forOthers, Preconditions.evaluate("get", headers("If-None-Match", ifNoneMatch), ETAG, MTIME),
                "methods are case-sensitive");
    }

    @Test
    void aWeakCurrentTagMatchesIfNoneMatch() {
        assertEquals(Outcome.NOT_MODIFIED,
                Preconditions.evaluate("GET", headers("If-None-Match", "\"abc\""), "W/\"abc\"", MTIME));
        assertEquals(Outcome.PROCEED,
                Preconditions.evaluate("GET", headers("If-None-Match", "\"abc\""), null, MTIME));
    }

    // Step 4: If-Modified-Since.
    @ParameterizedTest(name = "[{index}] If-Modified-Since: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        Sun, 06 Nov 1994 08:49:37 GMT  | NOT_MODIFIED
        Sun, 06 Nov 1994 08:49:38 GMT  | NOT_MODIFIED
        Sun, 06 Nov 1994 08:49:36 GMT  | PROCEED
        Sunday, 06-Nov-94 08:49:37 GMT | NOT_MODIFIED
        Sun Nov  6 08:49:37 1994       | NOT_MODIFIED
        not a date                     | PROCEED
        """)
    void ifModifiedSinceIsNotModifiedForAFileNotChangedSince(String date, Outcome expected) {
        assertEquals(expected, get("If-Modified-Since", date));
        assertEquals(expected, Preconditions.evaluate("HEAD", headers("If-Modified-Since", date), ETAG, MTIME));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "head"})
    void ifModifiedSinceIsOnlyForGetAndHead(String method) {
        assertEquals(Outcome.PROCEED, Preconditions.evaluate(method, headers("If-Modified-Since", AFTER), ETAG, MTIME));
    }

    @Test
    void ifModifiedSinceUsesTheGivenParser() {
        Function<String, String> h = headers("If-Modified-Since", "whenever");
        assertEquals(Outcome.NOT_MODIFIED, Preconditions.evaluate("GET", h, ETAG, MTIME, v -> MTIME));
        assertEquals(Outcome.PROCEED, Preconditions.evaluate("GET", h, ETAG, MTIME, v -> MTIME - 1));
        assertEquals(Outcome.PROCEED, Preconditions.evaluate("GET", h, ETAG, MTIME, v -> null));
        // The parser is for If-Modified-Since only: If-Unmodified-Since keeps the RFC one.
        assertEquals(Outcome.PRECONDITION_FAILED, Preconditions.evaluate("GET",
                headers("If-Unmodified-Since", BEFORE), ETAG, MTIME, v -> Long.MAX_VALUE));
    }

    // Precedence (RFC 9110 §13.2.2).
    @Test
    void ifNoneMatchMakesIfModifiedSinceIgnored() {
        assertEquals(Outcome.PROCEED, get("If-None-Match", "\"x\"", "If-Modified-Since", AFTER));
        assertEquals(Outcome.NOT_MODIFIED, get("If-None-Match", ETAG, "If-Modified-Since", BEFORE));
    }

    @Test
    void preconditionFailedComesBeforeNotModified() {
        assertEquals(Outcome.PRECONDITION_FAILED, get("If-Match", "\"x\"", "If-None-Match", ETAG));
        assertEquals(Outcome.PRECONDITION_FAILED, get("If-Match", "\"x\"", "If-Modified-Since", AFTER));
        assertEquals(Outcome.PRECONDITION_FAILED, get("If-Unmodified-Since", BEFORE, "If-None-Match", "*"));
        assertEquals(Outcome.PRECONDITION_FAILED, get("If-Unmodified-Since", BEFORE, "If-Modified-Since", AFTER));
        assertEquals(Outcome.NOT_MODIFIED, get("If-Match", ETAG, "If-None-Match", ETAG));
        assertEquals(Outcome.NOT_MODIFIED, get("If-Unmodified-Since", AT, "If-Modified-Since", AT));
    }

    @Test
    void headerNamesAreLookedUpAsTheRfcSpellsThem() {
        assertEquals(Outcome.NOT_MODIFIED, get("if-none-match", ETAG));
        assertEquals(Outcome.PRECONDITION_FAILED, get("IF-MATCH", "\"x\""));
    }

    // Step 5: If-Range.
    @ParameterizedTest(name = "[{index}] If-Range: {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
        "abc"                          | true
        ' "abc" '                      | true
        W/"abc"                        | false
        "x"                            | false
        '"abc", "x"'                   | false
        *                              | false
        Sun, 06 Nov 1994 08:49:37 GMT  | true
        Sunday, 06-Nov-94 08:49:37 GMT | true
        Sun Nov  6 08:49:37 1994       | true
        Sun, 06 Nov 1994 08:49:38 GMT  | false
        Sun, 06 Nov 1994 08:49:36 GMT  | false
        Sun, 06 Nov 1994 08:49:37 +0000 | false
        garbage                        | false
        ''                             | false
        """)
    void ifRangeAppliesOnlyToAnExactValidator(String ifRange, boolean applies) {
        assertEquals(applies, Preconditions.rangeApplies(ifRange, ETAG, MTIME));
    }

    @Test
    void withoutIfRangeTheRangeApplies() {
        assertTrue(Preconditions.rangeApplies(null, ETAG, MTIME));
        assertTrue(Preconditions.rangeApplies(null, null, MTIME));
        assertFalse(Preconditions.rangeApplies("\"abc\"", null, MTIME));
        assertFalse(Preconditions.rangeApplies("W/\"abc\"", "W/\"abc\"", MTIME));
    }

    // HTTP-date, RFC 9110 §5.6.7.
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994", "  Sun, 06 Nov 1994 08:49:37 GMT\t", "Mon, 06 Nov 1994 08:49:37 GMT",
        "Sun Nov 06 08:49:37 1994"})
    void readsTheThreeFormsOfTheSameInstant(String value) {
        assertEquals(MTIME, Preconditions.parseHttpDate(value));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {"", "GMT", "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 +0000",
        "sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 gmt",
        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 94 08:49:37 GMT", "Sun,  06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT", "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT", "Sun, 31 Apr 1994 08:49:37 GMT", "Sun, 29 Feb 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT extra", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 06 Nov 94 08:49:37 GMT", "Sun, 06-Nov-94 08:49:37 GMT",
        "Sunnyday, 06-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT", "Sun Nov x6 08:49:37 1994", "Sun, 0a Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT", "784111777", "Sun, 06 Nov \uff11994 08:49:37 GMT"})
    void refusesWhatIsNotAnHttpDate(String value) {
        assertNull(Preconditions.parseHttpDate(value));
    }

    @Test
    void nullIsNoDate() {
        assertNull(Preconditions.parseHttpDate(null));
    }

    @Test
    void readsALeapSecondAndTheExtremes() {
        assertEquals(epoch(1998, 12, 31, 23, 59, 59) + 1, Preconditions.parseHttpDate("Thu, 31 Dec 1998 23:59:60 GMT"));
        assertEquals(0L, Preconditions.parseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"));
        assertEquals(-1L, Preconditions.parseHttpDate("Wed, 31 Dec 1969 23:59:59 GMT"));
        assertEquals(epoch(9999, 12, 31, 23, 59, 59), Preconditions.parseHttpDate("Fri, 31 Dec 9999 23:59:59 GMT"));
        assertEquals(epoch(2024, 2, 29, 0, 0, 0), Preconditions.parseHttpDate("Thu, 29 Feb 2024 00:00:00 GMT"));
    }

    private static long epoch(int y, int mo, int d, int h, int mi, int s) {
        return ZonedDateTime.of(y, mo, d, h, mi, s, 0, ZoneOffset.UTC).toEpochSecond();
    }

    // RFC 9110 §5.6.7: a two-digit year more than 50 years ahead is the most recent such year in the past.
    @ParameterizedTest(name = "[{index}] {1} seen in {0} is {2}")
    @CsvSource({
        "2025, 94, 1994", "2025, 25, 2025", "2025, 75, 2075", "2025, 76, 1976", "2025, 00, 2000",
        "2099, 10, 2110", "2099, 99, 2099", "2099, 50, 2050", "1990, 39, 2039", "1990, 41, 1941",
    })
    void readsTwoDigitYearsWithinFiftyYearsAhead(int nowYear, String yy, int expectedYear) {
        long now = epoch(nowYear, 1, 1, 12, 0, 0);
        String value = "Monday, 01-Jan-" + yy + " 00:00:00 GMT";
        assertEquals(epoch(expectedYear, 1, 1, 0, 0, 0), Preconditions.parseHttpDate(value, now), value);
    }

    @Test
    void aTwoDigitLeapDayIsTheLatestCenturyThatHasOne() {
        long now = epoch(2025, 1, 1, 0, 0, 0);
        assertEquals(epoch(2000, 2, 29, 0, 0, 0), Preconditions.parseHttpDate("Tuesday, 29-Feb-00 00:00:00 GMT", now));
    }

    @Test
    void everyMonthAndDayNameIsKnown() {
        String[] days = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
        for (int m = 1; m <= 12; m++) {
            ZonedDateTime t = ZonedDateTime.of(2021, m, 1, 0, 0, 0, 0, ZoneOffset.UTC);
            String mon = t.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH);
            String day = days[t.getDayOfWeek().ordinal()];
            assertEquals(t.toEpochSecond(), Preconditions.parseHttpDate(
                    day.substring(0, 3) + ", 01 " + mon + " 2021 00:00:00 GMT"));
            assertEquals(t.toEpochSecond(), Preconditions.parseHttpDate(
                    day + ", 01-" + mon + "-21 00:00:00 GMT", t.toEpochSecond()));
            assertEquals(t.toEpochSecond(), Preconditions.parseHttpDate(
                    day.substring(0, 3) + " " + mon + "  1 00:00:00 2021"));
        }
    }
}
