package dev.httpserver.api.internal;

import dev.httpserver.api.Headers;
import dev.httpserver.api.internal.Python;
import dev.httpserver.api.spi.RequestHead;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPython's rules for a request line and header block, as {@code http.server.BaseHTTPRequestHandler.parse_request}
 * and {@code http.client.parse_headers} apply them, plus the server's own body-size and
 * transfer-coding checks: what status and message a request gets refused with, as a
 * {@link RequestHead}. Pure functions, no I/O: a server decodes the bytes (and maps its decoder's
 * failures to {@link #requestLineTooLong()}, {@link #headerLineTooLong}, {@link #undecodable} and
 * {@link #refusedRequestLine}), then hands the parts to {@link #http1Head} or {@link #http2Head}.
 * The handler side ({@code BaseHttpRequestHandler.parseRequest}) uses {@link #parseVersion}.
 *
 * <p>Not part of the public API (see the package).
 */
public final class RequestHeadRules {

    /** CPython's {@code http.server._MAXLINE}: the longest request or header line, in bytes, line ending included. */
    public static final int MAX_LINE = 65536;

    /** CPython's {@code http.client._MAXHEADERS}: the most header lines a request may have. */
    public static final int MAX_HEADERS = 100;

    /** The longest version component CPython accepts ({@code parse_request}: "unreasonable length http version"). */
    private static final int MAX_VERSION_DIGITS = 10;

    /** What a field line adds to its name and value: {@code ": "} and CRLF. */
    private static final int FIELD_LINE_OVERHEAD = 4;

    /** What Python's {@code str.split()} splits on, among ISO-8859-1 characters. */
    private static final String PYTHON_SPACE_CLASS = "[ \\t\\n\\x0b\\x0c\\r\\x1c-\\x1f\\x85\\xa0]+";
    private static final Pattern PYTHON_SPACE = Pattern.compile(PYTHON_SPACE_CLASS);
    private static final Pattern PYTHON_SPACE_AT_ENDS = Pattern.compile("^" + PYTHON_SPACE_CLASS + "|" + PYTHON_SPACE_CLASS + "$");

    private static final String TOO_MANY_HEADERS = "got more than " + MAX_HEADERS + " headers";

    private RequestHeadRules() {
    }

    /**
     * An HTTP version number, {@code HTTP/major.minor}. A component of more digits than an
     * {@code int} holds is {@link Integer#MAX_VALUE}, which compares the same way.
     *
     * @param major the number before the dot
     * @param minor the number after the dot
     */
    public record Version(int major, int minor) {
    }

    /**
     * {@code HTTP/<digits>.<digits>}, at most 10 ASCII digits each, as {@code parse_request} accepts
     * it (case-sensitive {@code HTTP/}, exactly one dot), or null for anything else, {@code null}
     * included.
     *
     * @param version the last word of a request line
     * @return the version number, or null when CPython answers "Bad request version"
     */
    public static Version parseVersion(String version) {
        if (version == null || !version.startsWith("HTTP/")) {
            return null;
        }
        String[] parts = version.substring(5).split("\\.", -1);
        if (parts.length != 2) {
            return null;
        }
        int major = versionComponent(parts[0]);
        int minor = versionComponent(parts[1]);
        return major < 0 || minor < 0 ? null : new Version(major, minor);
    }

    /** One side of the dot: 1 to 10 ASCII digits (capped at {@code Integer.MAX_VALUE}), or -1. */
    private static int versionComponent(String part) {
        if (part.isEmpty() || part.length() > MAX_VERSION_DIGITS) {
            return -1;
        }
        for (int j = 0; j < part.length(); j++) {
            char c = part.charAt(j);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return (int) Math.min(Long.parseLong(part), Integer.MAX_VALUE);
    }

    /**
     * The 400 message for a version {@link #parseVersion} refuses: {@code Bad request version ('HTTP/1')}.
     *
     * @param version the version as sent
     * @return CPython's message
     */
    public static String badVersionMessage(String version) {
        return "Bad request version (" + Python.repr(version) + ")";
    }

    /**
     * The 505 message for a major version of 2 or more in a request line: {@code Invalid HTTP version (2.0)}.
     *
     * @param version the version as sent, starting with {@code HTTP/}
     * @return CPython's message
     */
    public static String invalidVersionMessage(String version) {
        return "Invalid HTTP version (" + version.substring(5) + ")";
    }

    /**
     * CPython's verdict on a request line the decoder refused ({@code parse_request}): with three
     * words or more, a bad last word is 400 "Bad request version" and a major version of 2 or more
     * 505; two words not starting with {@code GET} are 400 "Bad HTTP/0.9 request type"; anything
     * else is 400 "Bad request syntax". The line itself is kept for the log.
     *
     * @param line the request line without its line ending
     * @return a malformed head
     */
    public static RequestHead refusedRequestLine(String line) {
        String trimmed = PYTHON_SPACE_AT_ENDS.matcher(line).replaceAll("");
        String[] words = trimmed.isEmpty() ? new String[0] : PYTHON_SPACE.split(trimmed);
        if (words.length >= 3) {
            String version = words[words.length - 1];
            Version number = parseVersion(version);
            if (number == null) {
                return RequestHead.malformed(line, null, null, null, 400, badVersionMessage(version), null);
            }
            if (number.major() >= 2) {
                return RequestHead.malformed(line, null, null, version, 505, invalidVersionMessage(version), null);
            }
        }
        if (words.length == 2 && !words[0].equals("GET")) {
            return RequestHead.malformed(line, null, null, null, 400,
                    "Bad HTTP/0.9 request type (" + Python.repr(words[0]) + ")", null);
        }
        return badSyntax(line);
    }

    /**
     * A request line longer than {@link #MAX_LINE}: 414 with the status's own phrase, and nothing of
     * the line kept (CPython's {@code handle_one_request} sets all three parts to {@code ''}).
     *
     * @return a malformed head
     */
    public static RequestHead requestLineTooLong() {
        return RequestHead.malformed("", "", null, "", 414, null, null);
    }

    /**
     * A header line longer than {@link #MAX_LINE}: 431 "Line too long", as CPython answers the
     * {@code LineTooLong("header line")} of {@code parse_headers}.
     *
     * @param method the method token
     * @param uri the request target
     * @param version the version as sent
     * @return a malformed head
     */
    public static RequestHead headerLineTooLong(String method, String uri, String version) {
        return refuse(method, uri, version, 431, "Line too long", "header line");
    }

    /**
     * A request whose line is sound but whose header fields the decoder refused (a {@code Content-Length}
     * that is not a number, a field name with a space, a control character in a value, a transfer
     * coding that does not end in {@code chunked}...): 400 "Bad request: " and the decoder's reason,
     * instead of blaming the request line.
     *
     * @param method the method token
     * @param uri the request target
     * @param version the version as sent
     * @param reason the decoder's message, or null
     * @return a malformed head
     */
    public static RequestHead badHeaderFields(String method, String uri, String version, String reason) {
        String why = reason == null || reason.isBlank() ? "malformed header field" : reason.strip();
        if (why.endsWith(".")) {
            why = why.substring(0, why.length() - 1); // the error page adds its own
        }
        if (why.length() > MAX_REASON) {
            why = why.substring(0, MAX_REASON) + "...";
        }
        return refuse(method, uri, version, 400, "Bad request: " + why, null);
    }

    /**
     * An HTTP/1 request the decoder could not read, with no request line to judge: 400
     * "Bad request syntax", with the decoder's reason when it gave one.
     *
     * @param reason the decoder's message, or null
     * @return a malformed head
     */
    public static RequestHead undecodable(String reason) {
        return RequestHead.malformed("", null, null, null, 400,
                "Bad request syntax" + (reason == null ? "" : " (" + Python.repr(reason) + ")"), null);
    }

    /**
     * A request on an HTTP/2 stream the decoder could not read: 400 "Bad request", with the decoder's
     * reason when it gave one.
     *
     * @param method the {@code :method}
     * @param uri the {@code :path}
     * @param reason the decoder's message, or null
     * @return a malformed head
     */
    public static RequestHead undecodableHttp2(String method, String uri, String reason) {
        return RequestHead.malformed(line(method, uri, RequestHead.HTTP_2), method, uri, RequestHead.HTTP_2, 400,
                "Bad request" + (reason == null ? "" : " (" + Python.repr(reason) + ")"), null);
    }

    /**
     * Whether a header field makes a line longer than {@link #MAX_LINE} bytes once written as
     * {@code name: value\r\n}; CPython reads each line with {@code readline(_MAXLINE + 1)}.
     *
     * @param name the field name
     * @param value the field value
     * @return true when CPython would raise {@code LineTooLong}
     */
    public static boolean fieldLineTooLong(String name, String value) {
        return name.length() + value.length() + FIELD_LINE_OVERHEAD > MAX_LINE;
    }

    /**
     * Whether a {@code Content-Length} announces more than the server accepts. A length that is not a
     * number is not judged here: the decoder has already refused it.
     *
     * @param contentLength the field's value, or null when there is none
     * @param maxBodySize the largest body accepted, or negative for no limit
     * @return true when the request gets 413
     */
    public static boolean bodyTooLarge(String contentLength, long maxBodySize) {
        if (maxBodySize < 0 || contentLength == null) {
            return false;
        }
        try {
            return Long.parseLong(contentLength.trim()) > maxBodySize;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The head of a decoded HTTP/1 request, or the error it gets, checked in this order: white space
     * in the target (400 "Bad request syntax", as CPython's split into more than three words), a
     * transfer coding other than {@code chunked} (501, RFC 9112 section 6.1), more than
     * {@link #MAX_HEADERS} fields (431 "Too many headers"), a {@code Content-Length} over
     * {@code maxBodySize} (413), a field line over {@link #MAX_LINE} (431 "Line too long").
     *
     * @param method the method token
     * @param uri the request target
     * @param version the version as sent (judged later, by the handler's {@code parseRequest}), or null
     *        for a line of two words (HTTP/0.9's simple request)
     * @param fields the header fields in the order received
     * @param maxBodySize the largest body accepted, or negative for no limit
     * @return {@link RequestHead#of} the request, or a malformed head
     */
    public static RequestHead http1Head(String method, String uri, String version,
            Iterable<? extends Map.Entry<String, String>> fields, long maxBodySize) {
        for (int i = 0; i < uri.length(); i++) {
            if (Character.isWhitespace(uri.charAt(i))) {
                // CPython splits the line on white space: more than three words is bad syntax.
                return badSyntax(line(method, uri, version));
            }
        }
        return head(method, uri, version, fields, maxBodySize, false);
    }

    /**
     * The head of a request on an HTTP/2 stream, or the error it gets: CPython's limits apply as on
     * HTTP/1 (the decoder already bounds the whole header list). The fields are judged one by one as
     * they come, as {@code parse_headers} reads lines, so a field line over {@link #MAX_LINE} among
     * the first {@link #MAX_HEADERS} gets 431 "Line too long" before the count is; then a
     * {@code Content-Length} over {@code maxBodySize} gets 413.
     *
     * @param method the {@code :method}
     * @param uri the {@code :path}
     * @param fields the header fields in the order received, the server's own bookkeeping left out
     * @param maxBodySize the largest body accepted, or negative for no limit
     * @return {@link RequestHead#ofHttp2} the request, or a malformed head
     */
    public static RequestHead http2Head(String method, String uri, Iterable<? extends Map.Entry<String, String>> fields,
            long maxBodySize) {
        return head(method, uri, RequestHead.HTTP_2, fields, maxBodySize, true);
    }

    /**
     * The checks both protocols share, in one pass over the fields. The order of the verdicts is the
     * one each protocol has always had: only where a long line and too many fields come together
     * does it differ, and HTTP/2 never has a transfer coding to judge (RFC 9113 section 8.2.2).
     */
    private static RequestHead head(String method, String uri, String version,
            Iterable<? extends Map.Entry<String, String>> fields, long maxBodySize, boolean http2) {
        Headers.Builder headers = Headers.builder();
        int count = 0;
        int firstLongLine = 0; // 1-based position of the first field line over MAX_LINE, 0 for none
        String badCoding = null;
        String contentLength = null;
        boolean conflictingLengths = false;
        boolean transferCoding = false;
        int hosts = 0;
        boolean badHost = false;
        for (Map.Entry<String, String> e : fields) {
            String name = e.getKey();
            String value = e.getValue();
            count++;
            if (firstLongLine == 0 && fieldLineTooLong(name, value)) {
                firstLongLine = count;
            }
            if (!http2 && badCoding == null && asciiEqualsIgnoreCase(name, "Transfer-Encoding")
                    && !value.trim().equalsIgnoreCase("chunked")) {
                badCoding = value;
            }
            if (asciiEqualsIgnoreCase(name, "Content-Length")) {
                for (String one : value.split(",", -1)) {
                    // RFC 9112 6.3: differing lengths are an unrecoverable framing error, whatever the version
                    if (contentLength == null) {
                        contentLength = one.trim();
                    } else if (!contentLength.equals(one.trim())) {
                        conflictingLengths = true;
                    }
                }
            }
            transferCoding |= asciiEqualsIgnoreCase(name, "Transfer-Encoding");
            if (asciiEqualsIgnoreCase(name, "Host")) {
                hosts++;
                badHost |= !validHost(value);
            }
            headers.add(name, value);
        }
        if (badCoding != null) {
            // RFC 9112 section 6.1: a transfer coding the server does not understand gets 501.
            return refuse(method, uri, version, 501, "Unsupported Transfer-Encoding (" + Python.repr(badCoding) + ")",
                    null);
        }
        if (conflictingLengths) {
            return refuse(method, uri, version, 400, "Bad request: conflicting Content-Length values", null);
        }
        if (!http2 && transferCoding && (contentLength != null || beforeHttp11(version))) {
            // RFC 9112 6.1 and 6.3: Transfer-Encoding beside Content-Length, or on HTTP/1.0, is how requests
            // are smuggled past a proxy that reads the other framing: refused, and the connection closed.
            return refuse(method, uri, version, 400, "Bad request: ambiguous message framing (Transfer-Encoding with "
                    + (contentLength != null ? "Content-Length" : version == null ? "HTTP/0.9" : version) + ")", null);
        }
        if (http2 && firstLongLine != 0 && firstLongLine <= MAX_HEADERS) {
            // HTTP/2 judged each field as it came: a long line before the 101st is found before the count.
            return headerLineTooLong(method, uri, version);
        }
        if (count > MAX_HEADERS) {
            return refuse(method, uri, version, 431, "Too many headers", TOO_MANY_HEADERS);
        }
        if (hosts > 1) {
            // RFC 9112 section 3.2: which of two hosts is meant is anybody's guess, and a proxy may have
            // taken the other; CPython reads the first.
            return refuse(method, uri, version, 400, "Bad request: more than one Host header", null);
        }
        if (badHost) {
            // RFC 9112 section 3.2: uri-host [":" port]; white space, "/", "@" or a control character in it
            // is not a host, and a server must not guess.
            return refuse(method, uri, version, 400, "Bad request: invalid Host header", null);
        }
        if (bodyTooLarge(contentLength, maxBodySize)) {
            return refuse(method, uri, version, 413, null,
                    "The request body is larger than this server accepts (" + maxBodySize + " bytes).");
        }
        if (firstLongLine != 0) {
            return headerLineTooLong(method, uri, version);
        }
        if (http2) {
            return RequestHead.ofHttp2(method, uri, headers.build());
        }
        return version == null ? RequestHead.ofSimple(method, uri, headers.build())
                : RequestHead.of(method, uri, version, headers.build());
    }

    /** Whether a request line's version (null: none, HTTP/0.9's simple request) is below HTTP/1.1. */
    private static boolean beforeHttp11(String version) {
        Version number = version == null ? null : parseVersion(version);
        return number == null || number.major() < 1 || (number.major() == 1 && number.minor() < 1);
    }

    /** 400 "Bad request syntax" for a line that does not split into a request, with nothing of it parsed. */
    private static RequestHead badSyntax(String line) {
        return RequestHead.malformed(line, null, null, null, 400, "Bad request syntax (" + Python.repr(line) + ")",
                null);
    }

    /** A refusal of a request whose line was read: its parts are kept for the log and the handler. */
    /**
     * Whether {@code value} may be a {@code Host} field: empty, or the characters of {@code uri-host
     * [":" port]} (RFC 3986 3.2.2: unreserved, percent-encoded, sub-delims, and the brackets and colons
     * of an IP literal), surrounding white space aside.
     *
     * @param value the field's value
     * @return false when it cannot name a host
     */
    public static boolean validHost(String value) {
        String v = value.strip();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~%!$&'()*+,;=:[]".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The longest decoder reason quoted in an error message; the rest is cut. */
    private static final int MAX_REASON = 200;

    private static RequestHead refuse(String method, String uri, String version, int code, String message,
            String explain) {
        return RequestHead.malformed(line(method, uri, version), method, uri, version, code, message, explain);
    }

    private static String line(String method, String uri, String version) {
        return version == null ? method + " " + uri : method + " " + uri + " " + version;
    }

    /** Field names compare case-insensitively in ASCII only (RFC 9110 section 5.1), as the decoders do. */
    private static boolean asciiEqualsIgnoreCase(String a, String b) {
        if (a.length() != b.length()) {
            return false;
        }
        for (int i = 0; i < a.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && toLowerAscii(x) != toLowerAscii(y)) {
                return false;
            }
        }
        return true;
    }

    private static char toLowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }
}
