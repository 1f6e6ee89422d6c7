package dev.httpserver.it;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The {@code request_handler} classes of CPython's {@code Lib/test/test_httpservers.py}, ported one to
 * one onto the public API, and a {@code main} that serves one of them on {@code 127.0.0.1:PORT} for
 * {@code src/test/cpython/run_cpython_suite.py}: {@code base} is {@code BaseHTTPServerTestCase}'s,
 * {@code logging} is {@code RequestHandlerLoggingTestCase}'s. (The suite's file-serving and CGI cases
 * run against the command line itself.)
 */
public final class CPythonSuiteHandlers {

    private CPythonSuiteHandlers() {
    }

    /** {@code BaseHTTPServerTestCase.request_handler} (with {@code NoLogRequestHandler}). */
    public static class Base extends BaseHttpRequestHandler {
        public Base() {
            protocolVersion = "HTTP/1.1";
            defaultRequestVersion = "HTTP/1.1";
        }

        @Override
        public void logMessage(String format, Object... args) {
            // NoLogRequestHandler: don't write log messages to stderr
        }

        public void doTEST() throws IOException {
            sendResponse(204);
            sendHeader("Content-Type", "text/html");
            sendHeader("Connection", "close");
            endHeaders();
        }

        public void doKEEP() throws IOException {
            sendResponse(204);
            sendHeader("Content-Type", "text/html");
            sendHeader("Connection", "keep-alive");
            endHeaders();
        }

        public void doKEYERROR() throws IOException {
            sendError(999);
        }

        public void doNOTFOUND() throws IOException {
            sendError(404);
        }

        public void doEXPLAINERROR() throws IOException {
            sendError(999, "Short Message", "This is a long \n explanation");
        }

        public void doCUSTOM() throws IOException {
            sendResponse(999);
            sendHeader("Content-Type", "text/html");
            sendHeader("Connection", "close");
            endHeaders();
        }

        public void doLATINONEHEADER() throws IOException {
            sendResponse(999);
            sendHeader("X-Special", "Dängerous Mind");
            sendHeader("Connection", "close");
            endHeaders();
            byte[] body = headers.get("x-special-incoming").getBytes(StandardCharsets.UTF_8);
            wfile.write(body);
        }

        public void doSEND_ERROR() throws IOException {
            sendError(Integer.parseInt(path.substring(1)));
        }

        public void doHEAD() throws IOException {
            sendError(Integer.parseInt(path.substring(1)));
        }
    }

    /** {@code RequestHandlerLoggingTestCase.request_handler}: logs as CPython does. */
    public static class Logging extends BaseHttpRequestHandler {
        public Logging() {
            protocolVersion = "HTTP/1.1";
            defaultRequestVersion = "HTTP/1.1";
        }

        public void doGET() throws IOException {
            sendResponse(200);
            endHeaders();
        }

        public void doERROR() throws IOException {
            sendError(404, "File not found");
        }
    }

    /**
     * Serves {@code args[0]} ({@code base} or {@code logging}) on 127.0.0.1 port {@code args[1]} until
     * killed, as CPython's test serves with {@code HTTPServer}.
     */
    public static void main(String[] args) {
        Supplier<? extends BaseHttpRequestHandler> handler;
        switch (args[0]) {
            case "base":
                handler = Base::new;
                break;
            case "logging":
                handler = Logging::new;
                break;
            default:
                throw new IllegalArgumentException("no such handler: " + args[0]);
        }
        HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), handler);
        System.out.println("ready " + server.serverPort());
        System.out.flush();
        server.serveForever();
    }
}
