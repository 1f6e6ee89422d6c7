package dev.httpserver.fuzz;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The handler under test: the stock file server over a small directory, plus a {@code doPOST} that
 * reads the whole request body and answers its length; HTTP/1.1 (keep-alive).
 *
 * <p>As it declares {@code doPOST}, its GETs are served on handler threads, not by the event loop's
 * file stage (which runs only handlers that declare no method); both run the same
 * {@code SimpleHttpRequestHandler} code. The request log is dropped from standard error by
 * {@link ErrorWatch} rather than by overriding {@code logMessage}.
 */
final class FuzzHandler extends SimpleHttpRequestHandler {

    FuzzHandler(Path directory) {
        super(directory);
        protocolVersion = "HTTP/1.1";
    }

    /** The factory given to the server (kept out of the fuzz target's class, which is still initialising). */
    static Supplier<FuzzHandler> factory(Path directory) {
        return () -> new FuzzHandler(directory);
    }

    protected void doPOST() throws IOException {
        long n = 0;
        byte[] buf = new byte[8192];
        for (int r; (r = rfile.read(buf)) != -1; ) {
            n += r;
        }
        byte[] body = (n + "\n").getBytes(StandardCharsets.US_ASCII);
        sendResponse(200);
        sendHeader("Content-Type", "text/plain");
        sendHeader("Content-Length", Integer.toString(body.length));
        endHeaders();
        wfile.write(body);
    }
}
