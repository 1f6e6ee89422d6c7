package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The subclassing recipes of the seed documents, as runnable examples. */
@Timeout(30)
class SubclassingExamplesTest {

    @TempDir
    Path dir;

    /** CORS: add headers to every response by overriding endHeaders(). */
    static class CorsHandler extends SimpleHttpRequestHandler {
        CorsHandler(String dir) {
            super(dir);
        }

        @Override
        public void endHeaders() throws IOException {
            sendHeader("Access-Control-Allow-Origin", "*");
            super.endHeaders();
        }
    }

    /** A single-page app: unknown paths fall back to /index.html by rewriting path in doGET(). */
    static class SpaHandler extends SimpleHttpRequestHandler {
        SpaHandler(String dir) {
            super(dir);
        }

        @Override
        protected void doGET() throws IOException {
            if (!Files.exists(Path.of(translatePath(path)))) {
                path = "/index.html";
            }
            super.doGET();
        }
    }

    /** Extra MIME types and index pages, as class-level settings. */
    static class CustomHandler extends SimpleHttpRequestHandler {
        CustomHandler(String dir) {
            super(dir);
            extensionsMap.put(".md", "text/markdown; charset=utf-8");
            indexPages = List.of("default.htm");
        }
    }

    /** Silence: override logMessage(). */
    static class SilentHandler extends SimpleHttpRequestHandler {
        SilentHandler(String dir) {
            super(dir);
        }

        @Override
        public void logMessage(String format, Object... args) {
        }
    }

    private HttpResponse<String> fetch(Supplier<SimpleHttpRequestHandler> handler, String path) throws Exception {
        try (HttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), handler)) {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.serverPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void corsHeadersOnEveryResponse() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a");
        HttpResponse<String> ok = fetch(() -> new CorsHandler(dir.toString()), "/a.txt");
        assertEquals("*", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        HttpResponse<String> missing = fetch(() -> new CorsHandler(dir.toString()), "/missing");
        assertEquals(404, missing.statusCode());
        assertEquals("*", missing.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    }

    @Test
    void spaFallbackServesIndexForUnknownPaths() throws Exception {
        Files.writeString(dir.resolve("index.html"), "<app/>");
        Files.writeString(dir.resolve("app.js"), "js");
        assertEquals("<app/>", fetch(() -> new SpaHandler(dir.toString()), "/users/42").body());
        assertEquals("js", fetch(() -> new SpaHandler(dir.toString()), "/app.js").body());
    }

    @Test
    void extensionsMapAndIndexPagesOverrides() throws Exception {
        Files.writeString(dir.resolve("README.MD"), "# hi");
        Files.writeString(dir.resolve("default.htm"), "default");
        HttpResponse<String> md = fetch(() -> new CustomHandler(dir.toString()), "/README.MD");
        assertEquals("text/markdown; charset=utf-8", md.headers().firstValue("Content-type").orElse(null));
        assertEquals("default", fetch(() -> new CustomHandler(dir.toString()), "/").body());
    }

    @Test
    void silencedLogWritesNothing() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "a");
        PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            assertEquals(200, fetch(() -> new SilentHandler(dir.toString()), "/a.txt").statusCode());
            assertEquals(404, fetch(() -> new SilentHandler(dir.toString()), "/b.txt").statusCode());
            dev.httpserver.api.BaseHttpRequestHandler.flushLog();
        } finally {
            System.setErr(saved);
        }
        assertEquals("", err.toString());
    }
}
