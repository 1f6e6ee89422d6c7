package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * nghttp2's {@code h2load} (a real HTTP/2 client under load: many streams per connection, several
 * connections) completes a short run over TLS (ALPN h2) and over h2c (prior knowledge), every request
 * answered 200. Skipped where h2load is not installed ({@code apt-get install nghttp2-client}).
 */
@Timeout(120)
class H2loadTest {

    @TempDir
    Path dir;

    private static boolean h2loadInstalled() {
        try {
            Process p = new ProcessBuilder("h2load", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "h2c"})
    void aShortRunSucceedsEntirely(String protocol) throws Exception {
        assumeTrue(h2loadInstalled(), "h2load is not installed (apt-get install nghttp2-client)");
        Files.writeString(dir.resolve("page.html"), "<p>" + "x".repeat(1000) + "</p>\n");
        Files.write(dir.resolve("big.bin"), new byte[1 << 20]);
        Path served = dir;
        HttpServerBuilder b = HttpServer.builder().handler(() -> new SimpleHttpRequestHandler(served) {
            {
                protocolVersion = "HTTP/1.1";
            }

            @Override
            public void logMessage(String format, Object... args) {
                // quiet: thousands of requests
            }
        });
        if (protocol.equals("h2")) {
            b.tls(TlsTesting.CERT.material(), List.of("h2", "http/1.1"));
        } else {
            b.h2c(true);
        }
        try (HttpServer server = b.build().start()) {
            String base = (protocol.equals("h2") ? "https" : "http") + "://127.0.0.1:" + server.serverPort();
            // 4 connections, up to 10 streams each in flight; a small page and a 1 MiB file
            String out = run("h2load", "-n", "2000", "-c", "4", "-m", "10", "-t", "1", base + "/page.html", base + "/big.bin");
            assertTrue(out.contains("Application protocol: " + protocol), out);
            Matcher m = Pattern.compile("requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, "
                    + "(\\d+) errored").matcher(out);
            assertTrue(m.find(), out);
            assertEquals("2000", m.group(4), "succeeded\n" + out);
            assertEquals("0", m.group(5), "failed\n" + out);
            assertEquals("0", m.group(6), "errored\n" + out);
            assertTrue(out.contains("status codes: 2000 2xx"), out);
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "h2load finished");
        return new String(out, StandardCharsets.UTF_8);
    }
}
