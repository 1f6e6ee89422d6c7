package dev.httpserver.netty.cgi;

import dev.httpserver.api.internal.UrlCodec;

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

    /** Python's {@code urllib.parse.unquote}: {@code %XX} runs decoded as UTF-8 (invalid ones as U+FFFD). */
    static String unquote(String s) {
        return UrlCodec.unquote(s);
    }

    /**
     * Python's {@code urllib.parse.quote(s, safe='/')}: every byte of the UTF-8 form except
     * unreserved characters and {@code /} as {@code %XX}, so that {@code unquote(quote(s))} is
     * {@code s} and a decoded path can go through {@code translatePath} without being decoded twice.
     */
    static String quote(String s) {
        return UrlCodec.quote(s);
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
