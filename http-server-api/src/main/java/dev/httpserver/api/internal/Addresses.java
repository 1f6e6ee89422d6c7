package dev.httpserver.api.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Addresses as Python prints them: IPv6 in RFC 5952 form ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
public final class Addresses {

    private Addresses() {
    }

    /**
     * Python's {@code address_string()} for a client at {@code client}: its address as
     * {@link #text(InetAddress)}, its host name when unresolved, {@code -} when unknown.
     */
    public static String client(InetSocketAddress client) {
        if (client == null) {
            return "-";
        }
        return client.getAddress() == null ? client.getHostString() : text(client.getAddress());
    }

    /** {@code 127.0.0.1}, {@code ::1}, {@code ::}: the text Python's socket module gives, no zone. */
    public static String text(InetAddress address) {
        return address instanceof Inet6Address ? compress((Inet6Address) address) : address.getHostAddress();
    }

    static String compress(Inet6Address address) {
        byte[] b = address.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952 4.2: the longest run of two or more zero words becomes "::" (the first, on a tie).
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] == 0) {
                int j = i;
                while (j < 8 && words[j] == 0) {
                    j++;
                }
                if (j - i > bestLen && j - i >= 2) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }
}
