package dev.httpserver.fuzz;

import java.nio.charset.StandardCharsets;

/** Bytes as a readable Java-like string literal: printable ASCII as is, the rest escaped. */
final class Escape {

    private Escape() {
    }

    /** At most {@code max} bytes from {@code from}, then how many bytes there were in all, if more. */
    static String bytes(byte[] b, int from, int max) {
        String s = excerpt(b, from, max);
        int to = Math.min(b.length, from + Math.max(0, max));
        return to < b.length ? s + "... (" + (b.length - from) + " bytes)" : s;
    }

    /** At most {@code max} bytes from {@code from}, quoted. */
    static String excerpt(byte[] b, int from, int max) {
        int to = Math.min(b.length, from + Math.max(0, max));
        StringBuilder sb = new StringBuilder("\"");
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r': sb.append("\\r"); break;
                case '\n': sb.append("\\n"); break;
                case '\t': sb.append("\\t"); break;
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                default:
                    if (c < 0x20 || c >= 0x7f) {
                        sb.append(String.format("\\x%02x", c));
                    } else {
                        sb.append((char) c);
                    }
            }
        }
        return sb.append('"').toString();
    }

    static String bytes(byte[] b) {
        return bytes(b, 0, b.length);
    }

    static String string(String s, int max) {
        return bytes(s.getBytes(StandardCharsets.ISO_8859_1), 0, max);
    }
}
