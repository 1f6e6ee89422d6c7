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
 *   <li>{@code maxCgiProcesses} (64): CGI scripts ({@code CgiHttpRequestHandler}) running at once in
 *       the whole server, each a process with its own threads around it. A request that would start
 *       one more is answered 503 with {@code Retry-After}. 64 rather than a multiple of the CPU count:
 *       a script mostly waits (on a database, the network, a client reading slowly), so CPUs are not
 *       what runs out; 64 processes and their ~200 threads stay well inside a small machine's memory
 *       and process limits, where an unbounded number exhausts them.</li>
 * </ul>
 *
 * @param headerTimeout       time to receive a request head once begun
 * @param idleTimeout         time a keep-alive connection may wait for its next request
 * @param bodyTimeout         time without a byte of a request body being read
 * @param writeTimeout        time without progress while the client does not read
 * @param maxConnections      connections at once
 * @param maxBodySize         the largest request body accepted, in bytes; -1 for no limit
 * @param maxPipelined        requests read ahead on one connection
 * @param shutdownTimeout     time given to requests in flight at shutdown
 * @param tlsHandshakeTimeout time a client has to complete the TLS handshake (HTTPS only)
 * @param maxCgiProcesses     CGI scripts running at once, server-wide
 */
public record Limits(Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout, Duration writeTimeout,
        int maxConnections, long maxBodySize, int maxPipelined, Duration shutdownTimeout, Duration tlsHandshakeTimeout,
        int maxCgiProcesses) {

    /** The default of {@link #maxCgiProcesses()}: 64. */
    public static final int DEFAULT_MAX_CGI_PROCESSES = 64;

    private static final Limits DEFAULTS = new Limits(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(60), Duration.ofSeconds(60), 16384, -1, 16, Duration.ofSeconds(10), Duration.ofSeconds(10),
            DEFAULT_MAX_CGI_PROCESSES);

    /**
     * Checks every value.
     *
     * @param headerTimeout time to receive a request head once begun; positive
     * @param idleTimeout time a keep-alive connection may wait for its next request; positive
     * @param bodyTimeout time without a byte of a request body being read; positive
     * @param writeTimeout time without progress while the client does not read; positive
     * @param maxConnections connections at once; at least 1
     * @param maxBodySize the largest request body accepted, in bytes; -1 for no limit
     * @param maxPipelined requests read ahead on one connection; at least 1
     * @param shutdownTimeout time given to requests in flight at shutdown; 0 or more
     * @param tlsHandshakeTimeout time a client has to complete the TLS handshake; positive
     * @param maxCgiProcesses CGI scripts running at once, server-wide; at least 1
     * @throws IllegalArgumentException if a timeout is not positive (the shutdown timeout may be 0), a
     *                                  count is below 1, or the body size is below -1
     */
    public Limits {
        positive(headerTimeout, "headerTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(bodyTimeout, "bodyTimeout");
        positive(writeTimeout, "writeTimeout");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxBodySize < -1) {
            throw new IllegalArgumentException("maxBodySize must be -1 (unlimited) or at least 0: " + maxBodySize);
        }
        if (maxPipelined < 1) {
            throw new IllegalArgumentException("maxPipelined must be at least 1: " + maxPipelined);
        }
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
        }
        positive(tlsHandshakeTimeout, "tlsHandshakeTimeout");
        if (maxCgiProcesses < 1) {
            throw new IllegalArgumentException("maxCgiProcesses must be at least 1: " + maxCgiProcesses);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /**
     * The defaults listed above.
     *
     * @return the defaults
     */
    public static Limits defaults() {
        return DEFAULTS;
    }

    /**
     * A copy with another header timeout.
     *
     * @param d the time to receive a request head once begun
     * @return the copy
     */
    public Limits withHeaderTimeout(Duration d) {
        return new Limits(d, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another idle timeout.
     *
     * @param d the time a keep-alive connection may wait for its next request
     * @return the copy
     */
    public Limits withIdleTimeout(Duration d) {
        return new Limits(headerTimeout, d, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another body timeout.
     *
     * @param d the time without a byte of a request body being read
     * @return the copy
     */
    public Limits withBodyTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, d, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another write timeout.
     *
     * @param d the time without progress while the client does not read
     * @return the copy
     */
    public Limits withWriteTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, d, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another connection limit.
     *
     * @param n the connections at once, at least 1
     * @return the copy
     */
    public Limits withMaxConnections(int n) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, n, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another body size limit.
     *
     * @param bytes the largest request body accepted; -1 for no limit
     * @return the copy
     */
    public Limits withMaxBodySize(long bytes) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, bytes, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another read-ahead limit.
     *
     * @param n the requests read ahead on one connection, at least 1
     * @return the copy
     */
    public Limits withMaxPipelined(int n) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, n,
                shutdownTimeout, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another shutdown timeout.
     *
     * @param d the time given to requests in flight at shutdown; 0 for none
     * @return the copy
     */
    public Limits withShutdownTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                d, tlsHandshakeTimeout, maxCgiProcesses);
    }

    /**
     * A copy with another TLS handshake timeout.
     *
     * @param d the time a client has to complete the TLS handshake
     * @return the copy
     */
    public Limits withTlsHandshakeTimeout(Duration d) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, d, maxCgiProcesses);
    }

    /** The shortest timeout, which sets how often a connection's clocks are checked. */
    /**
     * A copy with another limit on the CGI scripts running at once.
     *
     * @param n the scripts at once, server-wide, at least 1
     * @return the copy
     */
    public Limits withMaxCgiProcesses(int n) {
        return new Limits(headerTimeout, idleTimeout, bodyTimeout, writeTimeout, maxConnections, maxBodySize, maxPipelined,
                shutdownTimeout, tlsHandshakeTimeout, n);
    }

    Duration shortestTimeout() {
        Duration m = headerTimeout;
        for (Duration d : new Duration[] {idleTimeout, bodyTimeout, writeTimeout}) {
            if (d.compareTo(m) < 0) {
                m = d;
            }
        }
        return m;
    }
}
