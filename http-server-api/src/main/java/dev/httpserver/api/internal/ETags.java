package dev.httpserver.api.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Entity tags, RFC 9110 §8.8.3: making a strong one for a file, checking their syntax, reading a list
 * of them, and the strong and weak comparisons of RFC 9110 §8.8.3.2.
 *
 * <pre>
 * entity-tag = [ weak ] opaque-tag
 * weak       = %s"W/"
 * opaque-tag = DQUOTE *etagc DQUOTE
 * etagc      = %x21 / %x23-7E / obs-text
 * </pre>
 * A tag is handled as written, quotes and {@code W/} prefix included. Nothing here does any I/O.
 */
public final class ETags {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ETags() {
    }

    /**
     * A strong entity tag for a file, RFC 9110 §8.8.3: {@code "<key hash>-<size>-<mtime>"}, each part in
     * lower-case hexadecimal, for example {@code "9c1185a5c5e9fc54-4d2-17a0b3c4d5e6f7"}.
     *
     * <p>The key part is a 64-bit FNV-1a hash of {@code fileKey.toString()} (on Linux
     * {@code (dev=..,ino=..)}), so the tag changes when a file is replaced by another one of the same
     * size and time, without telling the client the device and inode numbers; it is left out, with its
     * dash, when {@code fileKey} is {@code null}. Only digits, {@code a-f} and {@code -} appear between
     * the quotes, all {@code etagc}.
     *
     * @param fileKey    {@link java.nio.file.attribute.BasicFileAttributes#fileKey()}, or {@code null}
     * @param size       the size of the file in bytes
     * @param mtimeNanos the last modification time in nanoseconds since the epoch (negative before 1970)
     * @return the quoted tag
     * @throws IllegalArgumentException when {@code size} is negative
     */
    public static String strong(Object fileKey, long size, long mtimeNanos) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        StringBuilder b = new StringBuilder(52).append('"');
        if (fileKey != null) {
            b.append(Long.toHexString(fnv1a(fileKey.toString()))).append('-');
        }
        return b.append(Long.toHexString(size)).append('-').append(Long.toHexString(mtimeNanos))
                .append('"').toString();
    }

    /** The 64-bit FNV-1a hash of the UTF-8 bytes of {@code s}. */
    private static long fnv1a(String s) {
        long h = FNV_OFFSET_BASIS;
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    /**
     * Whether {@code tag} is a whole entity-tag of RFC 9110 §8.8.3, weak or strong.
     *
     * @param tag the candidate, or {@code null} (not a tag)
     * @return true when it follows the grammar
     */
    public static boolean isValid(String tag) {
        return tag != null && tagEnd(tag, 0) == tag.length();
    }

    /**
     * Whether {@code tag} is a valid entity-tag marked weak, {@code W/"..."} (RFC 9110 §8.8.3: the
     * {@code W/} is case-sensitive).
     *
     * @param tag the candidate, or {@code null}
     * @return true for a valid weak tag
     */
    public static boolean isWeak(String tag) {
        return isValid(tag) && tag.startsWith("W/");
    }

    /**
     * The strong comparison of RFC 9110 §8.8.3.2: both tags are valid, neither is weak, and their
     * opaque-tags are the same character for character.
     *
     * @param a a tag, or {@code null}
     * @param b a tag, or {@code null}
     * @return true when they match strongly
     */
    public static boolean strongMatch(String a, String b) {
        return isValid(a) && isValid(b) && a.charAt(0) == '"' && a.equals(b);
    }

    /**
     * The weak comparison of RFC 9110 §8.8.3.2: both tags are valid and their opaque-tags are the same
     * character for character, whether either or both are weak.
     *
     * @param a a tag, or {@code null}
     * @param b a tag, or {@code null}
     * @return true when they match weakly
     */
    public static boolean weakMatch(String a, String b) {
        return isValid(a) && isValid(b) && opaque(a).equals(opaque(b));
    }

    /**
     * The entity tags of a list field value such as {@code If-Match} or {@code If-None-Match},
     * {@code 1#entity-tag} of RFC 9110 §13.1.1 and §13.1.2: {@code "a", W/"b"}. Optional whitespace
     * around the commas and empty elements are allowed (RFC 9110 §5.6.1); a comma inside the quotes is
     * part of the tag. {@code *} is not a tag: the caller checks for it first.
     *
     * @param value the field value, or {@code null}
     * @return the tags as written, unmodifiable; or {@code null} when the value is {@code null}, has no
     *         tag, or is not such a list (a malformed list matches nothing)
     */
    public static List<String> parseList(String value) {
        if (value == null) {
            return null;
        }
        List<String> tags = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (true) {
            // Optional whitespace and empty elements before the next tag.
            while (i < n && (isOws(value.charAt(i)) || value.charAt(i) == ',')) {
                i++;
            }
            if (i == n) {
                break;
            }
            int end = tagEnd(value, i);
            if (end < 0) {
                return null;
            }
            tags.add(value.substring(i, end));
            i = end;
            while (i < n && isOws(value.charAt(i))) {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                return null;
            }
        }
        return tags.isEmpty() ? null : Collections.unmodifiableList(tags);
    }

    /** The opaque-tag of a valid tag: without its {@code W/} prefix if it has one. */
    private static String opaque(String tag) {
        return tag.charAt(0) == 'W' ? tag.substring(2) : tag;
    }

    /**
     * The index just past the entity-tag that starts at {@code from} in {@code s}, or -1 when none
     * starts there.
     */
    private static int tagEnd(String s, int from) {
        int i = from;
        int n = s.length();
        if (i + 1 < n && s.charAt(i) == 'W' && s.charAt(i + 1) == '/') {
            i += 2;
        }
        if (i >= n || s.charAt(i) != '"') {
            return -1;
        }
        for (i++; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (!isEtagc(c)) {
                return -1;
            }
        }
        return -1;
    }

    /** {@code etagc = %x21 / %x23-7E / obs-text}, with obs-text {@code %x80-FF} (RFC 9110 §5.5). */
    private static boolean isEtagc(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
    }

    /** Whether {@code c} is optional whitespace, RFC 9110 §5.6.3: a space or a horizontal tab. */
    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
