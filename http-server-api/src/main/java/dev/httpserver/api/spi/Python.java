package dev.httpserver.api.spi;

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
}
