package dev.httpserver.api.internal;

/**
 * Python's {@code repr()} of a {@code str}, which {@code http.server} puts into its error messages
 * ({@code Unsupported method ('SPAM')}), so that messages read the same as CPython's.
 */
public final class Python {

    private Python() {
    }

    /** {@code repr(s)} for a Python {@code str}: quoted, with backslash escapes for the unprintable. */
    public static String repr(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder(s.length() + 2);
        sb.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(quote).toString();
    }

    /** Escapes C0 and C1 control characters as {@code \xHH} and doubles backslashes, as CPython's log does. */
    public static String escapeControl(String message) {
        StringBuilder sb = null;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0);
            if (control || c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder(message.length() + 16).append(message, 0, i);
                }
                if (c == '\\') {
                    sb.append("\\\\");
                } else {
                    sb.append(String.format("\\x%02x", (int) c));
                }
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? message : sb.toString();
    }
}
