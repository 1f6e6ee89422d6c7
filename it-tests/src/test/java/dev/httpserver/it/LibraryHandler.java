package dev.httpserver.it;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The handler the in-process library server runs: {@link SimpleHttpRequestHandler} (GET and HEAD of
 * the served folder), plus {@code POST} that echoes the request body and {@code PUT} that reads the
 * body and answers with its length and SHA-256. HTTP/1.1, so connections are kept alive.
 */
class LibraryHandler extends SimpleHttpRequestHandler {

    LibraryHandler(Path directory) {
        super(directory);
        protocolVersion = "HTTP/1.1";
    }

    /** Echoes the request body back, with a Content-Length. */
    protected void doPOST() throws IOException {
        byte[] body = rfile.readAllBytes();
        sendResponse(200);
        sendHeader("Content-Type", "application/octet-stream");
        sendHeader("Content-Length", Integer.toString(body.length));
        endHeaders();
        wfile.write(body);
    }

    /** Reads the body as it streams in and answers {@code bytes=N sha256=HEX}. */
    protected void doPUT() throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = rfile.read(buf)) != -1; ) {
            sha256.update(buf, 0, n);
            total += n;
        }
        byte[] body = summary(total, sha256.digest()).getBytes(StandardCharsets.US_ASCII);
        sendResponse(200);
        sendHeader("Content-Type", "text/plain");
        sendHeader("Content-Length", Integer.toString(body.length));
        endHeaders();
        wfile.write(body);
    }

    /** The PUT answer for a body of {@code length} bytes with SHA-256 {@code digest}. */
    static String summary(long length, byte[] digest) {
        return "bytes=" + length + " sha256=" + HexFormat.of().formatHex(digest) + "\n";
    }
}
