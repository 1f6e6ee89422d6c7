package dev.httpserver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.netty.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), s -> s.shutdown());
    }

    @Test
    void servesADirectoryAndPrintsCpythonsLine() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "file body");
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                new String[] {"0", "--bind", "127.0.0.1", "--directory", dir.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true), serving::complete));
        HttpServer server = serving.get(20, TimeUnit.SECONDS);
        int port = server.serverPort();
        assertEquals("Serving HTTP on 127.0.0.1 port " + port + " (http://127.0.0.1:" + port + "/) ...",
                out.toString().strip());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/f.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("file body", r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void cgiFlagRunsScripts() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("cgi-bin"));
        Path script = bin.resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nhello %s' \"$QUERY_STRING\"\n");
        java.util.Set<java.nio.file.attribute.PosixFilePermission> rx =
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
        for (Path p : new Path[] {dir, bin, script}) {
            Files.setPosixFilePermissions(p, rx); // the script may run as nobody
        }
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                new String[] {"0", "--cgi", "-b", "127.0.0.1", "-d", dir.toString()}, new PrintWriter(out, true),
                new PrintWriter(err, true), serving::complete));
        HttpServer server = serving.get(20, TimeUnit.SECONDS);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.serverPort() + "/cgi-bin/hello.sh?a=b")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body() + err);
        assertEquals("hello a=b", r.body());
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void bindsDualStackByDefault() throws Exception {
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                new String[] {"0", "-d", dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true),
                serving::complete));
        HttpServer server = serving.get(20, TimeUnit.SECONDS);
        int port = server.serverPort();
        assertTrue(out.toString().startsWith("Serving HTTP on :: port " + port + " (http://[::]:" + port + "/) ...")
                || out.toString().startsWith("Serving HTTP on 0.0.0.0 port " + port), out.toString());
        for (String host : new String[] {"127.0.0.1", "[::1]"}) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + host + ":" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), host);
        }
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        assertEquals(2, run("70000", "-d", dir.toString()));
        assertTrue(err.toString().contains("port must be between 0 and 65535"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void nonNumericPortIsAUsageError() {
        assertEquals(2, run("http"));
        assertTrue(err.toString().startsWith("error: "), err.toString());
    }

    @Test
    void missingDirectoryIsAUsageError() {
        assertEquals(2, run("0", "-d", dir.resolve("nope").toString()));
        assertTrue(err.toString().contains("directory not found"), err.toString());
    }

    @Test
    void unknownProtocolIsAUsageError() {
        assertEquals(2, run("0", "-p", "HTTP/2.0", "-d", dir.toString()));
        assertTrue(err.toString().contains("unsupported protocol HTTP/2.0"), err.toString());
    }

    @Test
    void nonPositiveTimeoutIsAUsageError() {
        assertEquals(2, run("0", "--idle-timeout", "-1", "-d", dir.toString()));
        assertTrue(err.toString().contains("--idle-timeout must be a positive number of seconds"), err.toString());
    }

    @Test
    void portInUseFailsWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(1, run(Integer.toString(taken.getLocalPort()), "-b", "127.0.0.1", "-d", dir.toString()));
        }
        String e = err.toString();
        assertTrue(e.contains("already in use"), e);
        assertEquals(1, e.strip().lines().count(), e);
    }

    @Test
    void helpListsCpythonsOptions() {
        assertEquals(0, run("--help"));
        for (String flag : new String[] {"--bind", "--directory", "--protocol", "--cgi", "--tls-cert", "--tls-key",
            "--tls-password-file", "port"}) {
            assertTrue(out.toString().contains(flag), flag);
        }
        assertTrue(out.toString().contains("HTTP/1.0"), "help says how to get CPython's protocol");
    }
}
