package dev.httpserver.api.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The conditional requests of RFC 9110 §13 for a representation that exists (a file): the
 * preconditions {@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match} and
 * {@code If-Modified-Since} evaluated in the order of RFC 9110 §13.2.2, {@code If-Range} of
 * RFC 9110 §13.1.5, and the HTTP-date of RFC 9110 §5.6.7.
 *
 * <p>RFC 9110 §13.2.1: a server evaluates the preconditions only when the answer without them would
 * be a 2xx or 412; the caller does not call {@link #evaluate} for a missing file or a folder redirect.
 * Nothing here does any I/O; the one input beyond the arguments is the current time, read by
 * {@link #parseHttpDate(String)} to place the two-digit year of an RFC 850 date.
 */
public final class Preconditions {

    /** What the preconditions ask for. */
    public enum Outcome {
        /** Go on with the request (the range logic of {@link #rangeApplies} comes next). */
        PROCEED,
        /** Answer {@code 304 Not Modified} (RFC 9110 §15.4.5); only for {@code GET} and {@code HEAD}. */
        NOT_MODIFIED,
        /** Answer {@code 412 Precondition Failed} (RFC 9110 §15.5.13). */
        PRECONDITION_FAILED
    }

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] DAYS_LONG = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"};

    private Preconditions() {
    }

    /**
     * {@link #evaluate(String, Function, String, long, Function)} with {@link #parseHttpDate(String)}
     * for {@code If-Modified-Since}.
     *
     * @param method              the request method, case-sensitive ({@code GET})
     * @param header              the first value of a request field by name, or {@code null} when absent
     * @param etag                the current entity tag of the representation, or {@code null} when it has none
     * @param lastModifiedSeconds the last modification time, in whole seconds since the epoch
     * @return what to answer
     */
    public static Outcome evaluate(String method, Function<String, String> header, String etag,
            long lastModifiedSeconds) {
        return evaluate(method, header, etag, lastModifiedSeconds, Preconditions::parseHttpDate);
    }

    /**
     * Evaluates the preconditions in the order of RFC 9110 §13.2.2, for a representation that exists:
     * <ol>
     *   <li>{@code If-Match} (RFC 9110 §13.1.1): {@code *} is true; else true only when a listed tag
     *       matches {@code etag} by the strong comparison (a weak tag never does; a malformed list matches
     *       nothing). False: {@link Outcome#PRECONDITION_FAILED}.</li>
     *   <li>Else {@code If-Unmodified-Since} (RFC 9110 §13.1.4), when a valid HTTP-date
     *       ({@link #parseHttpDate(String)}): modified after that date is
     *       {@link Outcome#PRECONDITION_FAILED}.</li>
     *   <li>{@code If-None-Match} (RFC 9110 §13.1.2): {@code *}, or a listed tag matching {@code etag} by
     *       the weak comparison, is {@link Outcome#NOT_MODIFIED} for {@code GET} and {@code HEAD},
     *       {@link Outcome#PRECONDITION_FAILED} for any other method.</li>
     *   <li>Else, for {@code GET} and {@code HEAD}, {@code If-Modified-Since} (RFC 9110 §13.1.3), when
     *       {@code ifModifiedSinceParser} reads a date: not modified after it is
     *       {@link Outcome#NOT_MODIFIED}.</li>
     * </ol>
     * So a 412 of steps 1 and 2 wins over a 304, {@code If-Match} makes {@code If-Unmodified-Since}
     * ignored, and {@code If-None-Match} makes {@code If-Modified-Since} ignored. Step 5, {@code If-Range},
     * is {@link #rangeApplies}.
     *
     * <p>Fields that may be repeated ({@code If-Match}, {@code If-None-Match}) should be given joined
     * with commas, as RFC 9110 §5.3 allows.
     *
     * @param method                the request method, case-sensitive ({@code GET})
     * @param header                the first value of a request field by name (matched case-insensitively
     *                              by the caller), or {@code null} when absent
     * @param etag                  the current entity tag, or {@code null} when the representation has none
     * @param lastModifiedSeconds   the last modification time, in whole seconds since the epoch
     * @param ifModifiedSinceParser reads {@code If-Modified-Since} into seconds since the epoch, or
     *                              {@code null} for a value to ignore; {@link #parseHttpDate(String)} or
     *                              a parser with the quirks of CPython's {@code http.server}
     * @return what to answer
     */
    public static Outcome evaluate(String method, Function<String, String> header, String etag,
            long lastModifiedSeconds, Function<String, Long> ifModifiedSinceParser) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(ifModifiedSinceParser, "ifModifiedSinceParser");
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");

        String ifMatch = header.apply("If-Match");
        if (ifMatch != null) {
            if (!matchesAny(ifMatch, etag, true)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            String ifUnmodifiedSince = header.apply("If-Unmodified-Since");
            Long date = ifUnmodifiedSince == null ? null : parseHttpDate(ifUnmodifiedSince);
            if (date != null && lastModifiedSeconds > date) {
                return Outcome.PRECONDITION_FAILED;
            }
        }

        String ifNoneMatch = header.apply("If-None-Match");
        if (ifNoneMatch != null) {
            if (matchesAny(ifNoneMatch, etag, false)) {
                return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
            }
        } else if (getOrHead) {
            String ifModifiedSince = header.apply("If-Modified-Since");
            Long date = ifModifiedSince == null ? null : ifModifiedSinceParser.apply(ifModifiedSince);
            if (date != null && lastModifiedSeconds <= date) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether an {@code If-Match} or {@code If-None-Match} value matches: {@code *} always does (the
     * representation exists), a list of tags when one of them matches {@code etag} by the strong or weak
     * comparison (RFC 9110 §8.8.3.2), anything else never.
     */
    private static boolean matchesAny(String value, String etag, boolean strong) {
        if (trimOws(value).equals("*")) {
            return true;
        }
        List<String> tags = ETags.parseList(value);
        if (tags == null || etag == null) {
            return false;
        }
        for (String tag : tags) {
            if (strong ? ETags.strongMatch(tag, etag) : ETags.weakMatch(tag, etag)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the {@code Range} of a {@code GET} is to be honoured given its {@code If-Range},
     * RFC 9110 §13.1.5. The caller consults it only when the request is a {@code GET} with a
     * {@code Range} field (RFC 9110 §13.2.2 step 5); otherwise {@code If-Range} is ignored.
     * <ul>
     *   <li>No {@code If-Range} ({@code null}): the range applies.</li>
     *   <li>An entity-tag: the range applies when it matches {@code etag} by the strong comparison; a
     *       weak tag never does.</li>
     *   <li>An HTTP-date: the range applies when it is exactly {@code lastModifiedSeconds}. (RFC 9110
     *       §13.1.5 wants a strong date validator, §8.8.2.2; the caller that cannot vouch for one
     *       may send an ETag and ignore dates.)</li>
     *   <li>Anything else: the range does not apply, the whole representation is sent.</li>
     * </ul>
     *
     * @param ifRange             the {@code If-Range} value, or {@code null} when absent
     * @param etag                the current entity tag, or {@code null} when the representation has none
     * @param lastModifiedSeconds the last modification time, in whole seconds since the epoch
     * @return true when the {@code Range} is to be evaluated, false to send a {@code 200} with everything
     */
    public static boolean rangeApplies(String ifRange, String etag, long lastModifiedSeconds) {
        if (ifRange == null) {
            return true;
        }
        String v = trimOws(ifRange);
        if (v.startsWith("\"") || v.startsWith("W/")) {
            return ETags.strongMatch(v, etag);
        }
        Long date = parseHttpDate(v);
        return date != null && date == lastModifiedSeconds;
    }

    /**
     * An HTTP-date of RFC 9110 §5.6.7 in seconds since the epoch, read against the current time (for the
     * two-digit years of the RFC 850 form).
     *
     * @param value the field value, or {@code null}
     * @return the seconds, or {@code null} when the value is not an HTTP-date
     * @see #parseHttpDate(String, long)
     */
    public static Long parseHttpDate(String value) {
        return parseHttpDate(value, System.currentTimeMillis() / 1000);
    }

    /**
     * An HTTP-date of RFC 9110 §5.6.7 in seconds since the epoch. The three forms are accepted,
     * case-sensitively as the RFC says, with optional whitespace around the value:
     * <ul>
     *   <li>IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT};</li>
     *   <li>RFC 850: {@code Sunday, 06-Nov-94 08:49:37 GMT}, whose two-digit year is taken in the century
     *       that puts it at most 50 years after {@code nowSeconds} (RFC 9110 §5.6.7);</li>
     *   <li>asctime: {@code Sun Nov  6 08:49:37 1994}.</li>
     * </ul>
     * The day and month must exist (no {@code 31 Apr}), a second of 60 is read as the leap second it
     * is; the day name must be a day name but is not checked against the date.
     *
     * @param value      the field value, or {@code null}
     * @param nowSeconds the current time, in seconds since the epoch
     * @return the seconds, or {@code null} when the value is not an HTTP-date
     */
    public static Long parseHttpDate(String value, long nowSeconds) {
        if (value == null) {
            return null;
        }
        String v = trimOws(value);
        int comma = v.indexOf(',');
        if (comma == 3 && v.length() == 29) {
            return imfFixdate(v);
        }
        if (comma > 3) {
            return rfc850(v, comma, nowSeconds);
        }
        if (comma < 0 && v.length() == 24) {
            return asctime(v);
        }
        return null;
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static Long imfFixdate(String v) {
        if (indexOf(DAYS, v.substring(0, 3)) < 0 || !v.startsWith(", ", 3) || v.charAt(7) != ' '
                || v.charAt(11) != ' ' || v.charAt(16) != ' ' || !v.startsWith(" GMT", 25)) {
            return null;
        }
        return epochSeconds(number(v, 12, 4), indexOf(MONTHS, v.substring(8, 11)) + 1, number(v, 5, 2), v, 17);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT}. */
    private static Long rfc850(String v, int comma, long nowSeconds) {
        int d = comma + 2;
        if (indexOf(DAYS_LONG, v.substring(0, comma)) < 0 || v.length() != d + 22 || v.charAt(comma + 1) != ' '
                || v.charAt(d + 2) != '-' || v.charAt(d + 6) != '-' || v.charAt(d + 9) != ' '
                || !v.startsWith(" GMT", d + 18)) {
            return null;
        }
        int yy = number(v, d + 7, 2);
        int month = indexOf(MONTHS, v.substring(d + 3, d + 6)) + 1;
        int day = number(v, d, 2);
        if (yy < 0) {
            return null;
        }
        ZonedDateTime now = ZonedDateTime.ofInstant(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC);
        long limit = now.plusYears(50).toEpochSecond();
        int base = Math.floorDiv(now.getYear(), 100) * 100 + yy;
        // The latest year ending in those two digits that is not more than 50 years ahead.
        for (int year = base + 100; year >= base - 100; year -= 100) {
            Long seconds = epochSeconds(year, month, day, v, d + 10);
            if (seconds != null && seconds <= limit) {
                return seconds;
            }
        }
        return null;
    }

    /** {@code Sun Nov  6 08:49:37 1994}: the day of the month is two digits or a space and a digit. */
    private static Long asctime(String v) {
        if (indexOf(DAYS, v.substring(0, 3)) < 0 || v.charAt(3) != ' ' || v.charAt(7) != ' '
                || v.charAt(10) != ' ' || v.charAt(19) != ' ') {
            return null;
        }
        int day = v.charAt(8) == ' ' ? number(v, 9, 1) : number(v, 8, 2);
        return epochSeconds(number(v, 20, 4), indexOf(MONTHS, v.substring(4, 7)) + 1, day, v, 11);
    }

    /**
     * The seconds since the epoch of a date and of the {@code HH:MM:SS} at {@code timeAt} in {@code v},
     * or {@code null} when a part is missing (negative) or out of range.
     */
    private static Long epochSeconds(int year, int month, int day, String v, int timeAt) {
        if (year < 0 || month < 1 || day < 1 || v.charAt(timeAt + 2) != ':' || v.charAt(timeAt + 5) != ':') {
            return null;
        }
        int hour = number(v, timeAt, 2);
        int minute = number(v, timeAt + 3, 2);
        int second = number(v, timeAt + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + minute * 60L + second;
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The value of the {@code count} ASCII digits at {@code from} in {@code s}, or -1. */
    private static int number(String s, int from, int count) {
        int value = 0;
        for (int k = from; k < from + count; k++) {
            int d = s.charAt(k) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static int indexOf(String[] names, String name) {
        for (int k = 0; k < names.length; k++) {
            if (names[k].equals(name)) {
                return k;
            }
        }
        return -1;
    }

    /** {@code s} without optional whitespace (RFC 9110 §5.6.3) at either end. */
    private static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        return s.substring(from, to);
    }
}
