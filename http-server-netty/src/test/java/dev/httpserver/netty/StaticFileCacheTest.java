package dev.httpserver.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.testing.RawHttp.Response;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Repeated plain GETs of a file may be answered on the event loop from the handler's own earlier
 * response: the client must not be able to tell, except by speed.
 */
@Timeout(60)
class StaticFileCacheTest {

    @TempDir
    Path dir;

    private HttpServer start() {
        String served = dir.toString();
        return new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> new SimpleHttpRequestHandler(served) {
            {
                protocolVersion = "HTTP/1.1";
            }
        });
    }

    private static List<String> headerNames(Response r) {
        return r.headers.stream().map(Map.Entry::getKey).collect(Collectors.toList());
    }

    @Test
    void replayedResponsesAreIdenticalAndLogged() throws Exception {
        Files.writeString(dir.resolve("a.txt"), "alpha");
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try (HttpServer server = start(); RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /a.txt HTTP/1.1\r\n\r\n");
            Response first = c.read();
            for (int i = 0; i < 5; i++) {
                c.send("GET /a.txt HTTP/1.1\r\n\r\n");
                Response again = c.read();
                assertEquals(first.statusLine, again.statusLine);
                assertEquals(headerNames(first), headerNames(again));
                for (String h : new String[] {"Server", "Content-type", "Content-Length", "Last-Modified"}) {
                    assertEquals(first.header(h), again.header(h), h);
                }
                assertEquals("alpha", again.text());
            }
            c.send("HEAD /a.txt HTTP/1.1\r\n\r\n");
            Response head = c.read(true);
            assertEquals("5", head.header("Content-Length"));
            c.send("GET /a.txt HTTP/1.1\r\n\r\n");
            assertEquals("alpha", c.read().text(), "no stray body bytes after HEAD");
            BaseHttpRequestHandler.flushLog();
        } finally {
            System.setErr(saved);
        }
        long lines = err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"GET /a.txt HTTP/1.1\" 200 -")).count();
        assertEquals(7, lines, "every request is logged, cached or not:\n" + err);
    }

    @Test
    void aChangedFileIsServedWithinASecond() throws Exception {
        Path f = dir.resolve("b.txt");
        Files.writeString(f, "one");
        try (HttpServer server = start(); RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /b.txt HTTP/1.1\r\n\r\n");
            assertEquals("one", c.read().text());
            c.send("GET /b.txt HTTP/1.1\r\n\r\n");
            assertEquals("one", c.read().text());
            Files.delete(f);
            Files.writeString(f, "second version");
            Thread.sleep(1100);
            c.send("GET /b.txt HTTP/1.1\r\n\r\n");
            assertEquals("second version", c.read().text());
            Files.delete(f);
            Thread.sleep(1100);
            c.send("GET /b.txt HTTP/1.1\r\n\r\n");
            assertEquals(404, c.read().status());
        }
    }

    @Test
    void conditionalAndPipelinedRequestsStayCorrect() throws Exception {
        Files.writeString(dir.resolve("c.txt"), "charlie");
        Files.writeString(dir.resolve("e.txt"), "echo");
        try (HttpServer server = start(); RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /c.txt HTTP/1.1\r\n\r\n");
            Response first = c.read();
            c.send("GET /c.txt HTTP/1.1\r\nIf-Modified-Since: " + first.header("Last-Modified") + "\r\n\r\n");
            assertEquals(304, c.read().status());
            StringBuilder pipelined = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                pipelined.append(i % 3 == 0 ? "GET /e.txt HTTP/1.1\r\n\r\n" : "GET /c.txt HTTP/1.1\r\n\r\n");
            }
            c.send(pipelined.toString());
            for (int i = 0; i < 20; i++) {
                Response r = c.read();
                assertEquals(i % 3 == 0 ? "echo" : "charlie", r.text(), "response " + i + " in order");
            }
            c.send("GET /c.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
            assertEquals("charlie", c.read().text());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void subclassesThatShapeResponsesAreNeverReplayed() throws Exception {
        Files.writeString(dir.resolve("d.txt"), "delta");
        String served = dir.toString();
        int[] calls = {0};
        try (HttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> new SimpleHttpRequestHandler(served) {
            {
                protocolVersion = "HTTP/1.1";
            }

            @Override
            public void endHeaders() throws java.io.IOException {
                synchronized (calls) {
                    calls[0]++;
                }
                sendHeader("X-Seen", Integer.toString(calls[0]));
                super.endHeaders();
            }
        }); RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            for (int i = 1; i <= 4; i++) {
                c.send("GET /d.txt HTTP/1.1\r\n\r\n");
                assertEquals(Integer.toString(i), c.read().header("X-Seen"));
            }
        }
    }

    @Test
    void filesAboveTheInMemorySizeAreReplayedFromTheOpenFile() throws Exception {
        byte[] big = new byte[(int) FileRegions.PIECE * 2 + StaticFileCache.MAX_IN_MEMORY + 17]; // three sendfile pieces
        new java.util.Random(7).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        byte[] edge = new byte[StaticFileCache.MAX_IN_MEMORY];
        new java.util.Random(8).nextBytes(edge);
        Files.write(dir.resolve("edge.bin"), edge);
        try (HttpServer server = start(); RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            for (int i = 0; i < 4; i++) {
                c.send("GET /big.bin HTTP/1.1\r\n\r\n");
                Response r = c.read();
                assertEquals(Integer.toString(big.length), r.header("Content-Length"));
                org.junit.jupiter.api.Assertions.assertArrayEquals(big, r.body, "big, response " + i);
                c.send("GET /edge.bin HTTP/1.1\r\n\r\n");
                org.junit.jupiter.api.Assertions.assertArrayEquals(edge, c.read().body, "edge, response " + i);
                c.send("HEAD /big.bin HTTP/1.1\r\n\r\n");
                assertEquals(Integer.toString(big.length), c.read(true).header("Content-Length"));
            }
        }
    }

    @Test
    void aFactoryOfStockHandlersAnswersNewConnectionsWithoutMakingHandlers() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "foxtrot");
        try (HttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0),
                SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"))) {
            server.start();
            try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
                c.send("GET /f.txt HTTP/1.1\r\n\r\n");
                assertEquals("foxtrot", c.read().text());
            }
            assertEquals(1, server.handlersMade());
            for (int i = 0; i < 5; i++) {
                try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
                    c.send("GET /f.txt HTTP/1.1\r\nConnection: close\r\n\r\n");
                    Response r = c.read();
                    assertEquals("foxtrot", r.text());
                    assertEquals("close", r.header("Connection"));
                    assertTrue(c.closedByServer());
                }
            }
            assertEquals(1, server.handlersMade(), "the first request of a new connection was answered from the cache");
            try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
                c.send("GET /f.txt HTTP/1.1\r\nRange: bytes=0-1\r\n\r\n");
                assertEquals("foxtrot", c.read().text());
            }
            assertEquals(2, server.handlersMade(), "a request the cache cannot answer reaches a handler");
        }
    }

    @Test
    void aPlainSupplierGetsAHandlerForEachNewConnection() throws Exception {
        Path one = Files.createDirectory(dir.resolve("one"));
        Path two = Files.createDirectory(dir.resolve("two"));
        Files.writeString(one.resolve("g.txt"), "from one");
        Files.writeString(two.resolve("g.txt"), "from two");
        java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
        try (HttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> {
            // alike in class and protocol, not in folder: each connection must get its own handler's file
            return new SimpleHttpRequestHandler(made.getAndIncrement() % 2 == 0 ? one : two) {
                {
                    protocolVersion = "HTTP/1.1";
                }
            };
        })) {
            server.start();
            for (int i = 0; i < 6; i++) {
                try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
                    for (int j = 0; j < 2; j++) {
                        c.send("GET /g.txt HTTP/1.1\r\n\r\n");
                        assertEquals(i % 2 == 0 ? "from one" : "from two", c.read().text(), "connection " + i);
                    }
                }
            }
        }
    }

    @Test
    void folderListingsAreReplayedAndRefreshedWithinASecond() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Files.writeString(folder.resolve("one.txt"), "1");
        try (HttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0),
                SimpleHttpRequestHandler.Factory.of(dir, "HTTP/1.1"));
                RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /folder/ HTTP/1.1\r\n\r\n");
            Response first = c.read();
            assertTrue(first.text().contains("one.txt") && !first.text().contains("two.txt"), first.text());
            long made = server.handlersMade();
            for (int i = 0; i < 3; i++) {
                c.send("GET /folder/ HTTP/1.1\r\n\r\n");
                Response again = c.read();
                assertEquals(first.text(), again.text());
                assertEquals(first.header("Content-Length"), again.header("Content-Length"));
                assertEquals(first.header("Content-type"), again.header("Content-type"));
            }
            try (RawHttp other = new RawHttp("127.0.0.1", server.serverPort())) {
                other.send("GET /folder/ HTTP/1.1\r\n\r\n");
                assertEquals(first.text(), other.read().text());
            }
            assertEquals(made, server.handlersMade(), "replayed without a handler");
            Files.writeString(folder.resolve("two.txt"), "2");
            Thread.sleep(1100);
            c.send("GET /folder/ HTTP/1.1\r\n\r\n");
            String fresh = c.read().text();
            assertTrue(fresh.contains("one.txt") && fresh.contains("two.txt"), fresh);
        }
    }
}
