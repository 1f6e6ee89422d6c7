package dev.httpserver.api;

import dev.httpserver.api.internal.Python;
import java.util.Locale;

/** Python's {@code format % args} for the conversions log formats use: {@code %s}, {@code %d}, {@code %r}, {@code %%}. */
final class PyFormat {

    private PyFormat() {
    }

    static String format(String format, Object... args) {
        if (args == null || args.length == 0) {
            return format;
        }
        StringBuilder sb = new StringBuilder(format.length() + 16 * args.length);
        int arg = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 >= format.length()) {
                sb.append(c);
                continue;
            }
            char conv = format.charAt(i + 1);
            if (conv == '%') {
                sb.append('%');
                i++;
            } else if ((conv == 's' || conv == 'd' || conv == 'r') && arg < args.length) {
                Object a = args[arg++];
                sb.append(conv == 'r' && a instanceof String ? Python.repr((String) a) : String.valueOf(a));
                i++;
            } else {
                // anything richer (widths, %x, %f...): Java's formatter, on the whole pattern
                return String.format(Locale.ROOT, format.replace("%r", "%s"), args);
            }
        }
        return sb.toString();
    }
}
