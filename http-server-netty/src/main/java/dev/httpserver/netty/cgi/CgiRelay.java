package dev.httpserver.netty.cgi;

import dev.httpserver.api.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The response of a {@link CgiHttpRequestHandler} from a script's output: the header block read
 * (at most {@link CgiHttpRequestHandler#MAX_HEADER_BLOCK} bytes) and parsed per RFC 3875 6.3 into a
 * status line and fields, then the body streamed to the client as the script writes it. One instance
 * serves one run.
 */
final class CgiRelay {

    private final CgiHttpRequestHandler handler;
    private final CgiProcess run;
    private final InputStream out;
    private final byte[] block = new byte[CgiHttpRequestHandler.MAX_HEADER_BLOCK];
    private int filled;
    private int headerEnd = -1;
    private int bodyStart = -1;

    private CgiRelay(CgiHttpRequestHandler handler, CgiProcess run) {
        this.handler = handler;
        this.run = run;
        this.out = run.process.getInputStream();
    }

    /**
     * Reads the script's header block and answers from it, then streams its body. Returns the path of
     * a local redirect to serve once the script is done, or null when the response is complete.
     */
    static String relay(CgiHttpRequestHandler handler, CgiProcess run) throws IOException {
        return new CgiRelay(handler, run).relay();
    }

    private String relay() throws IOException {
        if (!readHeaderBlock()) {
            return null;
        }
        if (headerEnd < 0) {
            answerWithoutHeaders();
            return null;
        }
        CgiResponseHead head = parseHead();
        if (head == null) {
            return null;
        }
        if (head.location != null && head.status < 0 && head.location.startsWith("/") && !head.location.startsWith("//")) {
            // RFC 3875 6.2.2: serve that path instead; whatever the script wrote after is discarded.
            drain(out, null);
            run.exited(run.waitFor());
            return head.location;
        }
        sendHead(head);
        sendBody();
        return null;
    }

    /**
     * Reads the script's output up to the empty line that ends its header block, or to its end.
     * False, having answered 500, when the block is larger than {@link CgiHttpRequestHandler#MAX_HEADER_BLOCK}.
     */
    private boolean readHeaderBlock() throws IOException {
        int lineStart = 0;
        while (headerEnd < 0) {
            if (filled == block.length) {
                run.kill();
                handler.logError("CGI script %s: header block larger than %d bytes", run.scriptname,
                        CgiHttpRequestHandler.MAX_HEADER_BLOCK);
                handler.sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "Malformed header from CGI script");
                return false;
            }
            int n = out.read(block, filled, block.length - filled);
            if (n < 0) {
                break;
            }
            int scan = filled;
            filled += n;
            for (int k = scan; k < filled && headerEnd < 0; k++) {
                if (block[k] == '\n') {
                    int lineEnd = k > lineStart && block[k - 1] == '\r' ? k - 1 : k;
                    if (lineEnd == lineStart) {
                        headerEnd = lineStart;
                        bodyStart = k + 1;
                    } else {
                        lineStart = k + 1;
                    }
                }
            }
        }
        return true;
    }

    /** The answer when the output ended before its header block did: why, once the script has ended. */
    private void answerWithoutHeaders() throws IOException {
        int code = run.waitFor();
        if (run.clientGone.get()) {
            clientGone();
            return;
        }
        IOException bodyError = run.bodyError;
        if (bodyError != null) {
            // The server answers for the body it could not deliver (413 beyond its limit; nothing to a client gone).
            throw bodyError;
        }
        if (run.timedOut.get()) {
            handler.logError("CGI script %s timed out after %s before its headers: killed", run.scriptname,
                    handler.cgiTimeout);
            handler.sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "CGI script timed out");
        } else if (code != 0) {
            handler.logError("CGI script %s exit code %d before its headers", run.scriptname, code);
            handler.sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "CGI script failed");
        } else {
            handler.logError("End of script output before headers: %s", run.scriptname);
            handler.sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "Malformed header from CGI script");
        }
    }

    /** The script was killed because its client went away: nobody to answer, the connection ends. */
    private void clientGone() {
        handler.logError("CGI script %s: the client has gone: killed", run.scriptname);
        handler.abortConnectionQuietly();
    }

    /** The parsed header block, or null having killed the script and answered 500 when it is not valid. */
    private CgiResponseHead parseHead() throws IOException {
        try {
            CgiResponseHead head = CgiResponseHead.parse(block, headerEnd);
            if (head.location == null && head.contentType == null && head.status != 204 && head.status != 304) {
                throw new IllegalArgumentException("no Content-Type header");
            }
            return head;
        } catch (IllegalArgumentException e) {
            run.kill();
            handler.logError("Malformed header from CGI script %s: %s", run.scriptname, e.getMessage());
            handler.sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "Malformed header from CGI script");
            return null;
        }
    }

    /** The status line and the fields of {@code head}, with the server's {@code Server} and {@code Date} unless given. */
    private void sendHead(CgiResponseHead head) throws IOException {
        int code = head.status >= 0 ? head.status : head.location != null ? HttpStatus.FOUND.value() : HttpStatus.OK.value();
        String reason = head.reason;
        if (reason == null && head.status < 0 && code == HttpStatus.OK.value()) {
            reason = "Script output follows";
        }
        handler.logRequest(code);
        handler.sendResponseOnly(code, reason);
        if (!head.hasServer) {
            handler.sendHeader("Server", handler.versionString());
        }
        if (!head.hasDate) {
            handler.sendHeader("Date", handler.dateTimeString());
        }
        for (Map.Entry<String, String> field : head.fields) {
            handler.sendHeader(field.getKey(), field.getValue());
        }
        handler.endHeaders();
    }

    /**
     * The body (none for HEAD): what was read with the header block, then the rest as it comes. A
     * script killed meanwhile (timed out, or its request body cut short) has the connection closed.
     */
    private void sendBody() throws IOException {
        OutputStream wfile = handler.responseBody();
        OutputStream body = "HEAD".equals(handler.command()) ? null : wfile;
        if (body != null && filled > bodyStart) {
            body.write(block, bodyStart, filled - bodyStart);
            body.flush();
        }
        drain(out, body);
        if (run.clientGone.get()) {
            clientGone();
            return;
        }
        if (run.timedOut.get() || run.bodyError != null) {
            if (run.timedOut.get()) {
                handler.logError("CGI script %s timed out after %s: killed, closing the connection", run.scriptname,
                        handler.cgiTimeout);
            }
            // Killed mid-response: the client must see a truncated response, not a complete-looking one.
            handler.abortConnection(); // what the script wrote goes out before the connection ends
            return;
        }
        run.exited(run.waitFor());
    }

    /**
     * Copies {@code in} to {@code out} as it comes, each read flushed at once so that the client sees
     * the output when the script writes it (or discards it when {@code out} is null), to its end.
     */
    private static void drain(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[CgiProcess.BUFFER];
        for (int n; (n = in.read(buf)) >= 0; ) {
            if (out != null && n > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        }
    }
}
