package dev.httpserver.api.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The dates of {@code http.server}: {@code date_time_string()} ({@code Wed, 02 Dec 2026 10:00:00 GMT})
 * and {@code log_date_time_string()} ({@code 02/Dec/2026 10:00:00}, local time), each formatted at
 * most once a second.
 */
public final class HttpDates {
    private static volatile Object[] httpCache = {Long.MIN_VALUE, ""};
    private static volatile Object[] logCache = {Long.MIN_VALUE, ""};

    private static final String[] WEEKDAY_NAME = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTH_NAME = {null, "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
        "Oct", "Nov", "Dec"};
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy HH:mm:ss", Locale.ENGLISH);

    private HttpDates() {
    }

    /** Now, as an HTTP date. */
    public static String now() {
        long second = System.currentTimeMillis() / 1000;
        Object[] c = httpCache;
        if ((Long) c[0] == second) {
            return (String) c[1];
        }
        String s = format(second);
        httpCache = new Object[] {second, s};
        return s;
    }

    /** Now, in local time, as {@code http.server} logs it. */
    public static String nowForLog() {
        long second = System.currentTimeMillis() / 1000;
        Object[] c = logCache;
        if ((Long) c[0] == second) {
            return (String) c[1];
        }
        String s = LOG_TIME.format(Instant.ofEpochSecond(second).atZone(ZoneId.systemDefault()));
        logCache = new Object[] {second, s};
        return s;
    }

    /** Seconds since the epoch as an HTTP date (RFC 9110 5.6.7). */
    public static String format(long epochSeconds) {
        var t = Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(29).append(WEEKDAY_NAME[t.getDayOfWeek().getValue() - 1]).append(", ");
        two(sb, t.getDayOfMonth()).append(' ').append(MONTH_NAME[t.getMonthValue()]).append(' ');
        String year = Integer.toString(t.getYear());
        sb.append("0".repeat(Math.max(0, 4 - year.length()))).append(year).append(' ');
        two(sb, t.getHour()).append(':');
        two(sb, t.getMinute()).append(':');
        two(sb, t.getSecond());
        return sb.append(" GMT").toString();
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
