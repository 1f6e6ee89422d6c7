package dev.httpserver.api.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;

/**
 * One client connection, as a server presents it to the handler that serves it: the blocking
 * counterpart of Python's {@code rfile} and {@code wfile}, with the request already parsed and the
 * response framed by the server. A server implements it; {@code BaseHttpRequestHandler} calls it
 * from a handler thread, never from an I/O thread.
 *
 * <p>One request is served at a time: {@link #nextRequest()} ends the previous exchange (flushing
 * its response and discarding whatever the handler left unread of its body) before returning the
 * next request.
 */
public interface Transport {

    /**
     * The next request on this connection, waiting for it if need be; null once the connection has
     * ended (closed by the client, or closing after the previous response).
     *
     * @return the next request's head, or null when the connection has ended
     * @throws IOException if the connection fails while the previous response is flushed or the request awaited
     */
    RequestHead nextRequest() throws IOException;

    /**
     * Whether a complete request head is already waiting, so that {@link #nextRequest()} would not block.
     *
     * @return true when the next request has fully arrived
     */
    boolean hasQueuedRequest();

    /**
     * The current request's body: exactly its bytes (de-chunked), then end of stream. Never the next
     * request. Reading blocks until the client sends more; the server stops reading from the client
     * while the handler is behind.
     *
     * @return the stream of the current request's body; never null
     */
    InputStream requestBody();

    /**
     * The current response's body. Bytes written here follow the head sent by
     * {@link #writeHead}; writing blocks while the client is not reading, so memory stays bounded.
     *
     * @return the stream of the current response's body; never null
     */
    OutputStream responseBody();

    /**
     * Sends a response head: the status line ({@code version code reason}) and the header fields, in
     * order. A 1xx head is an interim response and another head follows it. The server frames the body
     * that follows: by the {@code Content-Length} given, else chunked where the request and
     * {@code version} allow it and {@code keepAlive} is true, else by closing the connection after it.
     *
     * @param version the status line's version ({@code HTTP/1.1}); an HTTP/2 stream ignores it
     * @param code the status code, 100 to 999
     * @param reason the reason phrase, without CR or LF
     * @param headers the header fields, names and values already checked, in the order to send
     * @param keepAlive whether the handler means to keep the connection open after this response
     * @throws IOException if the connection has failed or closed
     */
    void writeHead(String version, int code, String reason, List<Map.Entry<String, String>> headers, boolean keepAlive)
            throws IOException;

    /**
     * Whether the head of the current (final) response has been sent.
     *
     * @return true once the final response's head has been written
     */
    boolean headSent();

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} as the next part of the current
     * body, zero-copy where the connection allows it. The call returns once the transfer is queued; the
     * server closes the channel when it is done. Returns false, having done nothing, when this
     * transport cannot send files itself, and the caller then copies the bytes through
     * {@link #responseBody()}.
     *
     * @param file an open channel of the file to send; the server closes it once the transfer is queued
     * @param position the offset of the first byte to send
     * @param count the number of bytes to send
     * @return true when the transfer was taken; false when the caller must copy the bytes itself
     * @throws IOException if the connection has failed or closed
     */
    default boolean sendFile(FileChannel file, long position, long count) throws IOException {
        return false;
    }

    /**
     * {@link #sendFile(FileChannel, long, long)}, leaving {@code file} open when {@code close} is
     * false, so that several parts of one file can be sent (a {@code multipart/byteranges} body);
     * the call whose {@code close} is true closes it after its own part, and the parts are sent in
     * order. Returns false, having done nothing, when this transport cannot send files itself.
     *
     * @param file an open channel of the file to send
     * @param position the offset of the first byte to send
     * @param count the number of bytes to send
     * @param close whether the server closes {@code file} after this part (true for the last part)
     * @return true when the transfer was taken; false when the caller must copy the bytes itself
     * @throws IOException if the connection has failed or closed
     */
    default boolean sendFile(FileChannel file, long position, long count, boolean close) throws IOException {
        return close && sendFile(file, position, count);
    }

    /**
     * Whether the connection will close after the current response (the server's framing or the client's wish).
     *
     * @return true when the connection closes once the current response is sent
     */
    boolean closing();

    /** Closes the connection now, abandoning the current exchange. */
    void abort();

    /**
     * Ends the exchange abortively, as a crashed peer would: an HTTP/1 connection is closed with a TCP
     * reset ({@code RST}, no orderly {@code FIN}), an HTTP/2 stream with {@code RST_STREAM}. For test
     * fixtures that simulate failing servers; the default closes as {@link #abort()} does.
     */
    default void reset() {
        abort();
    }

    /**
     * Writes {@code bytes} to the connection as they are, outside the server's framing, and waits until
     * they have been handed to the socket: for test fixtures that simulate broken servers (a malformed
     * chunk, garbage instead of a status line). Only before the current response's head, and only
     * where the connection carries bytes as they are (HTTP/1, with or without TLS); the caller then
     * ends the connection ({@link #abort()}). Returns false, having written nothing, where that is not
     * possible (an HTTP/2 stream, or a transport that cannot).
     *
     * @param bytes the bytes to write
     * @return whether they were written
     * @throws IOException if the connection failed while writing
     */
    default boolean writeRaw(byte[] bytes) throws IOException {
        return false;
    }

    /**
     * Runs {@code action} once when the client can no longer take the current response: the connection
     * closed or was reset, an HTTP/2 stream was reset ({@code RST_STREAM}) or its connection went away
     * ({@code GOAWAY}, close), or an HTTP/1 client shut its sending side down (a client that quits
     * closes its socket, and that is all the server sees of it until it writes). Runs {@code action} at
     * once, on the calling thread, when that has already happened. Otherwise it runs on an I/O thread:
     * it must be quick and never block. The default, for a transport that cannot tell, never runs it.
     *
     * @param action what to do when the client has gone (typically, stop producing the response); quick,
     *     non-blocking
     * @return the registration: closing it withdraws {@code action}
     */
    default Registration onClientGone(Runnable action) {
        return () -> { };
    }

    /** An action registered with {@link #onClientGone}; {@link #close()} withdraws it. */
    @FunctionalInterface
    interface Registration extends AutoCloseable {
        /** Withdraws the action; it does not run afterwards (it may be running now). */
        @Override
        void close();
    }
}
