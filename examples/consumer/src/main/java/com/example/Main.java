package com.example;

// tag::embed[]
import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.ThreadingHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A service that embeds the server: {@code java com.example.Main [port]} (default 0: a free port). */
public final class Main {

    private Main() {
    }

    /** Answers every GET with a greeting; one instance per connection, as in Python. */
    public static class Hello extends BaseHttpRequestHandler {
        public Hello() {
            protocolVersion = "HTTP/1.1"; // keep-alive
        }

        protected void doGET() throws IOException {
            byte[] body = ("Hello from " + path + "\n").getBytes(StandardCharsets.UTF_8);
            sendResponse(200);
            sendHeader("Content-Type", "text/plain; charset=utf-8");
            sendHeader("Content-Length", Integer.toString(body.length));
            endHeaders();
            wfile.write(body);
        }
    }

    /** Starts serving on {@code port} of the loopback (0: a free one) and returns at once. */
    public static HttpServer start(int port) {
        return new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", port), Hello::new);
    }

    public static void main(String[] args) {
        try (HttpServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 0)) {
            System.out.println("Serving on http://127.0.0.1:" + server.serverPort() + "/");
            server.serveForever(); // until server.shutdown() from another thread
        }
    }
}
// end::embed[]
