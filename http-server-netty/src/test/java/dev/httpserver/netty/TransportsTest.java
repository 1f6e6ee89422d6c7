package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

/**
 * Which transport the servers use: the property's choice against which native transports load. The
 * build runs this class in the default test run and again in one with
 * {@code -Ddev.httpserver.transport=io_uring}.
 */
class TransportsTest {

    @Test
    void theChoiceFollowsThePropertyAndWhatLoads() {
        assertEquals(Transports.Kind.EPOLL, Transports.choose("auto", () -> true, () -> true), "auto: epoll, not io_uring");
        assertEquals(Transports.Kind.NIO, Transports.choose("auto", () -> true, () -> false));
        assertEquals(Transports.Kind.IO_URING, Transports.choose("io_uring", () -> true, () -> true));
        assertEquals(Transports.Kind.IO_URING, Transports.choose(" IO_URING ", () -> true, () -> false));
        assertEquals(Transports.Kind.EPOLL, Transports.choose("io_uring", () -> false, () -> true), "io_uring that does not load");
        assertEquals(Transports.Kind.NIO, Transports.choose("io_uring", () -> false, () -> false));
        assertEquals(Transports.Kind.NIO, Transports.choose("nio", () -> true, () -> true));
        assertEquals(Transports.Kind.EPOLL, Transports.choose("epoll", () -> true, () -> true));
    }

    @Test
    void theServersUseWhatWasAskedForWhereItLoads() throws Exception {
        String wanted = System.getProperty("dev.httpserver.transport", "auto");
        String expected = Transports.choose(wanted, IoUring::isAvailable, Epoll::isAvailable).label;
        assertEquals(expected, HttpServer.transport(), "-Ddev.httpserver.transport=" + wanted);
        try (HttpServer server = new ThreadingHttpServer(new java.net.InetSocketAddress("127.0.0.1", 0),
                dev.httpserver.api.SimpleHttpRequestHandler.Factory.of(java.nio.file.Path.of(".")))) {
            String channel = server.listeners().get(0).getClass().getSimpleName();
            String prefix = expected.equals("io_uring") ? "IoUring" : expected.equals("epoll") ? "Epoll" : "Nio";
            assertEquals(prefix + "ServerSocketChannel", channel);
        }
    }
}
