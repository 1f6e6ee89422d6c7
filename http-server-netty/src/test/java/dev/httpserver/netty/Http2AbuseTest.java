package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawH2;
import dev.httpserver.netty.testing.RawH2.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 protocol errors get the error code RFC 9113 gives them, sent before the connection (or the
 * stream) is closed, and other clients go on being served.
 */
@Timeout(60)
class Http2AbuseTest {

    static final long PROTOCOL_ERROR = 1;
    static final long FLOW_CONTROL_ERROR = 3;
    static final long CANCEL = 8;
    static final long ENHANCE_YOUR_CALM = 11;

    @TempDir
    static Path dir;
    static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(dir.resolve("small.txt"), "small\n");
        Files.write(dir.resolve("big.bin"), new byte[4 << 20]);
        server = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir)).h2c(true).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void othersStillServed() throws Exception {
        try (RawH2 c = new RawH2(server.serverPort())) {
            c.get(1, "/small.txt");
            Frame headers = c.readUntil(f -> f.type() == RawH2.HEADERS && f.stream() == 1);
            assertNotNull(headers, "another client is answered: " + c.received());
            assertEquals(200, c.status(headers));
        }
    }

    /** The connection of {@code c} still serves: a GET on {@code stream} gets 200. */
    private static void stillServes(RawH2 c, int stream) throws Exception {
        c.get(stream, "/small.txt");
        Frame next = c.readUntil(f -> f.type() == RawH2.HEADERS && f.stream() == stream);
        assertNotNull(next, "the connection still serves: " + c.received());
        assertEquals(200, c.status(next));
    }

    private static Frame goAway(RawH2 c) throws Exception {
        Frame f = c.readUntil(x -> x.type() == RawH2.GOAWAY);
        assertNotNull(f, "a GOAWAY before the close: " + c.received());
        assertTrue(c.closedByServer(), "the connection closes after its GOAWAY");
        return f;
    }

    @Test
    void aClientBeyondMaxConnectionsIsRefusedInItsOwnProtocol() throws Exception {
        HttpServer limited = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir)).h2c(true)
                .limits(Limits.defaults().withMaxConnections(1)).build().start();
        HttpServer limitedTls = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir))
                .tls(TlsTesting.CERT.material(), java.util.List.of("h2", "http/1.1"))
                .limits(Limits.defaults().withMaxConnections(1)).build().start();
        try (RawH2 held = new RawH2(limited.serverPort());
                java.net.Socket heldTls = TlsTesting.handshake(new java.net.InetSocketAddress("127.0.0.1",
                        limitedTls.serverPort()), "h2")) {
            held.get(1, "/small.txt");
            assertNotNull(held.readUntil(f -> f.type() == RawH2.HEADERS), "the first connection is served");
            // h2c with prior knowledge: SETTINGS, then GOAWAY that processed nothing, with a reason
            try (RawH2 c = new RawH2(limited.serverPort())) {
                // the refusal comes on the preface alone: nothing more is sent (a write to the closed
                // connection could make it reset before what the server said is read)
                Frame f = goAway(c);
                assertEquals(ENHANCE_YOUR_CALM, f.errorCode());
                assertEquals(0, ((f.payload()[0] & 0x7f) << 24) | ((f.payload()[1] & 0xff) << 16)
                        | ((f.payload()[2] & 0xff) << 8) | (f.payload()[3] & 0xff), "no stream was processed");
                assertTrue(f.debug().contains("too many connections"), f.debug());
                assertEquals(RawH2.SETTINGS, c.received().get(0).type(), "the server preface comes first");
            }
            // TLS with ALPN h2: the same, once the handshake has chosen h2
            try (RawH2 c = new RawH2(TlsTesting.handshake(new java.net.InetSocketAddress("127.0.0.1",
                    limitedTls.serverPort()), "h2"), limitedTls.serverPort())) {
                assertEquals(ENHANCE_YOUR_CALM, goAway(c).errorCode());
            }
            // HTTP/1.1 still gets its 503
            try (dev.httpserver.netty.testing.RawHttp c = new dev.httpserver.netty.testing.RawHttp("127.0.0.1",
                    limited.serverPort())) {
                c.send("GET /small.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(503, c.read().status());
            }
        } finally {
            limited.close();
            limitedTls.close();
        }
    }

    @Test
    void aStreamWhoseWindowStaysShutIsResetAfterTheWriteTimeout() throws Exception {
        HttpServer quick = HttpServer.builder().handler(SimpleHttpRequestHandler.Factory.of(dir)).h2c(true)
                .limits(Limits.defaults().withWriteTimeout(java.time.Duration.ofSeconds(1))).build().start();
        try (RawH2 c = new RawH2(quick.serverPort())) {
            byte[] windowZero = {0, 4, 0, 0, 0, 0}; // SETTINGS_INITIAL_WINDOW_SIZE = 0: no stream may send DATA
            c.send(RawH2.SETTINGS, 0, 0, windowZero);
            long start = System.nanoTime();
            c.get(1, "/big.bin");
            c.get(3, "/big.bin");
            java.util.Set<Integer> reset = new java.util.HashSet<>();
            try {
                c.readUntil(f -> {
                    if (f.type() == RawH2.RST_STREAM) {
                        assertEquals(CANCEL, f.errorCode());
                        reset.add(f.stream());
                    }
                    return reset.size() == 2;
                });
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("the stalled streams were not reset: " + c.received(), e);
            }
            assertEquals(java.util.Set.of(1, 3), reset);
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(waited >= 900, "not before the write timeout: " + waited + " ms");
            // the connection itself is not at fault: with a window again, it is served
            c.send(RawH2.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, (byte) 0xff, (byte) 0xff});
            stillServes(c, 5);
        } finally {
            quick.close();
        }
    }

    @Test
    void dataOnStreamZeroGetsGoAwayProtocolError() throws Exception {
        try (RawH2 c = new RawH2(server.serverPort())) {
            c.send(RawH2.DATA, 0, 0, "hello".getBytes());
            Frame f = goAway(c);
            assertEquals(PROTOCOL_ERROR, f.errorCode(), f.debug());
        }
        othersStillServed();
    }

    @Test
    void aContinuationFloodGetsGoAwayEnhanceYourCalm() throws Exception {
        try (RawH2 c = new RawH2(server.serverPort())) {
            c.send(RawH2.HEADERS, 0x1, 1, new byte[] {(byte) 0x82}); // :method GET, and no END_HEADERS
            try {
                for (int i = 0; i < 10_000; i++) {
                    c.send(RawH2.CONTINUATION, 0, 1, new byte[0]);
                }
            } catch (java.io.IOException closedMeanwhile) {
                // the server gave up on the connection while the flood was still being written
            }
            Frame f = goAway(c);
            assertEquals(ENHANCE_YOUR_CALM, f.errorCode(), f.debug());
        }
        othersStillServed();
    }

    @Test
    void aWindowUpdateOverflowResetsTheStreamWithFlowControlError() throws Exception {
        try (RawH2 c = new RawH2(server.serverPort())) {
            c.get(1, "/big.bin");
            assertNotNull(c.readUntil(f -> f.type() == RawH2.HEADERS && f.stream() == 1));
            byte[] max = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
            c.send(RawH2.WINDOW_UPDATE, 0, 1, max).send(RawH2.WINDOW_UPDATE, 0, 1, max);
            Frame rst = c.readUntil(f -> f.type() == RawH2.RST_STREAM && f.stream() == 1);
            assertNotNull(rst, "the stream is reset: " + c.received());
            assertEquals(FLOW_CONTROL_ERROR, rst.errorCode());
            // the connection itself goes on
            stillServes(c, 3);
        }
    }

    @Test
    void aHeaderListOverTheLimitGets431AndTheConnectionGoesOn() throws Exception {
        try (RawH2 c = new RawH2(server.serverPort())) {
            String value = "v".repeat(33 * 1024);
            c.get(1, "/small.txt", "x-a", value, "x-b", value, "x-c", value, "x-d", value); // about 132 KiB
            Frame headers = c.readUntil(f -> (f.type() == RawH2.HEADERS || f.type() == RawH2.RST_STREAM) && f.stream() == 1);
            assertNotNull(headers, c.received().toString());
            assertEquals(RawH2.HEADERS, headers.type(), c.received().toString());
            assertEquals(431, c.status(headers));
            stillServes(c, 3);
        }
    }

    @Test
    void aHeaderListFarOverTheLimitGetsGoAwayWithAnError() throws Exception {
        try (RawH2 c = new RawH2(server.serverPort())) {
            String value = "v".repeat(40 * 1024);
            c.get(1, "/small.txt", "x-a", value, "x-b", value, "x-c", value, "x-d", value, "x-e", value); // 200 KiB
            Frame f = goAway(c);
            assertEquals(PROTOCOL_ERROR, f.errorCode(), f.debug());
        }
        othersStillServed();
    }
}
