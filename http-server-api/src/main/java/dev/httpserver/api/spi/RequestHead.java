package dev.httpserver.api.spi;

import dev.httpserver.api.Headers;
import java.util.Objects;

/**
 * A parsed request line and header block, as a server hands it to a handler: what Python's
 * {@code parse_request} finds in {@code raw_requestline} and the header lines. A head the server
 * could not parse carries the error status to answer with ({@link #errorCode()} is non-zero), the
 * message and explanation of the error page, and whatever parts of the line were read.
 *
 * <p>Part of the service-provider interface between a server and the handler classes; handlers do
 * not use it directly.
 */
public final class RequestHead {

    private final String requestline;
    private final String command;
    private final String path;
    private final String version;
    private final Headers headers;
    private final int errorCode;
    private final String errorMessage;
    private final String errorExplain;
    private final boolean http2;

    private RequestHead(String requestline, String command, String path, String version, Headers headers,
            int errorCode, String errorMessage, String errorExplain, boolean http2) {
        this.requestline = Objects.requireNonNull(requestline, "requestline");
        this.command = command;
        this.path = path;
        this.version = version;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.errorExplain = errorExplain;
        this.http2 = http2;
    }

    /**
     * A well-formed request: {@code command path version} and its headers.
     *
     * @param command the method token ({@code GET})
     * @param path the request target as sent
     * @param version the protocol version as sent ({@code HTTP/1.1})
     * @param headers the header fields in the order received
     * @return the head of a request to serve
     */
    public static RequestHead of(String command, String path, String version, Headers headers) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(version, "version");
        return new RequestHead(command + ' ' + path + ' ' + version, command, path, version, headers, 0, null, null,
                false);
    }

    /** The version an HTTP/2 request is given: {@value}, as its request line would say. */
    public static final String HTTP_2 = "HTTP/2.0";

    /**
     * A request line of two words, {@code GET /path}: HTTP/0.9's simple request, which has no version
     * ({@link #version()} is null; the handler takes its {@code defaultRequestVersion}).
     *
     * @param command the method token; a handler serves only {@code GET} this way
     * @param path the request target as sent
     * @param headers the header fields (none, for a real HTTP/0.9 request)
     * @return the head of a simple request, without a version
     */
    public static RequestHead ofSimple(String command, String path, Headers headers) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(path, "path");
        return new RequestHead(command + ' ' + path, command, path, null, headers, 0, null, null, false);
    }

    /**
     * A request that arrived on an HTTP/2 stream (over TLS with ALPN {@code h2}, or cleartext h2c):
     * its {@code :method} and {@code :path}, and its other fields ({@code :authority} as {@code Host}).
     * Its version is {@value #HTTP_2} and {@link #isHttp2()} is true, so that a handler serves it
     * where a request line saying {@code HTTP/2.0} on an HTTP/1 connection is refused with 505.
     *
     * @param command the stream's {@code :method}
     * @param path the stream's {@code :path}
     * @param headers the other fields, {@code :authority} given as {@code Host}
     * @return the head of an HTTP/2 request, version {@value #HTTP_2}
     */
    public static RequestHead ofHttp2(String command, String path, Headers headers) {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(path, "path");
        return new RequestHead(command + ' ' + path + ' ' + HTTP_2, command, path, HTTP_2, headers, 0, null, null, true);
    }

    /**
     * A request the server refused while parsing it. {@code command}, {@code path} and
     * {@code version} may be null when the line could not be split; {@code message} and
     * {@code explain} may be null for the status's own phrase and description.
     *
     * @param requestline the request line as received, or null when none could be read
     * @param command the method token, or null
     * @param path the request target, or null
     * @param version the protocol version, or null
     * @param errorCode the status to refuse the request with, 4xx or 5xx
     * @param message the error page's message, or null for the status's phrase
     * @param explain the error page's explanation, or null for the status's description
     * @return the head of a refused request; {@link #isMalformed()} is true
     * @throws IllegalArgumentException if {@code errorCode} is not 4xx or 5xx
     */
    public static RequestHead malformed(String requestline, String command, String path, String version,
            int errorCode, String message, String explain) {
        if (errorCode < 400 || errorCode > 599) {
            throw new IllegalArgumentException("error code must be 4xx or 5xx: " + errorCode);
        }
        return new RequestHead(requestline == null ? "" : requestline, command, path, version, Headers.empty(),
                errorCode, message, explain, false);
    }

    /**
     * The request line without its line ending: Python's {@code requestline}.
     *
     * @return the request line as received, without CR LF; empty when none could be read
     */
    public String requestline() {
        return requestline;
    }

    /**
     * The method token, or null when the line could not be split.
     *
     * @return the method token, or null
     */
    public String command() {
        return command;
    }

    /**
     * The request target exactly as sent, or null.
     *
     * @return the request target, or null
     */
    public String path() {
        return path;
    }

    /**
     * The protocol version as sent ({@code HTTP/1.1}), or null.
     *
     * @return the version, or null for an HTTP/0.9 request or a line that could not be split
     */
    public String version() {
        return version;
    }

    /**
     * The header fields in the order received.
     *
     * @return the header fields; empty for a malformed head
     */
    public Headers headers() {
        return headers;
    }

    /**
     * Whether this request arrived on an HTTP/2 stream ({@link #ofHttp2}), not as an HTTP/1 request line.
     *
     * @return true for a request from an HTTP/2 stream
     */
    public boolean isHttp2() {
        return http2;
    }

    /**
     * The status to refuse this request with, or 0 for a well-formed request.
     *
     * @return the 4xx or 5xx status, or 0
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * Whether the server could not parse this request.
     *
     * @return true when {@link #errorCode()} is not 0
     */
    public boolean isMalformed() {
        return errorCode != 0;
    }

    /**
     * The error page's message, or null for the status phrase.
     *
     * @return the message, or null
     */
    public String errorMessage() {
        return errorMessage;
    }

    /**
     * The error page's explanation, or null for the status description.
     *
     * @return the explanation, or null
     */
    public String errorExplain() {
        return errorExplain;
    }

    @Override
    public String toString() {
        return isMalformed() ? "RequestHead[" + errorCode + " " + requestline + "]" : "RequestHead[" + requestline + "]";
    }
}
