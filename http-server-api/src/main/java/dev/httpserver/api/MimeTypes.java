package dev.httpserver.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's {@code mimetypes.guess_type}, for file names: the built-in table of Python 3.13, then the
 * system's {@code mime.types} files (the same list of places Python reads, later files winning).
 * Loaded once, on first use.
 */
public final class MimeTypes {

    /** The files Python's {@code mimetypes.knownfiles} reads, in order. */
    static final List<String> KNOWN_FILES = List.of(
            "/etc/mime.types",
            "/etc/httpd/mime.types",
            "/etc/httpd/conf/mime.types",
            "/etc/apache/mime.types",
            "/etc/apache2/mime.types",
            "/usr/local/etc/httpd/conf/mime.types",
            "/usr/local/lib/netscape/mime.types",
            "/usr/local/etc/mime.types");

    private static final class Holder {
        static final Map<String, String> TYPES = load();
    }

    private MimeTypes() {
    }

    /**
     * The type for {@code name}'s extension ({@code .html} to {@code text/html}), or null when unknown.
     *
     * @param name a file name or path
     * @return the MIME type, or null when the extension is unknown or absent
     */
    public static String guessType(String name) {
        String ext = extension(name);
        if (ext.isEmpty()) {
            return null;
        }
        Map<String, String> types = Holder.TYPES;
        String type = types.get(ext);
        return type != null ? type : types.get(ext.toLowerCase(Locale.ROOT));
    }

    /**
     * Every known extension and its type.
     *
     * @return an unmodifiable map from extension ({@code .html}) to MIME type
     */
    public static Map<String, String> table() {
        return Holder.TYPES;
    }

    /** Python's {@code posixpath.splitext(path)[1]}: the last {@code .ext} of the last segment, not a leading dot. */
    static String extension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        if (dot <= slash + 1) {
            return "";
        }
        // leading dots of the name do not start an extension (".bashrc", "..x")
        for (int i = slash + 1; i < dot; i++) {
            if (path.charAt(i) != '.') {
                return path.substring(dot);
            }
        }
        return "";
    }

    private static Map<String, String> load() {
        Map<String, String> types = new HashMap<>();
        try (InputStream in = MimeTypes.class.getResourceAsStream("default-mime-types.txt")) {
            if (in != null) {
                read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), types, true);
            }
        } catch (IOException e) {
            // the system files below still apply
        }
        for (String file : KNOWN_FILES) {
            Path p = Path.of(file);
            if (Files.isReadable(p)) {
                try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                    read(r, types, false);
                } catch (IOException | RuntimeException e) {
                    // an unreadable or undecodable file is skipped, as Python skips it
                }
            }
        }
        return Collections.unmodifiableMap(types);
    }

    /** Reads {@code ext type} lines (built-in) or {@code type ext ext...} lines (mime.types). */
    private static void read(BufferedReader r, Map<String, String> types, boolean builtIn) throws IOException {
        for (String line; (line = r.readLine()) != null; ) {
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            String[] words = line.trim().split("\\s+");
            if (words.length < 2 || words[0].isEmpty()) {
                continue;
            }
            if (builtIn) {
                types.put(words[0], words[1]);
            } else {
                for (int i = 1; i < words.length; i++) {
                    types.put("." + words[i], words[0]);
                }
            }
        }
    }
}
