package dev.httpserver.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides whether the bytes a server sent on one connection are what HTTP/1.x allows: nothing, or a
 * sequence of well-formed responses, each a status line {@code HTTP/1.x NNN reason}, header lines,
 * an empty line, then a body framed by {@code Content-Length}, {@code Transfer-Encoding: chunked} or
 * the end of the connection; interim {@code 100 Continue} responses before a final one; nothing after
 * a response that said {@code Connection: close}; and no 5xx status except the two a client's request
 * can legitimately cause ({@code 501 Unsupported method}, {@code 501 Unsupported Transfer-Encoding}
 * (RFC 9112 6.1) and {@code 505 Invalid HTTP version}, as
 * CPython answers them).
 *
 * <p>A response to HEAD carries a {@code Content-Length} but no body, and the checker cannot tell from
 * the response alone which request it answers; it accepts the reply when some assignment of at most
 * as many HEAD answers as the request bytes contain {@code HEAD} makes all of it parse (a search over
 * (offset, HEADs used) states, each visited once).
 */
final class ResponseChecker {

    /** The largest response head accepted. */
    private static final int MAX_HEAD = 256 * 1024;

    private ResponseChecker() {
    }

    /** The verdict on one reply. */
    static final class Verdict {
        final String error;
        /** What kind of error: {@code 5xx}, {@code header-ctl}, {@code cut}, {@code malformed}; null when none. */
        final String kind;
        final List<Integer> statuses;
        final boolean cut;

        private Verdict(String error, String kind, List<Integer> statuses, boolean cut) {
            this.error = error;
            this.kind = kind;
            this.statuses = statuses;
            this.cut = cut;
        }

        boolean ok() {
            return error == null;
        }
    }

    /** A run of the characters Python's {@code str.split()} splits a Latin-1 line on (LF ends it first). */
    private static final String PYTHON_SPACE = "[ \\t\\x0b\\x0c\\r\\x1c-\\x1f\\x85\\xa0]+";

    /** Whether the request's first line is {@code GET /path} or {@code METHOD /path HTTP/0.9}, split as CPython splits it. */
    static boolean simpleGet(byte[] request) {
        int from = 0;
        while (from < request.length && (request[from] == '\r' || request[from] == '\n')) {
            from++;
        }
        int to = from;
        while (to < request.length && request[to] != '\n') {
            to++;
        }
        // CPython's split(): its white space only (not NUL and the other controls String.trim() drops)
        String line = new String(request, from, to - from, StandardCharsets.ISO_8859_1)
                .replaceAll("^" + PYTHON_SPACE + "|" + PYTHON_SPACE + "$", "");
        String[] words = line.split(PYTHON_SPACE);
        // "GET /path", or any method with "HTTP/0.9" (CPython answers even its 501 without a status line)
        return (words.length == 2 && words[0].equals("GET")) || (words.length == 3 && words[2].equals("HTTP/0.9"));
    }

    private static boolean startsWith(byte[] b, String prefix) {
        if (b.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks {@code reply}, everything the server sent until it closed the connection.
     *
     * @param request the bytes the client sent (to bound how many responses may answer HEAD)
     * @param cutAllowed whether the last response may be incomplete: the client half-closed the
     *     connection and the server is known to close at once when it does, dropping what it had not
     *     written yet
     */
    static Verdict check(byte[] request, byte[] reply, boolean cutAllowed) {
        if (reply.length == 0) {
            return new Verdict(null, null, List.of(), false);
        }
        if (simpleGet(request) && !startsWith(reply, "HTTP/")) {
            // HTTP/0.9's simple GET is answered, as in CPython, with the body alone, then the close
            return new Verdict(null, null, List.of(), false);
        }
        int maxHeads = count(request, "HEAD".getBytes(StandardCharsets.US_ASCII));
        // Depth-first search over states (offset, HEAD answers used); offsets only grow, so the states
        // form a DAG and a state that was explored without success never needs exploring again.
        Set<Long> visited = new HashSet<>();
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Integer> statusOf = new HashMap<>();
        ArrayDeque<Long> stack = new ArrayDeque<>();
        long start = state(0, 0);
        stack.push(start);
        Failure worst = null;
        long cutAt = -1; // a state whose response the half-close cut short: accepted if nothing better parses
        while (!stack.isEmpty()) {
            long s = stack.pop();
            if (!visited.add(s)) {
                continue;
            }
            int pos = (int) (s >>> 20);
            int heads = (int) (s & 0xFFFFF);
            Head h = Head.parse(reply, pos);
            if (h.error != null) {
                worst = Failure.worse(worst, new Failure(pos, h.kind, h.error, h.severe));
                continue;
            }
            if (h.incomplete) {
                if (cutAllowed) {
                    cutAt = cutAt == -1 ? s : cutAt;
                    continue;
                }
                worst = Failure.worse(worst, new Failure(pos, "cut", "the connection ended inside a response head", false));
                continue;
            }
            statusOf.put(s, h.status);
            List<long[]> next = new ArrayList<>(2); // {offset, heads}
            boolean cut = false;
            String bodyError = null;
            if (h.status < 200 || h.status == 204 || h.status == 304) {
                next.add(new long[] {h.end, heads});
            } else if (h.chunked) {
                int end = chunkedEnd(reply, h.end);
                if (end == -1) {
                    cut = true;
                } else if (end < -1) {
                    bodyError = CHUNK_ERRORS[-end - 2];
                } else {
                    next.add(new long[] {end, heads});
                }
            } else if (h.contentLength >= 0) {
                if (h.end + h.contentLength <= reply.length) {
                    next.add(new long[] {h.end + h.contentLength, heads});
                } else {
                    cut = true;
                }
                if (heads < maxHeads && h.contentLength > 0) {
                    next.add(new long[] {h.end, heads + 1});
                }
            } else {
                next.add(new long[] {reply.length, heads}); // delimited by the end of the connection
                if (heads < maxHeads) {
                    next.add(new long[] {h.end, heads + 1});
                }
            }
            if (cut) {
                if (cutAllowed) {
                    cutAt = cutAt == -1 ? s : cutAt;
                } else {
                    worst = Failure.worse(worst, new Failure(pos, "cut", "the connection ended inside the body of "
                        + Escape.string(h.statusLine, 200) + " (" + describeFraming(h) + ")", false));
                }
            }
            if (bodyError != null) {
                worst = Failure.worse(worst, new Failure(h.end, "malformed",
                        bodyError + " in the body of " + Escape.string(h.statusLine, 200), false));
            }
            // Pushed in reverse so that the plain reading (a body present) is tried first.
            for (int i = next.size() - 1; i >= 0; i--) {
                int nextPos = (int) next.get(i)[0];
                int nextHeads = (int) next.get(i)[1];
                if (h.close && h.status >= 200 && nextPos != reply.length) {
                    worst = Failure.worse(worst, new Failure(nextPos, "malformed",
                            "bytes follow a response that said Connection: close (" + Escape.string(h.statusLine, 200) + ")", false));
                    continue;
                }
                long ns = state(nextPos, nextHeads);
                if (nextPos == reply.length) {
                    parent.put(ns, s);
                    return success(parent, statusOf, ns, false);
                }
                if (!visited.contains(ns)) {
                    parent.put(ns, s);
                    stack.push(ns);
                }
            }
        }
        if (cutAt != -1) {
            return success(parent, statusOf, cutAt, true);
        }
        return worst == null ? new Verdict("unparsable reply", "malformed", List.of(), false)
                : new Verdict(worst.message + " (at byte " + worst.pos + " of the reply)", worst.kind, List.of(), false);
    }

    private static String describeFraming(Head h) {
        return h.chunked ? "chunked" : h.contentLength >= 0 ? "Content-Length " + h.contentLength : "no framing";
    }

    private static Verdict success(Map<Long, Long> parent, Map<Long, Integer> statusOf, long last, boolean cut) {
        List<Integer> statuses = new ArrayList<>();
        for (Long s = last; s != null; s = parent.get(s)) {
            Integer st = statusOf.get(s);
            if (st != null) {
                statuses.add(st);
            }
        }
        Collections.reverse(statuses);
        return new Verdict(null, null, statuses, cut);
    }

    private static long state(int pos, int heads) {
        return ((long) pos << 20) | heads;
    }

    static int count(byte[] hay, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            n++;
        }
        return Math.min(n, 0xFFFFE);
    }

    private static final String[] CHUNK_ERRORS = {
        "a malformed chunk-size line", "chunk data not followed by CRLF", "a malformed trailer line", "a bare LF"};

    /** The offset after a chunked body starting at {@code pos}; -1 if cut short; below -1: an error. */
    private static int chunkedEnd(byte[] b, int pos) {
        while (true) {
            int nl = indexOf(b, pos, (byte) '\n', 4096);
            if (nl == -1) {
                return -1;
            }
            if (nl == -2 || nl == pos || b[nl - 1] != '\r') {
                return -2;
            }
            long size = 0;
            int i = pos;
            int digits = 0;
            for (; i < nl - 1; i++) {
                int d = Character.digit(b[i], 16);
                if (d < 0) {
                    break;
                }
                size = size * 16 + d;
                if (++digits > 15) {
                    return -2;
                }
            }
            if (digits == 0 || (i < nl - 1 && b[i] != ';')) {
                return -2;
            }
            pos = nl + 1;
            if (size == 0) {
                // trailer section: header lines, then an empty line
                while (true) {
                    int e = indexOf(b, pos, (byte) '\n', MAX_HEAD);
                    if (e == -1) {
                        return -1;
                    }
                    if (e == -2 || e == pos || b[e - 1] != '\r') {
                        return -5;
                    }
                    if (e == pos + 1) {
                        return e + 1;
                    }
                    if (Head.fieldError(b, pos, e - 1) != null) {
                        return -4;
                    }
                    pos = e + 1;
                }
            }
            if (pos + size + 2 > b.length) {
                return -1;
            }
            int after = (int) (pos + size);
            if (b[after] != '\r' || b[after + 1] != '\n') {
                return -3;
            }
            pos = after + 2;
        }
    }

    /** The index of {@code c} at or after {@code from}; -1 if the data ends first, -2 past {@code max} bytes. */
    static int indexOf(byte[] b, int from, byte c, int max) {
        int limit = Math.min(b.length, from + max);
        for (int i = from; i < limit; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return limit == b.length ? -1 : -2;
    }

    private static final class Failure {
        final int pos;
        final String kind;
        final String message;
        final boolean severe;

        Failure(int pos, String kind, String message, boolean severe) {
            this.pos = pos;
            this.kind = kind;
            this.message = message;
            this.severe = severe;
        }

        /** The failure to report: a forbidden status first, else the one that got furthest. */
        static Failure worse(Failure a, Failure b) {
            if (a == null) {
                return b;
            }
            if (a.severe != b.severe) {
                return a.severe ? a : b;
            }
            return b.pos > a.pos ? b : a;
        }
    }

    /** One response head. */
    static final class Head {
        int status;
        String statusLine;
        int end;
        long contentLength = -1;
        boolean chunked;
        boolean close;
        String error;
        String kind;
        boolean severe;
        boolean incomplete;

        static Head parse(byte[] b, int pos) {
            Head h = new Head();
            int nl = indexOf(b, pos, (byte) '\n', MAX_HEAD);
            if (nl == -1) {
                String prefix = "HTTP/1.";
                int n = Math.min(prefix.length(), b.length - pos);
                if (!new String(b, pos, n, StandardCharsets.ISO_8859_1).equals(prefix.substring(0, n))) {
                    return h.fail("not a status line: " + Escape.bytes(b, pos, 80));
                }
                h.incomplete = true;
                return h;
            }
            if (nl == -2) {
                return h.fail("no end of status line within " + MAX_HEAD + " bytes");
            }
            if (nl == pos || b[nl - 1] != '\r') {
                return h.fail("a status line that does not end in CRLF: " + Escape.excerpt(b, pos, Math.min(nl + 1 - pos, 200)));
            }
            String line = new String(b, pos, nl - 1 - pos, StandardCharsets.ISO_8859_1);
            h.statusLine = line;
            String problem = statusLineError(line);
            if (problem != null) {
                return h.fail(problem + ": " + Escape.string(line, 200));
            }
            h.status = Integer.parseInt(line.substring(9, 12));
            String reason = line.length() > 13 ? line.substring(13) : "";
            if (h.status >= 500 && !(h.status == 501 && (reason.startsWith("Unsupported method (")
                    || reason.startsWith("Unsupported Transfer-Encoding (")))
                    && !(h.status == 505 && reason.startsWith("Invalid HTTP version ("))) {
                h.severe = true;
                return h.fail("5xx", "the server answered " + h.status + ": " + Escape.string(line, 200));
            }
            if (h.status < 200 && h.status != 100) {
                return h.fail("an interim response the server never sends: " + Escape.string(line, 200));
            }
            int p = nl + 1;
            List<String> lengths = new ArrayList<>(1);
            String te = null;
            while (true) {
                int e = indexOf(b, p, (byte) '\n', MAX_HEAD - (p - pos));
                if (e == -1) {
                    h.incomplete = true;
                    return h;
                }
                if (e == -2) {
                    return h.fail("a response head longer than " + MAX_HEAD + " bytes");
                }
                if (e == p || b[e - 1] != '\r') {
                    return h.fail("a header line that does not end in CRLF: " + Escape.excerpt(b, p, Math.min(e + 1 - p, 200)));
                }
                if (e == p + 1) {
                    h.end = e + 1;
                    break;
                }
                String err = fieldError(b, p, e - 1);
                if (err != null) {
                    return h.fail(err.startsWith("a control character") ? "header-ctl" : "malformed",
                            err + ": " + Escape.excerpt(b, p, Math.min(e + 1 - p, 200)));
                }
                int colon = p;
                while (b[colon] != ':') {
                    colon++;
                }
                String name = new String(b, p, colon - p, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
                String value = new String(b, colon + 1, e - 1 - colon - 1, StandardCharsets.ISO_8859_1).strip();
                switch (name) {
                    case "content-length":
                        lengths.add(value);
                        break;
                    case "transfer-encoding":
                        if (te != null) {
                            return h.fail("two Transfer-Encoding fields");
                        }
                        te = value;
                        break;
                    case "connection":
                        for (String token : value.split(",")) {
                            if (token.strip().equalsIgnoreCase("close")) {
                                h.close = true;
                            }
                        }
                        break;
                    default:
                        break;
                }
                p = e + 1;
            }
            for (String l : lengths) {
                if (l.isEmpty() || l.length() > 18 || !l.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return h.fail("a malformed Content-Length: " + Escape.string(l, 100));
                }
                long v = Long.parseLong(l);
                if (h.contentLength >= 0 && v != h.contentLength) {
                    return h.fail("two different Content-Length values");
                }
                h.contentLength = v;
            }
            if (te != null) {
                if (!te.equalsIgnoreCase("chunked")) {
                    return h.fail("a Transfer-Encoding other than chunked: " + Escape.string(te, 100));
                }
                if (!lengths.isEmpty()) {
                    return h.fail("both Content-Length and Transfer-Encoding");
                }
                if (h.status < 200 || h.status == 204 || h.status == 304) {
                    return h.fail("Transfer-Encoding on a " + h.status + " response");
                }
                h.chunked = true;
            }
            return h;
        }

        private Head fail(String message) {
            return fail("malformed", message);
        }

        private Head fail(String kind, String message) {
            this.kind = kind;
            this.error = message;
            return this;
        }

        /** Why {@code line} is not {@code HTTP/1.x NNN[ reason]}, or null. */
        static String statusLineError(String line) {
            if (line.length() < 12 || !line.startsWith("HTTP/1.") || (line.charAt(7) != '0' && line.charAt(7) != '1')
                    || line.charAt(8) != ' ') {
                return "not a status line";
            }
            for (int i = 9; i < 12; i++) {
                if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                    return "a status code that is not three digits";
                }
            }
            if (line.charAt(9) < '1' || line.charAt(9) > '5') {
                return "a status code outside 100-599";
            }
            if (line.length() > 12 && line.charAt(12) != ' ') {
                return "no space after the status code";
            }
            for (int i = 13; i < line.length(); i++) {
                char c = line.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    return "a control character in the reason phrase";
                }
            }
            return null;
        }

        /** Why bytes [from, to) are not {@code token ":" OWS value OWS}, or null. */
        static String fieldError(byte[] b, int from, int to) {
            int i = from;
            while (i < to && isTchar(b[i])) {
                i++;
            }
            if (i == from) {
                return b[from] == ' ' || b[from] == '\t' ? "a folded (obs-fold) header line" : "a header line without a field name";
            }
            if (i == to || b[i] != ':') {
                return "a header field name with a character outside token";
            }
            for (i++; i < to; i++) {
                int c = b[i] & 0xff;
                if ((c < 0x20 && c != '\t') || c == 0x7f) {
                    return "a control character in a header value";
                }
            }
            return null;
        }

        private static boolean isTchar(byte x) {
            int c = x & 0xff;
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return true;
            }
            return c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
    }
}
