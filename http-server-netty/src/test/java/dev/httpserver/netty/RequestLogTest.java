package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.RequestLog;
import dev.httpserver.api.SimpleHttpRequestHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The request log: CPython's lines on standard error by default; with {@link RequestLog#systemLogger()},
 * the JDK's System.Logger (here its default backend, java.util.logging, with a handler of the test's)
 * and nothing on standard error; a subclass's own logMessage still wins.
 */
@Isolated("replaces System.err and the JUL handlers of the server's loggers")
@Timeout(60)
class RequestLogTest {

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream realErr;
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void capture() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a\n");
        realErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        Logger.getLogger(RequestLog.ACCESS_LOGGER).addHandler(capture);
        Logger.getLogger(RequestLog.ERROR_LOGGER).addHandler(capture);
        Logger.getLogger(RequestLog.ACCESS_LOGGER).setUseParentHandlers(false);
        Logger.getLogger(RequestLog.ERROR_LOGGER).setUseParentHandlers(false);
    }

    @AfterEach
    void restore() {
        BaseHttpRequestHandler.flushLog();
        System.setErr(realErr);
        Logger.getLogger(RequestLog.ACCESS_LOGGER).removeHandler(capture);
        Logger.getLogger(RequestLog.ERROR_LOGGER).removeHandler(capture);
        Logger.getLogger(RequestLog.ACCESS_LOGGER).setUseParentHandlers(true);
        Logger.getLogger(RequestLog.ERROR_LOGGER).setUseParentHandlers(true);
    }

    /** Serves the folder; /boom raises. */
    public static class Handler11 extends SimpleHttpRequestHandler {
        public Handler11(String dir) {
            super(dir);
            protocolVersion = "HTTP/1.1";
        }

        @Override
        protected void doGET() throws java.io.IOException {
            if (path.equals("/boom")) {
                throw new IllegalStateException("boom");
            }
            super.doGET();
        }
    }

    private int get(HttpServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.serverPort() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpServer serve(RequestLog log) {
        String d = dir.toString();
        HttpServerBuilder b = HttpServer.builder().address("127.0.0.1", 0).handler(() -> new Handler11(d));
        if (log != null) {
            b.requestLog(log);
        }
        return b.build().start();
    }

    private void awaitRecords(int n) throws InterruptedException {
        for (int i = 0; i < 500 && records.size() < n; i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void byDefaultCPythonsLinesGoToStandardError() throws Exception {
        try (HttpServer server = serve(null)) {
            assertEquals(RequestLog.stderr(), server.requestLog());
            assertEquals(200, get(server, "/a.txt"));
            assertEquals(404, get(server, "/missing"));
        }
        BaseHttpRequestHandler.flushLog();
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(err.matches("(?s).*127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4} \\d\\d:\\d\\d:\\d\\d] \"GET /a\\.txt HTTP/1\\.1\" 200 -\n.*"),
                err);
        assertTrue(err.contains("] code 404, message File not found\n"), err);
        assertTrue(records.isEmpty(), "nothing to System.Logger: " + records);
    }

    @Test
    void systemLoggerTakesRequestsAtInfoErrorsAtWarningAndExceptionsAtError() throws Exception {
        try (HttpServer server = serve(RequestLog.systemLogger())) {
            assertEquals(200, get(server, "/a.txt"));
            assertEquals(404, get(server, "/missing"));
            assertEquals(500, get(server, "/boom"));
        }
        BaseHttpRequestHandler.flushLog();
        awaitRecords(5);
        LogRecord ok = find(RequestLog.ACCESS_LOGGER, "\"GET /a.txt HTTP/1.1\" 200 -");
        assertEquals(Level.INFO, ok.getLevel());
        assertEquals("127.0.0.1 \"GET /a.txt HTTP/1.1\" 200 -", ok.getMessage());
        LogRecord notFound = find(RequestLog.ERROR_LOGGER, "code 404, message File not found");
        assertEquals(Level.WARNING, notFound.getLevel());
        assertEquals(Level.INFO, find(RequestLog.ACCESS_LOGGER, "\"GET /missing HTTP/1.1\" 404 -").getLevel());
        LogRecord boom = find(RequestLog.ERROR_LOGGER, "Exception occurred during processing of request from");
        assertEquals(Level.SEVERE, boom.getLevel());
        assertNotNull(boom.getThrown());
        assertEquals("boom", boom.getThrown().getMessage());
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertFalse(err.contains("GET /a.txt") || err.contains("404") || err.contains("boom"),
                "nothing on standard error: " + err);
    }

    @Test
    void filesAnsweredOnTheEventLoopAreLoggedThereToo() throws Exception {
        // the stock handler's GETs may be answered by the file stage, on an I/O thread
        try (HttpServer server = HttpServer.builder().address("127.0.0.1", 0)
                .handler(SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1")).requestLog(RequestLog.systemLogger())
                .build().start()) {
            for (int i = 0; i < 3; i++) {
                assertEquals(200, get(server, "/a.txt"));
            }
        }
        BaseHttpRequestHandler.flushLog();
        awaitRecords(3);
        assertEquals(3, records.stream().filter(r -> r.getMessage().equals("127.0.0.1 \"GET /a.txt HTTP/1.1\" 200 -"))
                .count(), records.toString());
        assertFalse(stderr.toString(StandardCharsets.UTF_8).contains("GET /a.txt"));
    }

    /** A subclass that overrides logMessage, as in Python: its lines go where it says. */
    public static class OwnLog extends Handler11 {
        static final List<String> LINES = new CopyOnWriteArrayList<>();

        public OwnLog(String dir) {
            super(dir);
        }

        @Override
        public void logMessage(String format, Object... args) {
            LINES.add(String.format(format.replace("%r", "%s"), args));
        }
    }

    @Test
    void aSubclassThatOverridesLogMessageStillDecides() throws Exception {
        OwnLog.LINES.clear();
        String d = dir.toString();
        try (HttpServer server = HttpServer.builder().address("127.0.0.1", 0).handler(() -> new OwnLog(d))
                .requestLog(RequestLog.systemLogger()).build().start()) {
            assertEquals(200, get(server, "/a.txt"));
        }
        BaseHttpRequestHandler.flushLog();
        assertTrue(OwnLog.LINES.contains("\"GET /a.txt HTTP/1.1\" 200 -"), OwnLog.LINES.toString());
        assertTrue(records.isEmpty(), "the override wins: " + records);
    }

    private LogRecord find(String logger, String part) {
        for (LogRecord r : records) {
            if (r.getLoggerName().equals(logger) && r.getMessage().contains(part)) {
                return r;
            }
        }
        throw new AssertionError("no record of " + logger + " containing " + part + " in " + records.stream()
                .map(r -> r.getLoggerName() + " " + r.getLevel() + " " + r.getMessage()).toList());
    }
}
