package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.testing.RawH2;
import dev.httpserver.netty.testing.RawH2.Frame;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An HTTP/2 stream whose handler does not read the request body: once the server has stopped
 * reading it (its queue full), the client resets the stream or drops the connection. The handler
 * must hear that the client is gone, and what was queued must be released (the leak detector runs
 * at paranoid): Netty ends a stream only through reads, which are paused then.
 */
@Timeout(60)
class Http2HeldStreamTest {

    static volatile CountDownLatch gone;
    static volatile CountDownLatch holding;

    /** Takes the head, reads none of the body, and waits for the client to go. */
    public static class Holder extends BaseHttpRequestHandler {
        protected void doPOST() throws Exception {
            CountDownLatch g = gone;
            transport().onClientGone(g::countDown);
            holding.countDown();
            g.await(30, TimeUnit.SECONDS);
        }
    }

    HttpServer server;

    @BeforeEach
    void start() {
        gone = new CountDownLatch(1);
        holding = new CountDownLatch(1);
        server = HttpServer.builder().handler(Holder::new).h2c(true).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Uploads on stream 1, within the flow-control windows, until the server stops opening them. */
    private static long uploadUntilStalled(RawH2 c) throws Exception {
        c.post(1, "/up");
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the handler holds the request");
        long streamWindow = 65_535;
        long connectionWindow = 65_535;
        long sent = 0;
        byte[] chunk = new byte[16_384];
        c.readTimeout(1_000);
        while (sent < (8 << 20)) {
            if (streamWindow >= chunk.length && connectionWindow >= chunk.length) {
                c.data(1, chunk);
                sent += chunk.length;
                streamWindow -= chunk.length;
                connectionWindow -= chunk.length;
                continue;
            }
            Frame f;
            try {
                f = c.read();
            } catch (SocketTimeoutException stalled) {
                return sent; // no window opens any more: the server stopped reading
            }
            if (f == null) {
                break;
            }
            if (f.type() == RawH2.WINDOW_UPDATE) {
                long increment = ByteBuffer.wrap(f.payload()).getInt() & 0x7fffffffL;
                if (f.stream() == 0) {
                    connectionWindow += increment;
                } else if (f.stream() == 1) {
                    streamWindow += increment;
                }
            }
        }
        return sent;
    }

    @Test
    void aResetOfAHeldStreamReachesItsHandler() throws Exception {
        try (RawH2 c = new RawH2(server.serverPort())) {
            long sent = uploadUntilStalled(c);
            assertTrue(sent > InboundQueue.HIGH_WATER, "the server stopped reading past its queue: " + sent);
            c.reset(1);
            assertTrue(gone.await(10, TimeUnit.SECONDS), "the handler hears of the RST_STREAM");
        }
    }

    @Test
    void aDroppedConnectionReachesTheHandlerOfAHeldStream() throws Exception {
        RawH2 c = new RawH2(server.serverPort());
        long sent = uploadUntilStalled(c);
        assertTrue(sent > InboundQueue.HIGH_WATER, "the server stopped reading past its queue: " + sent);
        c.close();
        assertTrue(gone.await(10, TimeUnit.SECONDS), "the handler hears that the connection is gone");
    }
}
