package dev.httpserver.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Uploads for {@link SimpleHttpRequestHandler#uploads}: {@code PUT} of one file and
 * {@code multipart/form-data} {@code POST} to a folder. Every file is streamed into a temporary file
 * beside its target and renamed into place only once whole, so a cut upload leaves nothing behind;
 * an existing name is refused (409) unless overwriting was asked for.
 */
final class Uploads {

    private static final int MAX_PART_HEAD = 16 * 1024;

    private Uploads() {
    }

    /** A {@code multipart/form-data} body that cannot be read as one. */
    static final class BadForm extends IOException {
        private static final long serialVersionUID = 1L;

        BadForm(String message) {
            super(message);
        }
    }

    /** A file is bigger than the limit. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long limit) {
            super("larger than the upload limit of " + limit + " bytes");
        }
    }

    /**
     * Streams {@code in} into a temporary file in {@code dir}, at most {@code limit} bytes (-1: no
     * limit), and returns it; deletes it on any failure.
     */
    static Path receive(InputStream in, Path dir, long limit) throws IOException {
        Path tmp = Files.createTempFile(dir, ".upload-", ".part");
        boolean done = false;
        try {
            // readable by all once in place, as a file made with the usual umask (022) is
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // no POSIX permissions here
        }
        try (OutputStream out = Files.newOutputStream(tmp)) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (limit >= 0 && total > limit) {
                    throw new TooLarge(limit);
                }
                out.write(buf, 0, n);
            }
            done = true;
            return tmp;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Puts the whole file {@code tmp} at {@code target}: replacing what is there when
     * {@code overwrite}, else only if nothing is (atomically: a hard link that fails if the name
     * exists). Returns whether something was replaced. Deletes {@code tmp} in every case.
     *
     * @throws FileAlreadyExistsException if {@code target} exists and {@code overwrite} is false
     */
    static boolean place(Path tmp, Path target, boolean overwrite) throws IOException {
        try {
            if (overwrite) {
                boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return existed;
            }
            try {
                Files.createLink(target, tmp);
            } catch (UnsupportedOperationException e) {
                Files.move(tmp, target); // no hard links here: refuses an existing name, less atomically
            }
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The file name an upload may be saved as: the last segment of {@code given} (browsers may send
     * a path), or null when nothing usable is left (empty, {@code .}, {@code ..}, control characters,
     * or a leading dot while dotfiles are hidden).
     */
    static String safeName(String given, boolean hideDotfiles) {
        if (given == null) {
            return null;
        }
        String name = given;
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..") || (hideDotfiles && name.startsWith("."))) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
                return null;
            }
        }
        return name;
    }

    /** The boundary of a {@code multipart/form-data} content type, or null when it is not one. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("multipart/form-data")) {
            return null;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                String b = p.substring(9).trim();
                if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
                    b = b.substring(1, b.length() - 1);
                }
                return b.isEmpty() || b.length() > 70 ? null : b;
            }
        }
        return null;
    }

    /** The {@code filename} parameter of a part's {@code Content-Disposition}, or null. */
    static String filename(String disposition) {
        if (disposition == null) {
            return null;
        }
        for (String p : disposition.split(";")) {
            String t = p.trim();
            if (t.regionMatches(true, 0, "filename=", 0, 9)) {
                String v = t.substring(9).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1).replace("\\\"", "\"");
                }
                return v;
            }
        }
        return null;
    }

    /**
     * A {@code multipart/form-data} body read as a stream: {@link #next()} moves to the next part and
     * returns its header fields; {@link #body()} reads that part's bytes.
     */
    static final class Multipart {
        private final InputStream in;
        private final byte[] delimiter; // CRLF "--" boundary
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int lim;
        private boolean eof;
        private boolean finished;
        private boolean inBody;

        Multipart(InputStream in, String boundary) {
            this.in = in;
            this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
            // the first delimiter may open the body without its CRLF: one is put in front
            buf[0] = '\r';
            buf[1] = '\n';
            lim = 2;
        }

        /**
         * Skips to the next part and reads its head: the lower-cased header fields as
         * {@code name: value} lines; null after the last part.
         *
         * @throws IOException if the body ends before its closing delimiter, or a part's head is too long
         */
        List<String> next() throws IOException {
            if (finished) {
                return null;
            }
            if (!skipPastDelimiter()) {
                finished = true;
                return null;
            }
            List<String> head = new ArrayList<>();
            int size = 0;
            for (String line; !(line = readLine()).isEmpty(); ) {
                size += line.length();
                if (size > MAX_PART_HEAD) {
                    throw new BadForm("a part's head is longer than " + MAX_PART_HEAD + " bytes");
                }
                head.add(line);
            }
            inBody = true;
            return head;
        }

        /** The value of header {@code name} (any case) among {@code head}, or null. */
        static String header(List<String> head, String name) {
            for (String line : head) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        /** The current part's body, up to its delimiter (which is left for {@link #next()}). */
        InputStream body() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return readBody(b, off, len);
                }
            };
        }

        private int readBody(byte[] b, int off, int len) throws IOException {
            if (!inBody || len == 0) {
                return inBody ? 0 : -1;
            }
            while (true) {
                int at = indexOf(delimiter, pos, lim);
                if (at == pos) {
                    inBody = false;
                    return -1;
                }
                // what cannot be the start of the delimiter may go out
                int safe = at >= 0 ? at : Math.max(pos, lim - delimiter.length + 1);
                if (safe > pos) {
                    int n = Math.min(len, safe - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (!fill()) {
                    throw new BadForm("the multipart body ends inside a part");
                }
            }
        }

        /** Discards up to and through the next delimiter; false if it was the closing one. */
        private boolean skipPastDelimiter() throws IOException {
            while (true) {
                int at = indexOf(delimiter, pos, lim);
                if (at >= 0) {
                    pos = at + delimiter.length;
                    break;
                }
                pos = Math.max(pos, lim - delimiter.length + 1);
                if (!fill()) {
                    throw new BadForm("the multipart body has no closing delimiter");
                }
            }
            while (lim - pos < 2) {
                if (!fill()) {
                    throw new BadForm("the multipart body ends after a delimiter");
                }
            }
            if (buf[pos] == '-' && buf[pos + 1] == '-') {
                pos += 2;
                return false;
            }
            readLine(); // the rest of the delimiter line (transport padding)
            return true;
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (pos == lim && !fill()) {
                    throw new BadForm("the multipart body ends inside a part's head");
                }
                byte c = buf[pos++];
                if (c == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                line.append((char) (c & 0xff));
                if (line.length() > MAX_PART_HEAD) {
                    throw new BadForm("a line of a part's head is longer than " + MAX_PART_HEAD + " bytes");
                }
            }
        }

        /** Reads more; false at the end of the stream. */
        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
                return false;
            }
            lim += n;
            return true;
        }

        private int indexOf(byte[] needle, int from, int to) {
            outer:
            for (int i = from; i <= to - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (buf[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** A short plain-text answer line for an upload. */
    static byte[] text(String s) {
        return (s + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
