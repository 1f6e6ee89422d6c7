package dev.httpserver.api;

import dev.httpserver.api.internal.LogSink;
import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * Where a server's request log goes: what {@link BaseHttpRequestHandler#logMessage},
 * {@link BaseHttpRequestHandler#logRequest} and {@link BaseHttpRequestHandler#logError} write, and the
 * tracebacks of handlers that failed. A server setting ({@code HttpServer.builder().requestLog(...)});
 * a handler reaches it through {@link Server#requestLog()}. A subclass that overrides
 * {@code logMessage} still decides for itself, as in Python.
 *
 * <ul>
 *   <li>{@link #stderr()}, the default: CPython's lines on standard error,
 *       {@code 127.0.0.1 - - [02/Dec/2026 10:00:00] "GET / HTTP/1.1" 200 -}, written in order by a
 *       background thread.</li>
 *   <li>{@link #systemLogger()}: the JDK's {@code System.Logger}, which SLF4J, Log4j 2 and
 *       java.util.logging users route with their usual bridges. Requests go to the logger
 *       {@value #ACCESS_LOGGER} at {@code INFO}, errors ({@code logError}, {@code sendError}) to
 *       {@value #ERROR_LOGGER} at {@code WARNING}, a handler's exception to {@value #ERROR_LOGGER} at
 *       {@code ERROR}. The message is CPython's line without the date, which the logging framework
 *       adds: {@code 127.0.0.1 "GET / HTTP/1.1" 200 -}.</li>
 *   <li>Your own: an implementation of the three methods below (called on a handler thread, or on a
 *       server's I/O thread for a file answered there, so they must not block).</li>
 * </ul>
 */
public interface RequestLog {

    /** The logger name of request lines, with {@link #systemLogger()}. */
    String ACCESS_LOGGER = "dev.httpserver.access";

    /** The logger name of errors and handler exceptions, with {@link #systemLogger()}. */
    String ERROR_LOGGER = "dev.httpserver.error";

    /**
     * A request line: what {@code logMessage} and {@code logRequest} log.
     *
     * @param client  the client's address, as {@code addressString()} gives it
     * @param message the message, control characters escaped ({@code "GET / HTTP/1.1" 200 -})
     */
    void message(String client, String message);

    /**
     * An error: what {@code logError} (and so {@code sendError}) logs.
     *
     * @param client  the client's address, as {@code addressString()} gives it
     * @param message the message, control characters escaped ({@code code 404, message File not found})
     */
    void error(String client, String message);

    /**
     * A handler raised {@code exception} while serving {@code client}: CPython's {@code handle_error}.
     *
     * @param client    the client's address and port
     * @param exception what was raised
     */
    void exception(String client, Throwable exception);

    /**
     * CPython's log: lines on standard error, written in order by a background thread; a handler's
     * exception as CPython's {@code handle_error} prints it. The default.
     *
     * @return the standard-error log
     */
    static RequestLog stderr() {
        return Stderr.INSTANCE;
    }

    /**
     * The JDK's {@code System.Logger}: {@value #ACCESS_LOGGER} and {@value #ERROR_LOGGER}, the lines
     * handed to the loggers from a background thread, in order, so that no request waits on a slow
     * appender.
     *
     * @return the System.Logger log
     */
    static RequestLog systemLogger() {
        return SystemLoggerLog.INSTANCE;
    }

    /** CPython's standard-error log. */
    final class Stderr implements RequestLog {
        static final Stderr INSTANCE = new Stderr();

        private Stderr() {
        }

        @Override
        public void message(String client, String message) {
            LogSink.write(client + " - - [" + dev.httpserver.api.internal.HttpDates.nowForLog() + "] " + message + "\n");
        }

        @Override
        public void error(String client, String message) {
            message(client, message);
        }

        @Override
        public void exception(String client, Throwable exception) {
            java.io.StringWriter trace = new java.io.StringWriter();
            try (java.io.PrintWriter pw = new java.io.PrintWriter(trace)) {
                exception.printStackTrace(pw);
            }
            // As CPython's socketserver handle_error(): the traceback on stderr, and the server goes on.
            System.err.print("----------------------------------------\n"
                    + "Exception occurred during processing of request from " + client + "\n"
                    + trace + "----------------------------------------\n");
        }

        @Override
        public String toString() {
            return "RequestLog.stderr()";
        }
    }

    /** The System.Logger log. */
    final class SystemLoggerLog implements RequestLog {
        static final SystemLoggerLog INSTANCE = new SystemLoggerLog();

        private final System.Logger access = System.getLogger(ACCESS_LOGGER);
        private final System.Logger errors = System.getLogger(ERROR_LOGGER);

        private SystemLoggerLog() {
        }

        @Override
        public void message(String client, String message) {
            String line = client + " " + message;
            LogSink.run(() -> access.log(Level.INFO, line));
        }

        @Override
        public void error(String client, String message) {
            String line = client + " " + message;
            LogSink.run(() -> errors.log(Level.WARNING, line));
        }

        @Override
        public void exception(String client, Throwable exception) {
            Objects.requireNonNull(exception, "exception");
            String line = "Exception occurred during processing of request from " + client;
            LogSink.run(() -> errors.log(Level.ERROR, line, exception));
        }

        @Override
        public String toString() {
            return "RequestLog.systemLogger()";
        }
    }
}
