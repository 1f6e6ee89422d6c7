package dev.httpserver.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * The protections a server applies to each connection, with defaults that leave normal use alone
 * and keep one client from taking the server down. Immutable; each {@code with} method returns a
 * copy. CPython has none of these (its only limits are the request line and header sizes).
 *
 * <ul>
 *   <li>{@code headerTimeout} (30 s): time to receive a complete request head once it has begun
 *       (slowloris). Expired: 408, then close.</li>
 *   <li>{@code idleTimeout} (60 s): time a keep-alive connection may wait for its next request.
 *       Expired: close.</li>
 *   <li>{@code bodyTimeout} (60 s): time without a byte while reading a request body the handler is
 *       waiting for. Expired: close.</li>
 *   <li>{@code writeTimeout} (60 s): time without progress while the client does not read the
 *       response. Expired: close (a stalled reader pins neither heap nor thread).</li>
 *   <li>{@code maxConnections} (16384): connections beyond it are accepted, answered 503 with
 *       {@code Retry-After}, and closed.</li>
 *   <li>{@code maxBodySize} (unlimited, as CPython): a larger declared body is answered 413 before
 *       it is read (also instead of {@code 100 Continue}); a chunked body that grows past it ends the
 *       request with 413.</li>
 *   <li>{@code maxPipelined} (16): requests read ahead on one connection; beyond it the server stops
 *       reading from that client until it has caught up.</li>
 *   <li>{@code shutdownTimeout} (10 s): how long {@code shutdown()} lets requests in flight finish.</li>
 *   <li>{@code tlsHandshakeTimeout} (10 s, HTTPS only): time for a client to complete the TLS
 *       handshake once connected. Expired: close, without a response (a client that sends nothing,
 *       or plaintext, holds no slot for long; plaintext is refused at once).</li>
 * </ul>
 */
public final class Limits {

    private static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofSeconds(60), 16384, -1, 16, Duration.ofSeconds(10), Duration.ofSeconds(10));

    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final Duration bodyTimeout;
    private final Duration writeTimeout;
    private final int maxConnections;
    private final long maxBodySize;
    private final int maxPipelined;
    private final Duration shutdownTimeout;
    private final Duration tlsHandshakeTimeout;

    private Limits(Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout, Duration writeTimeout,
            int maxConnections, long maxBodySize, int maxPipelined, Duration shutdownTimeout, Duration tlsHandshakeTimeout) {
        this.headerTimeout = positive(headerTimeout, "headerTimeout");
        this.idleTimeout = positive(idleTimeout, "idleTimeout");
        this.bodyTimeout = positive(bodyTimeout, "bodyTimeout");
        this.writeTimeout = positive(writeTimeout, "writeTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxBodySize < -1) {
            throw new IllegalArgumentException("maxBodySize must be -1 (unlimited) or at least 0: " + maxBodySize);
        }
        if (maxPipelined < 1) {
            throw new IllegalArgumentException("maxPipelined must be at least 1: " + maxPipelined);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
        }
        this.maxConnections = maxConnections;
        this.maxBodySize = maxBodySize;
        this.maxPipelined = maxPipelined;
        this.shutdownTimeout = shutdownTimeout;
        this.tlsHandshakeTimeout = positive(tlsHandshakeTimeout, "tlsHandshakeTimeout");
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    /** The defaults listed above. */
    public static Limits defaults() {
        return DEFAULTS;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** The largest request body accepted, in bytes; -1 for no limit. */
    public long maxBodySize() {
        return maxBodySize;
    }

    public int maxPipelined() {
        return maxPipelined;
    }

    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public Limits withHeaderTimeout(Duration d) {
        return new Limits(d, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout);
    }

    public Limits withIdleTimeout(Duration d) {
        return new Limits(headerTimeout, d, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout);
    }

    public Limits withBodyTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, d, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout);
    }

    public Limits withWriteTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, d, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout);
    }

    public Limits withMaxConnections(int n) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, n, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout);
    }

    /** {@code bytes} = -1 for no limit. */
    public Limits withMaxBodySize(long bytes) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, bytes, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout);
    }

    public Limits withMaxPipelined(int n) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, n,
                shutdownTimeout, tlsHandshakeTimeout);
    }

    public Limits withShutdownTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                d, tlsHandshakeTimeout);
    }

    /** The time a client has to complete the TLS handshake (HTTPS only). */
    public Duration tlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    public Limits withTlsHandshakeTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, d);
    }

    /** The shortest timeout, which sets how often a connection's clocks are checked. */
    Duration shortestTimeout() {
        Duration m = headerTimeout;
        for (Duration d : new Duration[] {idleTimeout, bodyTimeout, writeTimeout}) {
            if (d.compareTo(m) < 0) {
                m = d;
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return "Limits[headerTimeout=" + headerTimeout + ", idleTimeout=" + idleTimeout + ", bodyTimeout=" + bodyTimeout
                + ", writeTimeout=" + writeTimeout + ", maxConnections=" + maxConnections + ", maxBodySize=" + maxBodySize
                + ", maxPipelined=" + maxPipelined + ", shutdownTimeout=" + shutdownTimeout
                + ", tlsHandshakeTimeout=" + tlsHandshakeTimeout + "]";
    }
}
