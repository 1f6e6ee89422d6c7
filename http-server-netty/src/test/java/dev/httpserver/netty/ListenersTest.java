package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On epoll and io_uring the server listens with one SO_REUSEPORT socket per event loop: connections are spread
 * over the loops, and the port is still the server's alone.
 */
@Timeout(60)
class ListenersTest {

    @TempDir
    Path dir;

    @Test
    void aSecondServerCannotShareThePort() {
        try (HttpServer first = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), SimpleHttpRequestHandler.Factory.of(dir))) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> new ThreadingHttpServer(
                    new InetSocketAddress("127.0.0.1", first.serverPort()), SimpleHttpRequestHandler.Factory.of(dir)));
            assertTrue(e.getCause().getMessage().contains("already in use"), e.getCause().getMessage());
        }
    }

    @Test
    void eachEventLoopListensAndEveryConnectionIsServed() throws Exception {
        Files.writeString(dir.resolve("x.txt"), "x");
        try (HttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0),
                SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"))) {
            Set<io.netty.channel.EventLoop> loops = new HashSet<>();
            for (io.netty.channel.Channel l : server.listeners()) {
                assertEquals(server.serverPort(), ((InetSocketAddress) l.localAddress()).getPort());
                loops.add(l.eventLoop());
            }
            assertEquals(server.listeners().size(), loops.size(), "one listener per loop");
            assertEquals(Transports.reusePort() ? Transports.ioThreads() : 1, server.listeners().size());
            for (int i = 0; i < 64; i++) {
                try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
                    c.send("GET /x.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
                    assertEquals("x", c.read().text(), "connection " + i);
                }
            }
        }
    }

    @Test
    void connectionsKeepTheirUnsentQueueShort() throws Exception {
        Files.writeString(dir.resolve("y.txt"), "y");
        try (HttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0),
                SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"));
                RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /y.txt HTTP/1.1\r\n\r\n");
            assertEquals("y", c.read().text());
            int checked = 0;
            for (io.netty.channel.Channel ch : server.connections()) {
                if (ch instanceof io.netty.channel.epoll.EpollSocketChannel) {
                    assertEquals(Transports.NOTSENT_LOWAT,
                            (long) ch.config().getOption(io.netty.channel.epoll.EpollChannelOption.TCP_NOTSENT_LOWAT));
                    checked++;
                } else if (ch instanceof io.netty.channel.uring.IoUringSocketChannel) {
                    assertEquals(Transports.NOTSENT_LOWAT,
                            (long) ch.config().getOption(io.netty.channel.uring.IoUringChannelOption.TCP_NOTSENT_LOWAT));
                    checked++;
                }
            }
            assertEquals(Transports.reusePort() ? 1 : 0, checked, "the native (" + HttpServer.transport() + ") connection was checked");
        }
    }
}
