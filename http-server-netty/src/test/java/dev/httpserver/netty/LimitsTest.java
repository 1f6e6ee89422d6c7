package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.testing.RawHttp.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each timeout fires, each limit is answered with its status, and other clients are served meanwhile. */
@Timeout(60)
class LimitsTest {

    static final Duration SHORT = Duration.ofMillis(600);

    /** Released each time a /late/ request reaches its handler. */
    static final java.util.concurrent.Semaphore LATE_STARTED = new java.util.concurrent.Semaphore(0);

    /** Echo plus a slow streaming download: /stream/<blocks>/<millis per block>. */
    static class Handler extends BaseHandlerTest.Echo {
        @Override
        protected void doGET() throws IOException {
            if (path.startsWith("/late/")) { // answers after a pause: in flight when shutdown begins
                LATE_STARTED.release();
                sleep(Long.parseLong(path.substring(6)));
                super.doGET();
                return;
            }
            if (path.startsWith("/stream/")) {
                String[] p = path.split("/");
                int blocks = Integer.parseInt(p[2]);
                long pause = Long.parseLong(p[3]);
                byte[] block = new byte[64 * 1024];
                sendResponse(200);
                sendHeader("Content-Length", Long.toString((long) blocks * block.length));
                endHeaders();
                for (int i = 0; i < blocks; i++) {
                    wfile.write(block);
                    wfile.flush();
                    sleep(pause);
                }
                return;
            }
            super.doGET();
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private final List<HttpServer> servers = new ArrayList<>();

    private HttpServer start(Limits limits) {
        HttpServer s = HttpServer.builder().address("127.0.0.1", 0).handler(Handler::new).limits(limits).build().start();
        servers.add(s);
        return s;
    }

    @AfterEach
    void stop() {
        servers.forEach(HttpServer::close);
    }

    private static void assertServes(HttpServer server) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /ok HTTP/1.1\r\n\r\n");
            assertEquals(200, c.read().status());
        }
    }

    private static long millisUntilClosed(RawHttp c) throws IOException {
        long t0 = System.nanoTime();
        assertTrue(c.closedByServer(), "the server closed the connection");
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void slowRequestHeadGets408() throws Exception {
        HttpServer server = start(Limits.defaults().withHeaderTimeout(SHORT));
        try (RawHttp slow = new RawHttp("127.0.0.1", server.serverPort())) {
            slow.send("GET / HTTP/1.1\r\nHost: x\r\n");
            assertServes(server);
            Response r = slow.read();
            assertEquals(408, r.status());
            assertEquals("close", r.header("Connection"));
            assertTrue(slow.closedByServer());
        }
    }

    @Test
    void a408IsLoggedAndThePartialHeadIsNotAnsweredAgain() throws Exception {
        HttpServer server = start(Limits.defaults().withHeaderTimeout(SHORT));
        java.io.PrintStream saved = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            try (RawHttp slow = new RawHttp("127.0.0.1", server.serverPort())) {
                slow.send("GET /slow HTTP/1.1\r\nHost: x\r\nX-Bad header without colon"); // never finished
                assertEquals(408, slow.read().status());
                assertTrue(slow.closedByServer());
            }
            Thread.sleep(200);
            dev.httpserver.api.BaseHttpRequestHandler.flushLog();
        } finally {
            System.setErr(saved);
        }
        String log = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("] code 408, message Request Timeout"), log);
        assertTrue(log.contains("] \"GET /slow HTTP/1.1\" 408 -"), log);
        assertFalse(log.contains("code 400"), "no status the client never got: " + log);
    }

    @Test
    void slowlorisTricklingHeadersIsCutAtTheHeaderTimeout() throws Exception {
        HttpServer server = start(Limits.defaults().withHeaderTimeout(SHORT).withIdleTimeout(Duration.ofSeconds(30)));
        try (Socket s = new Socket("127.0.0.1", server.serverPort())) {
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    s.getOutputStream().write(("X-" + i + ": y\r\n").getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(100);
                } catch (IOException e) {
                    cut = true;
                }
                if (s.getInputStream().available() > 0) {
                    cut = true;
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(cut, "a trickling client is not served forever");
            assertTrue(ms < 3000, "cut after " + ms + " ms");
        }
        assertServes(server);
    }

    @Test
    void idleKeepAliveConnectionIsClosed() throws Exception {
        HttpServer server = start(Limits.defaults().withIdleTimeout(SHORT));
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /1 HTTP/1.1\r\n\r\n");
            assertEquals(200, c.read().status());
            long ms = millisUntilClosed(c);
            assertTrue(ms >= 300 && ms < 5000, "closed after " + ms + " ms");
        }
    }

    @Test
    void stalledRequestBodyIsClosed() throws Exception {
        HttpServer server = start(Limits.defaults().withBodyTimeout(SHORT));
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789");
            assertServes(server);
            long ms = millisUntilClosed(c);
            assertTrue(ms < 5000, "closed after " + ms + " ms");
        }
    }

    @Test
    void clientThatStopsReadingIsClosed() throws Exception {
        HttpServer server = start(Limits.defaults().withWriteTimeout(SHORT));
        try (Socket s = new Socket("127.0.0.1", server.serverPort())) {
            s.getOutputStream().write("GET /stream/16384/0 HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(3000); // read nothing: the 1 GiB response stalls
            assertServes(server);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            long total = 0;
            try {
                for (int n; (n = in.read(new byte[65536])) > 0; ) {
                    total += n;
                }
            } catch (IOException reset) {
                // a reset is as good as a close
            }
            assertTrue(total < (1L << 30), "the connection was cut, not completed: " + total);
        }
    }

    @Test
    void connectionsBeyondTheLimitGet503() throws Exception {
        HttpServer server = start(Limits.defaults().withMaxConnections(2));
        try (RawHttp a = new RawHttp("127.0.0.1", server.serverPort());
                RawHttp b = new RawHttp("127.0.0.1", server.serverPort())) {
            a.send("GET /a HTTP/1.1\r\n\r\n");
            assertEquals(200, a.read().status());
            b.send("GET /b HTTP/1.1\r\n\r\n");
            assertEquals(200, b.read().status());
            try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
                Response r = c.read();
                assertEquals(503, r.status());
                assertNotNull(r.header("Retry-After"));
            }
        }
        // once the others have gone, connections are served again
        long deadline = System.currentTimeMillis() + 5000;
        while (server.connectionCount() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertServes(server);
    }

    @Test
    void declaredBodyOverTheLimitGets413BeforeItIsRead() throws Exception {
        HttpServer server = start(Limits.defaults().withMaxBodySize(1000));
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST / HTTP/1.1\r\nContent-Length: 5000000\r\n\r\n");
            assertEquals(413, c.read().status());
        }
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST / HTTP/1.1\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
            Response r = c.read();
            assertEquals(413, r.status(), "413 instead of 100 Continue");
        }
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST / HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000));
            assertEquals(201, c.read().status(), "a body at the limit is accepted");
        }
    }

    @Test
    void chunkedBodyGrowingOverTheLimitGets413() throws Exception {
        HttpServer server = start(Limits.defaults().withMaxBodySize(1000));
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 5; i++) {
                c.send("1f4\r\n" + "y".repeat(500) + "\r\n");
            }
            c.send("0\r\n\r\n");
            assertEquals(413, c.read().status());
        }
        assertServes(server);
    }

    @Test
    void gracefulShutdownFinishesWhatFitsTheDeadlineAndCutsTheRest() throws Exception {
        HttpServer server = start(Limits.defaults().withShutdownTimeout(Duration.ofSeconds(2)));
        int port = server.serverPort();
        // fits: 10 blocks at 100 ms; does not fit: 100 blocks at 100 ms; both under way before shutdown
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
        CompletableFuture<Long> fits = CompletableFuture.supplyAsync(() -> download(port, "/stream/10/100", started), pool);
        CompletableFuture<Long> tooLong = CompletableFuture.supplyAsync(() -> download(port, "/stream/100/100", started), pool);
        assertTrue(started.await(10, TimeUnit.SECONDS), "both downloads started");
        RawHttp idle = new RawHttp("127.0.0.1", port);
        idle.send("GET /idle HTTP/1.1\r\n\r\n");
        assertEquals(200, idle.read().status());
        long t0 = System.nanoTime();
        server.shutdown();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(idle.closedByServer(), "idle keep-alive connections close at once");
        idle.close();
        assertEquals(10L * 65536, fits.get(10, TimeUnit.SECONDS), "the request that fits the deadline completes");
        assertTrue(tooLong.get(10, TimeUnit.SECONDS) < 100L * 65536, "the one that does not is cut");
        assertTrue(tooLong.get() > 0, "the long download had begun");
        assertTrue(ms >= 1500 && ms < 8000, "shutdown waited for the deadline: " + ms + " ms");
        pool.shutdownNow();
    }

    @Test
    void shutdownClosesIdleConnectionsAtOnceAndEndsInFlightOnesAfterTheirResponse() throws Exception {
        HttpServer server = start(Limits.defaults().withShutdownTimeout(Duration.ofSeconds(10)));
        int port = server.serverPort();
        try (RawHttp idle = new RawHttp("127.0.0.1", port); RawHttp busy = new RawHttp("127.0.0.1", port)) {
            idle.send("GET /idle HTTP/1.1\r\n\r\n");
            assertEquals(200, idle.read().status());
            LATE_STARTED.drainPermits();
            busy.send("GET /late/3000 HTTP/1.1\r\n\r\n");
            assertTrue(LATE_STARTED.tryAcquire(10, TimeUnit.SECONDS), "the busy request is with its handler");
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::shutdown);
            long t0 = System.nanoTime();
            assertTrue(idle.closedByServer(), "the idle connection is closed");
            long idleClosedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(idleClosedMs < 1500, "at once, while a request is still in flight: " + idleClosedMs + " ms");
            assertFalse(stopping.isDone(), "shutdown waits for the request in flight");
            Response r = busy.read();
            assertEquals(200, r.status(), "the request in flight is answered");
            assertEquals("close", r.header("Connection"), "as the last on its connection");
            assertTrue(busy.closedByServer());
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    private static long download(int port, String path, java.util.concurrent.CountDownLatch started) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            // skip the head
            int state = 0;
            while (state < 4) {
                int c = in.read();
                if (c < 0) {
                    return -1;
                }
                state = (c == '\r' || c == '\n') ? state + 1 : 0;
            }
            started.countDown();
            long total = 0;
            try {
                for (int n; (n = in.read(new byte[65536])) > 0; ) {
                    total += n;
                }
            } catch (IOException e) {
                // cut
            }
            return total;
        } catch (IOException e) {
            return -1;
        }
    }
}
