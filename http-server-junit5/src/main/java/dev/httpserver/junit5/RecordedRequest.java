package dev.httpserver.junit5;

import dev.httpserver.api.Headers;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A request as the server received it: what {@link HttpServerExtension#takeRequest()} returns. An
 * immutable value; {@link #body()} returns a copy.
 *
 * <p>A request the server refused while parsing it (a malformed request line, too many headers) is
 * recorded too, with what could be read of it: {@link #method()}, {@link #path()} and
 * {@link #version()} are then empty when the line could not be split.
 */
public final class RecordedRequest {

    private final int sequenceNumber;
    private final String requestLine;
    private final String method;
    private final String path;
    private final String version;
    private final Headers headers;
    private final byte[] body;
    private final boolean bodyTruncated;
    private final InetSocketAddress clientAddress;

    RecordedRequest(int sequenceNumber, String requestLine, String method, String path, String version,
            Headers headers, byte[] body, boolean bodyTruncated, InetSocketAddress clientAddress) {
        this.sequenceNumber = sequenceNumber;
        this.requestLine = Objects.requireNonNull(requestLine, "requestLine");
        this.method = method == null ? "" : method;
        this.path = path == null ? "" : path;
        this.version = version == null ? "" : version;
        this.headers = Objects.requireNonNull(headers, "headers");
        this.body = Objects.requireNonNull(body, "body");
        this.bodyTruncated = bodyTruncated;
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
    }

    /**
     * The request's place among all the requests this server has received since it started,
     * counting from 0, across connections: the order in which they were recorded, which is the order
     * they were answered in (and, on one connection, the order they were sent in).
     *
     * @return the sequence number, from 0
     */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /**
     * The request line as received, without its line ending ({@code GET /a?b=1 HTTP/1.1}).
     *
     * @return the request line
     */
    public String requestLine() {
        return requestLine;
    }

    /**
     * The method ({@code GET}, {@code POST}, any token), exactly as sent.
     *
     * @return the method, or empty when the line could not be split
     */
    public String method() {
        return method;
    }

    /**
     * The request target as sent, query included ({@code /a?b=1}).
     *
     * @return the request target, or empty when the line could not be split
     */
    public String path() {
        return path;
    }

    /**
     * The path: the target before its {@code ?}, as sent (not percent-decoded): {@code /a} for
     * {@code /a?b=1}.
     *
     * @return the path
     */
    public String urlPath() {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /**
     * The query: the target after its {@code ?}, as sent; empty when there is none.
     *
     * @return the raw query
     */
    public String query() {
        int q = path.indexOf('?');
        return q < 0 ? "" : path.substring(q + 1);
    }

    /**
     * The values of query parameter {@code name}, decoded as a form ({@code +} is a space,
     * {@code %XX} a UTF-8 byte), in order; empty when it is absent.
     *
     * @param name the parameter's name (decoded)
     * @return its values
     */
    public List<String> queryParameters(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = new ArrayList<>();
        String query = query();
        if (query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                values.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }

    /**
     * The first value of query parameter {@code name}, decoded; null when it is absent.
     *
     * @param name the parameter's name (decoded)
     * @return its first value, or null
     */
    public String queryParameter(String name) {
        List<String> values = queryParameters(name);
        return values.isEmpty() ? null : values.get(0);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape: compared as sent
        }
    }

    /**
     * The protocol version as sent ({@code HTTP/1.1}).
     *
     * @return the version, or empty when the line had none or could not be split
     */
    public String version() {
        return version;
    }

    /**
     * The header fields in the order received, names matched in any case.
     *
     * @return the header fields
     */
    public Headers headers() {
        return headers;
    }

    /**
     * A copy of the body (de-chunked), whether or not the handler read it. At most the recorded-body
     * limit ({@link HttpServerExtension#recordedBodyLimit(long)}); see {@link #bodyTruncated()}.
     *
     * @return the recorded body's bytes; empty for none
     */
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body decoded as UTF-8.
     *
     * @return the recorded body as text
     */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The size of {@link #body()}.
     *
     * @return the number of body bytes recorded
     */
    public int bodySize() {
        return body.length;
    }

    /**
     * Whether the body was longer than the recorded-body limit, and {@link #body()} holds its start only.
     *
     * @return true when the body was cut at the limit
     */
    public boolean bodyTruncated() {
        return bodyTruncated;
    }

    /**
     * The client's address and port.
     *
     * @return the address and port the request came from
     */
    public InetSocketAddress clientAddress() {
        return clientAddress;
    }

    @Override
    public String toString() {
        return "RecordedRequest[#" + sequenceNumber + " " + requestLine + ", " + headers.size() + " header(s), "
                + body.length + (bodyTruncated ? "+" : "") + " body byte(s)]";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RecordedRequest)) {
            return false;
        }
        RecordedRequest r = (RecordedRequest) o;
        return sequenceNumber == r.sequenceNumber && requestLine.equals(r.requestLine) && method.equals(r.method)
                && path.equals(r.path) && version.equals(r.version) && headers.equals(r.headers)
                && Arrays.equals(body, r.body) && bodyTruncated == r.bodyTruncated
                && clientAddress.equals(r.clientAddress);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sequenceNumber, requestLine, headers, Arrays.hashCode(body));
    }
}
