package dev.httpserver.api.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/** Python's {@code urllib.parse.quote} and {@code unquote}, and {@code posixpath.normpath}, as {@code http.server} uses them. */
public final class UrlCodec {

    private static final String HEX = "0123456789ABCDEF";

    private UrlCodec() {
    }

    /**
     * {@code urllib.parse.unquote(s)}: {@code %XX} runs decoded as UTF-8, invalid sequences becoming
     * U+FFFD; everything else kept.
     */
    public static String unquote(String s) {
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
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0
                    && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (bytes.size() > 0) {
                out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
                bytes.reset();
            }
            out.append(c);
            i++;
        }
        if (bytes.size() > 0) {
            out.append(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        }
        return out.toString();
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

    /** {@code urllib.parse.quote(s)} with {@code safe='/'}: UTF-8, unreserved characters and {@code /} kept. */
    public static String quote(String s) {
        StringBuilder out = null;
        byte[] utf8 = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!safe(c)) {
                utf8 = s.getBytes(StandardCharsets.UTF_8);
                out = new StringBuilder(utf8.length * 3);
                break;
            }
        }
        if (out == null) {
            return s;
        }
        for (byte b : utf8) {
            int v = b & 0xff;
            if (v < 0x80 && safe((char) v)) {
                out.append((char) v);
            } else {
                out.append('%').append(HEX.charAt(v >> 4)).append(HEX.charAt(v & 0xf));
            }
        }
        return out.toString();
    }

    /**
     * Percent-encodes control characters and anything outside printable ASCII (as the byte it was
     * received as), so that a target echoed into a header stays a valid field value (RFC 9110 5.5).
     */
    public static String quoteControls(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c <= 0x20 || c >= 0x7f;
            if (bad && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (bad) {
                    int v = c & 0xff;
                    out.append('%').append(HEX.charAt(v >> 4)).append(HEX.charAt(v & 0xf));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean safe(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-' || c == '~' || c == '/';
    }

    /**
     * The path (with its query) of a request target in absolute form, {@code http://host:8000/a?b} or
     * {@code https://...}; any other target as it is. A server must accept the absolute form (RFC 9112
     * section 3.2.2), and the file it names is that of its path.
     *
     * @param target a request target
     * @return the target in origin form
     */
    public static String originFormPath(String target) {
        int authority;
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            authority = 7;
        } else if (target.regionMatches(true, 0, "https://", 0, 8)) {
            authority = 8;
        } else {
            return target;
        }
        for (int i = authority; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '/') {
                return target.substring(i);
            }
            if (c == '?' || c == '#') {
                return "/" + target.substring(i);
            }
        }
        return "/";
    }

    /** {@code posixpath.normpath(path)}: collapses {@code //}, {@code .} and {@code ..}; never climbs above the root. */
    public static String normpath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean absolute = path.startsWith("/");
        // POSIX keeps exactly two leading slashes; three or more become one.
        int initialSlashes = absolute ? (path.startsWith("//") && !path.startsWith("///") ? 2 : 1) : 0;
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (String comp : path.split("/")) {
            if (comp.isEmpty() || comp.equals(".")) {
                continue;
            }
            if (comp.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.pollLast();
                } else if (!absolute) {
                    parts.addLast(comp);
                }
                continue;
            }
            parts.addLast(comp);
        }
        String joined = String.join("/", parts);
        String result = "/".repeat(initialSlashes) + joined;
        return result.isEmpty() ? "." : result;
    }
}
