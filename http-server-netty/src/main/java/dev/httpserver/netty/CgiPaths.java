package dev.httpserver.netty;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** URL path work of {@link CgiHttpRequestHandler}: CPython's {@code _url_collapse_path}, and quoting. */
final class CgiPaths {

    private static final String HEX = "0123456789ABCDEF";

    private CgiPaths() {
    }

    /**
     * CPython's {@code _url_collapse_path(path)}: the query is split off, the path {@code %XX}-decoded,
     * then empty and {@code .} segments dropped and {@code ..} segments collapsed, as RFC 2396 5.2
     * step 6 does for relative paths. The result always starts with {@code /}, and is
     * {@code head + "/" + tail} with the query (when not empty) appended to the tail after {@code ?}:
     * {@code /a/b/c/../d} is {@code /a/b/d}, {@code /} is {@code //}, {@code /a} is {@code //a}.
     *
     * @throws IllegalArgumentException when a {@code ..} climbs above the root (CPython raises
     *         {@code IndexError})
     */
    static String collapse(String path) {
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        path = unquote(path);
        String[] parts = path.split("/", -1);
        Deque<String> head = new ArrayDeque<>();
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            if (part.equals("..")) {
                pop(head);
            } else if (!part.isEmpty() && !part.equals(".")) {
                head.addLast(part);
            }
        }
        String tail = parts[parts.length - 1];
        if (tail.equals("..")) {
            pop(head);
            tail = "";
        } else if (tail.equals(".")) {
            tail = "";
        }
        if (!query.isEmpty()) {
            tail = tail + "?" + query;
        }
        return "/" + String.join("/", head) + "/" + tail;
    }

    private static void pop(Deque<String> head) {
        if (head.isEmpty()) {
            throw new IllegalArgumentException("the path climbs above the root");
        }
        head.removeLast();
    }

    /**
     * Python's {@code urllib.parse.unquote(s)}: {@code %XX} runs decoded as UTF-8 (an invalid
     * sequence becomes U+FFFD), everything else kept.
     */
    static String unquote(String s) {
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        out.append(s, 0, pct);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = pct;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            flush(bytes, out);
            out.append(c);
            i++;
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder out) {
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
            bytes.reset();
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /**
     * Python's {@code urllib.parse.quote(s, safe='/')}: every byte of the UTF-8 form except
     * unreserved characters and {@code /} as {@code %XX}, so that {@code unquote(quote(s))} is
     * {@code s} and a decoded path can go through {@code translatePath} without being decoded twice.
     */
    static String quote(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 16);
        for (byte b : utf8) {
            int v = b & 0xff;
            if ((v >= 'a' && v <= 'z') || (v >= 'A' && v <= 'Z') || (v >= '0' && v <= '9')
                    || v == '-' || v == '.' || v == '_' || v == '~' || v == '/') {
                out.append((char) v);
            } else {
                out.append('%').append(HEX.charAt(v >> 4)).append(HEX.charAt(v & 0xf));
            }
        }
        return out.toString();
    }

    /**
     * The command-line arguments of RFC 3875 4.4 for a query: none when it is empty or holds an
     * unencoded {@code =}; otherwise its {@code +}-separated words, each {@code %XX}-decoded. None
     * either when a word would hold a NUL, which no argument can.
     */
    static List<String> searchArguments(String query) {
        List<String> args = new ArrayList<>();
        if (query.isEmpty() || query.indexOf('=') >= 0) {
            return args;
        }
        for (String word : query.split("\\+", -1)) {
            String decoded = unquote(word);
            if (decoded.indexOf('\0') >= 0) {
                return List.of();
            }
            args.add(decoded);
        }
        return args;
    }
}
