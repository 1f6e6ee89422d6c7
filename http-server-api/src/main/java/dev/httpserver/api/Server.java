package dev.httpserver.api;

import java.net.InetSocketAddress;

/**
 * What a handler sees of its server: Python's {@code self.server}, an {@code HTTPServer} with
 * {@code server_name}, {@code server_port} and {@code server_address}.
 */
public interface Server {

    /**
     * The fully qualified name of the bound address, as Python's {@code server_name} ({@code socket.getfqdn}).
     *
     * @return the host name of the bound address, fully qualified where it resolves
     */
    String serverName();

    /**
     * The port actually bound (never 0 once started): Python's {@code server_port}.
     *
     * @return the bound port, 1 to 65535
     */
    int serverPort();

    /**
     * The address actually bound: Python's {@code server_address}.
     *
     * @return the bound address and port
     */
    InetSocketAddress serverAddress();

    /**
     * Whether clients reach this server over TLS.
     *
     * @return true for an HTTPS server; false (the default) for plain HTTP
     */
    default boolean isSecure() {
        return false;
    }

    /**
     * Where the request log goes: {@link RequestLog#stderr()} (CPython's lines on standard error, the
     * default) or {@link RequestLog#systemLogger()}, as the server was configured.
     *
     * @return the request log
     */
    default RequestLog requestLog() {
        return RequestLog.stderr();
    }
}
