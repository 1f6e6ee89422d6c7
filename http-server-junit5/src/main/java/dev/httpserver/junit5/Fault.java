package dev.httpserver.junit5;

/**
 * How a {@link MockResponse} misbehaves, for testing how a client copes with a failing server (the
 * socket policies of OkHttp's {@code MockWebServer}, the faults of WireMock). Over HTTP/2 a
 * "disconnect" resets the request's stream ({@code RST_STREAM}) and leaves the connection to the
 * other streams, as a failing HTTP/2 server would; over HTTP/1.1 it closes the connection.
 *
 * <p>A fault that acts before the request body is read (the first three) acts in full when the
 * response is chosen from the request head alone: a queued response, or a stub that matches on no
 * body criterion. A stub with a body criterion is chosen after the body has been read.
 */
public enum Fault {

    /** Closes the connection (HTTP/2: resets the stream) as soon as the request head is in, before reading its body. */
    DISCONNECT_AT_START,

    /**
     * Reads part of the request body (half of its {@code Content-Length}, or what has arrived of a
     * chunked one), then disconnects: an upload cut off midway.
     */
    DISCONNECT_DURING_REQUEST_BODY,

    /** Reads the whole request, then disconnects without answering. */
    DISCONNECT_AFTER_REQUEST,

    /**
     * Sends the head, with the full {@code Content-Length}, and the first half of the body, then
     * disconnects: a download cut off midway.
     */
    DISCONNECT_DURING_RESPONSE_BODY,

    /**
     * Reads the whole request and never answers, keeping the connection open until the client gives
     * up or the server stops: for testing a client's read timeout.
     */
    NO_RESPONSE,

    /**
     * Reads nothing of the request body and never answers, keeping the connection open: a client
     * sending a large body stalls once the buffers fill. For testing a client's write timeout.
     */
    STALL_AT_START,

    /**
     * Reads the whole request, then resets: a TCP {@code RST} on HTTP/1.1 (the client sees
     * "connection reset"), {@code RST_STREAM} on HTTP/2.
     */
    CONNECTION_RESET,

    /**
     * Sends a status line and a head announcing {@code Transfer-Encoding: chunked}, then a chunk
     * whose size line is not hexadecimal, then closes: a broken response body. HTTP/2 has no chunks:
     * there the stream is reset instead.
     */
    MALFORMED_CHUNK
}
