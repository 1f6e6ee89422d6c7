package dev.httpserver.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pause marker: the 7 bytes {@code \0PAUSE\0} in an input are not sent; the fuzz target writes
 * what comes before, waits until the reply has been quiet for a moment, then goes on (at most
 * {@link #MAX} pauses per input; later markers are sent as they are).
 */
final class Pauses {

    static final byte[] MARKER = "\0PAUSE\0".getBytes(StandardCharsets.US_ASCII);
    static final int MAX = 8;

    private Pauses() {
    }

    /** The input cut at each marker, without the markers. */
    static List<byte[]> split(byte[] data) {
        List<byte[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i + MARKER.length <= data.length && out.size() < MAX; i++) {
            if (Arrays.equals(data, i, i + MARKER.length, MARKER, 0, MARKER.length)) {
                out.add(Arrays.copyOfRange(data, from, i));
                from = i + MARKER.length;
                i = from - 1;
            }
        }
        out.add(Arrays.copyOfRange(data, from, data.length));
        return out;
    }
}
