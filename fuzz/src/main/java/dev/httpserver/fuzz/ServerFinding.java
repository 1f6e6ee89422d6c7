package dev.httpserver.fuzz;

/**
 * Something the server must never do, seen while it served one fuzz input: thrown from the fuzz
 * target, so Jazzer reports it as a finding and saves the input ({@code crash-<sha1>}).
 */
final class ServerFinding extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ServerFinding(String message) {
        super(message, null, false, true);
    }

    ServerFinding(String message, Throwable cause) {
        super(message, cause, false, true);
    }
}
