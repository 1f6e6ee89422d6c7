package dev.httpserver.api;

import java.net.InetSocketAddress;

/**
 * What a handler sees of its server: Python's {@code self.server}, an {@code HTTPServer} with
 * {@code server_name}, {@code server_port} and {@code server_address}.
 */
public interface Server {

    /** The fully qualified name of the bound address, as Python's {@code server_name} ({@code socket.getfqdn}). */
    String serverName();

    /** The port actually bound (never 0 once started): Python's {@code server_port}. */
    int serverPort();

    /** The address actually bound: Python's {@code server_address}. */
    InetSocketAddress serverAddress();

    /** Whether clients reach this server over TLS. */
    default boolean isSecure() {
        return false;
    }
}
