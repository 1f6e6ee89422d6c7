package dev.httpserver.junit5;

import dev.httpserver.api.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A response a {@linkplain HttpServerExtension#scripted() scripted} server gives: a status, header
 * fields in order, and a body. Immutable; made with {@link #of(int)}, {@link #of(int, String)} or
 * {@link #builder()}.
 *
 * <pre>{@code
 * server.enqueue(MockResponse.of(200, "hello"));
 * server.enqueue(MockResponse.builder()
 *         .status(201)
 *         .header("Location", "/items/7")
 *         .body("{\"id\":7}", "application/json")
 *         .build());
 * }</pre>
 *
 * <p>The server adds {@code Server} and {@code Date}, and {@code Content-Length} (the body's size)
 * unless the response sets {@code Content-Length} or {@code Transfer-Encoding} itself or its status
 * has no body (1xx, 204, 304). A {@code Connection: close} header closes the connection after the
 * response. HEAD requests get the head only.
 */
public final class MockResponse {

    private final int status;
    private final String reason;
    private final Headers headers;
    private final byte[] body;
    private final Duration headersDelay;
    private final Duration bodyDelay;
    private final long throttleBytes;
    private final Duration throttlePeriod;
    private final Fault fault;

    private MockResponse(Builder b) {
        this.status = b.status;
        this.reason = b.reason;
        this.headers = b.headers.build();
        this.body = b.body;
        this.headersDelay = b.headersDelay;
        this.bodyDelay = b.bodyDelay;
        this.throttleBytes = b.throttleBytes;
        this.throttlePeriod = b.throttlePeriod;
        this.fault = b.fault;
    }

    /**
     * A response that misbehaves as {@code fault} says, with status 200 and no body otherwise.
     *
     * @param fault how it fails
     * @return the response
     */
    public static MockResponse of(Fault fault) {
        return builder().fault(fault).build();
    }

    /**
     * A response with {@code status} and no body.
     *
     * @param status the status code, 100 to 999
     * @return the response
     * @throws IllegalArgumentException if {@code status} is out of range
     */
    public static MockResponse of(int status) {
        return builder().status(status).build();
    }

    /**
     * A response with {@code status} and {@code body} as {@code text/plain; charset=utf-8}.
     *
     * @param status the status code, 100 to 999
     * @param body the body, sent as UTF-8
     * @return the response
     * @throws IllegalArgumentException if {@code status} is out of range
     */
    public static MockResponse of(int status, String body) {
        return builder().status(status).body(body, "text/plain; charset=utf-8").build();
    }

    /**
     * A builder: status 200, no header, no body until set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The status code.
     *
     * @return the status code, 100 to 999
     */
    public int status() {
        return status;
    }

    /**
     * The reason phrase; empty for the status's standard phrase.
     *
     * @return the reason phrase, or empty
     */
    public String reason() {
        return reason;
    }

    /**
     * The header fields the response sets, in order (the server adds its own, see the class comment).
     *
     * @return the fields set by this response
     */
    public Headers headers() {
        return headers;
    }

    /**
     * A copy of the body.
     *
     * @return the body's bytes; empty for none
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * How long the server waits, once the request is read, before sending the head.
     *
     * @return the delay, {@link Duration#ZERO} by default
     */
    public Duration headersDelay() {
        return headersDelay;
    }

    /**
     * How long the server waits between the head and the body.
     *
     * @return the delay, {@link Duration#ZERO} by default
     */
    public Duration bodyDelay() {
        return bodyDelay;
    }

    /**
     * The body's pace: {@link #throttleBytes()} bytes, then a pause of this long, and so on; zero when
     * the body goes out at once.
     *
     * @return the pause between parts of the body
     */
    public Duration throttlePeriod() {
        return throttlePeriod;
    }

    /**
     * How many bytes of the body go out between pauses; 0 when the body is not throttled.
     *
     * @return the size of each part
     */
    public long throttleBytes() {
        return throttleBytes;
    }

    /**
     * How the response misbehaves.
     *
     * @return the fault, or null for a response that behaves
     */
    public Fault fault() {
        return fault;
    }

    int bodyLength() {
        return body.length;
    }

    byte[] bodyBytes() {
        return body;
    }

    @Override
    public String toString() {
        return "MockResponse[" + status + (reason.isEmpty() ? "" : " " + reason) + ", " + headers.size()
                + " header(s), " + body.length + " byte(s)" + (fault == null ? "" : ", " + fault) + "]";
    }

    /** Collects a {@link MockResponse}. */
    public static final class Builder {
        private int status = 200;
        private String reason = "";
        private final Headers.Builder headers = Headers.builder();
        private byte[] body = new byte[0];
        private Duration headersDelay = Duration.ZERO;
        private Duration bodyDelay = Duration.ZERO;
        private long throttleBytes;
        private Duration throttlePeriod = Duration.ZERO;
        private Fault fault;

        private Builder() {
        }

        /**
         * Waits {@code delay}, once the request has been read, before sending the head: a slow server.
         *
         * @param delay the wait, zero or more
         * @return this builder
         */
        public Builder headersDelay(Duration delay) {
            this.headersDelay = nonNegative(delay, "headersDelay");
            return this;
        }

        /**
         * Waits {@code delay} between the head and the body (the head is flushed first).
         *
         * @param delay the wait, zero or more
         * @return this builder
         */
        public Builder bodyDelay(Duration delay) {
            this.bodyDelay = nonNegative(delay, "bodyDelay");
            return this;
        }

        /**
         * Sends the body {@code bytes} at a time, each part flushed, with a pause of {@code period}
         * after each but the last: {@code throttleBody(1024, Duration.ofMillis(100))} is about 10 KiB/s.
         *
         * @param bytes  the size of each part, at least 1
         * @param period the pause after each part, zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is less than 1 or {@code period} negative
         */
        public Builder throttleBody(long bytes, Duration period) {
            if (bytes < 1) {
                throw new IllegalArgumentException("throttleBody bytes must be at least 1: " + bytes);
            }
            this.throttlePeriod = nonNegative(period, "throttleBody period");
            this.throttleBytes = bytes;
            return this;
        }

        /**
         * Makes the response misbehave as {@code fault} says; null for none (the default).
         *
         * @param fault how it fails
         * @return this builder
         */
        public Builder fault(Fault fault) {
            this.fault = fault;
            return this;
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }

        /**
         * The status code, 100 to 999 (default 200).
         *
         * @param status the status code
         * @return this builder
         * @throws IllegalArgumentException if {@code status} is out of range
         */
        public Builder status(int status) {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status must be between 100 and 999: " + status);
            }
            this.status = status;
            return this;
        }

        /**
         * The reason phrase instead of the status's standard one ({@code OK}, {@code Not Found}).
         *
         * @param reason the reason phrase, without CR or LF
         * @return this builder
         */
        public Builder reason(String reason) {
            this.reason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        /**
         * Appends a header field; a name may be given several times.
         *
         * @param name the field name
         * @param value the field value, without CR or LF
         * @return this builder
         * @throws IllegalArgumentException if {@code value} contains CR or LF
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n') {
                    throw new IllegalArgumentException("CR or LF in the value of header " + name);
                }
            }
            headers.add(name, value);
            return this;
        }

        /**
         * The body, as bytes (copied).
         *
         * @param body the body's bytes
         * @return this builder
         */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body").clone();
            return this;
        }

        /**
         * The body, as UTF-8.
         *
         * @param body the body's text
         * @return this builder
         */
        public Builder body(String body) {
            this.body = Objects.requireNonNull(body, "body").getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * The body, as UTF-8, and a {@code Content-Type} header.
         *
         * @param body the body's text
         * @param contentType the {@code Content-Type} value ({@code application/json})
         * @return this builder
         * @throws IllegalArgumentException if {@code contentType} contains CR or LF
         */
        public Builder body(String body, String contentType) {
            header("Content-Type", contentType);
            return body(body);
        }

        /**
         * The response.
         *
         * @return an immutable response with what was set
         */
        public MockResponse build() {
            return new MockResponse(this);
        }
    }

    /** Whether {@code headers} has a field named {@code name} (any case). */
    static boolean has(Headers headers, String name) {
        for (Map.Entry<String, String> e : headers.items()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MockResponse)) {
            return false;
        }
        MockResponse r = (MockResponse) o;
        return status == r.status && reason.equals(r.reason) && headers.equals(r.headers) && Arrays.equals(body, r.body)
                && headersDelay.equals(r.headersDelay) && bodyDelay.equals(r.bodyDelay)
                && throttleBytes == r.throttleBytes && throttlePeriod.equals(r.throttlePeriod) && fault == r.fault;
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, reason, headers, Arrays.hashCode(body));
    }
}
