package dev.httpserver.netty.cgi;

import dev.httpserver.api.internal.Python;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header block a CGI script writes before its body, parsed per RFC 3875 6.3: lines ended by LF
 * or CRLF, {@code Name: value} each. {@code Status} is taken out of the fields; {@code Location},
 * {@code Content-Type} and {@code Content-Length} are noted and stay among the fields, which keep the
 * script's order.
 */
final class CgiResponseHead {

    /** The fields to send, in the script's order, without {@code Status} and {@code Transfer-Encoding}. */
    final List<Map.Entry<String, String>> fields = new ArrayList<>();
    /** The {@code Status} code, or -1 when the script sent none. */
    int status = -1;
    /** The reason phrase of {@code Status}, or null when it had none. */
    String reason;
    String location;
    String contentType;
    String contentLength;
    boolean hasServer;
    boolean hasDate;

    private CgiResponseHead() {
    }

    /**
     * Parses {@code length} bytes of {@code block} (the header lines, without the empty line that ends
     * them), read as ISO-8859-1.
     *
     * @throws IllegalArgumentException with the reason, when the block is not a valid CGI header block
     */
    static CgiResponseHead parse(byte[] block, int length) {
        CgiResponseHead head = new CgiResponseHead();
        String text = new String(block, 0, length, StandardCharsets.ISO_8859_1);
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            head.field(line);
            start = end + 1;
        }
        return head;
    }

    private void field(String line) {
        if (line.isEmpty()) {
            return;
        }
        if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
            throw new IllegalArgumentException("folded header line " + quoted(line));
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a header line: " + quoted(line));
        }
        String name = line.substring(0, colon);
        for (int i = 0; i < name.length(); i++) {
            if (!isTchar(name.charAt(i))) {
                throw new IllegalArgumentException("invalid header name " + quoted(name));
            }
        }
        String value = trim(line.substring(colon + 1));
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw new IllegalArgumentException("control character in the value of header " + name);
            }
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "status":
                if (status >= 0) {
                    throw new IllegalArgumentException("more than one Status header");
                }
                status(value);
                return; // taken out of the fields: it becomes the status line
            case "transfer-encoding":
                return; // the server frames the body itself
            case "location":
                if (location != null) {
                    throw new IllegalArgumentException("more than one Location header");
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("empty Location header");
                }
                location = value;
                break;
            case "content-type":
                if (contentType != null) {
                    throw new IllegalArgumentException("more than one Content-Type header");
                }
                contentType = value;
                break;
            case "content-length":
                if (contentLength != null) {
                    throw new IllegalArgumentException("more than one Content-Length header");
                }
                if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new IllegalArgumentException("invalid Content-Length " + quoted(value));
                }
                contentLength = value;
                break;
            case "server":
                hasServer = true;
                break;
            case "date":
                hasDate = true;
                break;
            default:
                break;
        }
        fields.add(Map.entry(name, value));
    }

    /** {@code Status: 404 Not Found}: three digits, then an optional reason phrase. */
    private void status(String value) {
        int sp = value.indexOf(' ');
        String code = sp < 0 ? value : value.substring(0, sp);
        if (code.length() != 3 || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid Status " + quoted(value));
        }
        int n = Integer.parseInt(code);
        if (n < 200 || n > 599) {
            throw new IllegalArgumentException("Status out of range (200-599): " + quoted(value));
        }
        status = n;
        if (sp >= 0) {
            String r = trim(value.substring(sp + 1));
            reason = r.isEmpty() ? null : r;
        }
    }

    /** RFC 9110 5.6.2 {@code tchar}. */
    private static boolean isTchar(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String trim(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && (s.charAt(b) == ' ' || s.charAt(b) == '\t')) {
            b++;
        }
        while (e > b && (s.charAt(e - 1) == ' ' || s.charAt(e - 1) == '\t')) {
            e--;
        }
        return s.substring(b, e);
    }

    private static String quoted(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return Python.repr(shown);
    }
}
