package dev.httpserver.netty;

import java.io.IOException;

/**
 * What {@code rfile} throws for a request body the server refuses (malformed, cut short, too
 * large): the request is answered with {@link #status} and the connection closes after it.
 */
class BadBodyException extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadBodyException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The body exceeds {@link Limits#maxBodySize()}: 413. */
    static final class TooLarge extends BadBodyException {
        private static final long serialVersionUID = 1L;

        TooLarge(long max) {
            super(413, "the request body is larger than " + max + " bytes");
        }
    }
}
