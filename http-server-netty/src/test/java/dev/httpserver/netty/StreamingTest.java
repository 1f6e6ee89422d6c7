package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GiB request and a 1 GiB response go through in bounded memory: this module's tests run with
 * {@code -Xmx256m} (see its pom), so buffering either body whole would fail.
 */
@Timeout(180)
class StreamingTest {

    static final long GIB = 1L << 30;
    static HttpServer server;

    static class Streamer extends BaseHttpRequestHandler {
        Streamer() {
            protocolVersion = "HTTP/1.1";
        }

        @Override
        public void logMessage(String format, Object... args) {
        }

        /** Reads the whole body, answers with its length and a checksum. */
        protected void doPUT() throws IOException {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            long sum = 0;
            for (int n; (n = rfile.read(buf)) > 0; ) {
                total += n;
                for (int i = 0; i < n; i++) {
                    sum += buf[i];
                }
            }
            byte[] body = (total + " " + sum).getBytes(StandardCharsets.US_ASCII);
            sendResponse(200);
            sendHeader("Content-Length", Integer.toString(body.length));
            endHeaders();
            wfile.write(body);
        }

        /** Writes 1 GiB without a Content-Length: chunked. */
        protected void doGET() throws IOException {
            sendResponse(200);
            sendHeader("Content-Type", "application/octet-stream");
            endHeaders();
            byte[] block = new byte[64 * 1024];
            for (long sent = 0; sent < GIB; sent += block.length) {
                block[0] = (byte) (sent >>> 16);
                wfile.write(block);
            }
        }
    }

    @BeforeAll
    static void start() {
        server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), Streamer::new);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void oneGibUploadIsStreamedThroughRfile() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.serverPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(("PUT /up HTTP/1.1\r\nContent-Length: " + GIB + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            long expectedSum = 0;
            for (long sent = 0; sent < GIB; sent += block.length) {
                block[0] = (byte) (sent >>> 16);
                expectedSum += block[0]; // every other byte of the block is 0
                out.write(block);
            }
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
            String expected = GIB + " " + expectedSum;
            assertEquals(expected, new String(in.readNBytes(expected.length()), StandardCharsets.US_ASCII));
            long usedMib = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
            assertTrue(Runtime.getRuntime().maxMemory() <= 300L << 20, "the test JVM is small enough to prove streaming");
            assertTrue(usedMib < 256, "heap used " + usedMib + " MiB");
        }
    }

    @Test
    void oneGibDownloadIsStreamedThroughWfile() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.serverPort())) {
            s.setSoTimeout(60_000);
            s.getOutputStream().write("GET /down HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = new BufferedInputStream(s.getInputStream(), 256 * 1024);
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
            assertTrue(head.toLowerCase().contains("transfer-encoding: chunked"), head);
            long total = 0;
            while (true) {
                String sizeLine = readLine(in);
                int size = Integer.parseInt(sizeLine.trim(), 16);
                if (size == 0) {
                    readLine(in);
                    break;
                }
                in.skipNBytes(size);
                total += size;
                readLine(in);
            }
            assertEquals(GIB, total);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line; !(line = readLine(in)).isEmpty(); ) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
