package dev.httpserver.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run of the class-data sharing archive the build makes for the command line: starts
 * the command line in this JVM as a plain run would ({@code 0 --bind 127.0.0.1 --directory TMP}),
 * asks it for a file, a listing, a HEAD, a redirect and a missing file on one keep-alive
 * connection, then stops it. Run by the build with {@code -XX:ArchiveClassesAtExit}, so the archive
 * holds the classes a plain run loads before and while it answers its first requests.
 */
final class Training {

    private Training() {
    }

    /**
     * Runs the training; exits 0 when every answer came, 1 otherwise.
     *
     * @param args none
     * @throws Exception if the training cannot run
     */
    public static void main(String[] args) throws Exception {
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())); // the request log
        Path dir = Files.createTempDirectory("http-server-training");
        try {
            Files.writeString(dir.resolve("index.txt"), "training\n");
            Files.createDirectory(dir.resolve("sub"));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CompletableFuture<dev.httpserver.netty.HttpServer> serving = new CompletableFuture<>();
            Thread cli = new Thread(() -> Cli.run(new String[] {"0", "--bind", "127.0.0.1", "--directory", dir.toString()},
                    new PrintWriter(out, true), new PrintWriter(err, true), serving::complete), "training-cli");
            cli.start();
            dev.httpserver.netty.HttpServer server = serving.get(60, TimeUnit.SECONDS);
            boolean ok;
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.serverPort()), 10_000);
                s.setSoTimeout(10_000);
                ok = exchange(s, "GET /index.txt HTTP/1.1\r\nHost: x\r\n\r\n", " 200 ")
                        && exchange(s, "GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n", " 200 ")
                        && exchange(s, "HEAD /index.txt HTTP/1.1\r\nHost: x\r\n\r\n", " 200 ")
                        && exchange(s, "GET /sub HTTP/1.1\r\nHost: x\r\n\r\n", " 301 ")
                        // last: an error response closes the connection, as CPython's send_error does
                        && exchange(s, "GET /missing HTTP/1.1\r\nHost: x\r\n\r\n", " 404 ");
            } finally {
                server.shutdown();
                cli.join(30_000);
            }
            System.exit(ok ? 0 : 1);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Sends {@code request} and reads its whole response; true if its status line has {@code status}. */
    private static boolean exchange(Socket s, String request, String status) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write(request.getBytes(StandardCharsets.US_ASCII));
        o.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            head.append((char) b);
        }
        String h = head.toString();
        long length = 0;
        for (String line : h.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        if (!request.startsWith("HEAD")) {
            in.readNBytes((int) length);
        }
        return h.startsWith("HTTP/1.1" + status.stripTrailing());
    }
}
