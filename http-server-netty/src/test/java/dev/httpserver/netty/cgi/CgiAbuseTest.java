package dev.httpserver.netty.cgi;

import static dev.httpserver.netty.cgi.CgiHandlerTest.awaitGone;
import static dev.httpserver.netty.cgi.CgiHandlerTest.awaitLog;
import static dev.httpserver.netty.cgi.CgiHandlerTest.chmod;
import static dev.httpserver.netty.cgi.CgiHandlerTest.dir;
import static dev.httpserver.netty.cgi.CgiHandlerTest.running;
import static dev.httpserver.netty.cgi.CgiHandlerTest.script;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.Limits;
import dev.httpserver.netty.testing.RawH2;
import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.testing.RawHttp.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CGI under abuse, through real servers, real scripts and real sockets: the server-wide cap on
 * running scripts ({@link Limits#maxCgiProcesses()}), and scripts killed with their whole process
 * tree when their client goes (an HTTP/1.1 client that disconnects, an HTTP/2 stream reset).
 */
@Timeout(60)
class CgiAbuseTest {

    static final int CAP = 2;

    @TempDir
    static Path temp;
    static Path root;
    static Path marks;
    static HttpServer capped;
    static HttpServer h2c;
    /** Counted down by the handler of {@link #h2c} once its transport reports the client gone. */
    static final List<CountDownLatch> GONE_SEEN = Collections.synchronizedList(new ArrayList<>());
    /** Counted down by the handler of {@link #h2c} when it is about to run {@code after-reset.sh}. */
    static final List<CountDownLatch> ENTERED = Collections.synchronizedList(new ArrayList<>());

    /** Logs to {@link CgiHandlerTest#LOG}. */
    static class Handler extends CgiHandlerTest.Handler {
        Handler() {
            super(root, Duration.ofSeconds(30));
        }

        @Override
        protected void runCgi() throws IOException {
            cgiTimeout = Duration.ofSeconds(path.startsWith("/cgi-bin/sleepy.sh") ? 1 : 30);
            if (path.startsWith("/cgi-bin/after-reset.sh")) {
                // Wait, as a busy server would, until the stream reset has reached the transport.
                CountDownLatch gone = new CountDownLatch(1);
                ENTERED.add(gone);
                try (var r = transport().onClientGone(gone::countDown)) {
                    if (gone.await(10, TimeUnit.SECONDS)) {
                        GONE_SEEN.add(gone);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.runCgi();
        }
    }

    @BeforeAll
    static void start() throws IOException {
        chmod(temp, "rwxr-xr-x");
        root = dir(temp.resolve("www"));
        Path cgiBin = dir(root.resolve("cgi-bin"));
        marks = dir(temp.resolve("marks"));
        chmod(marks, "rwxrwxrwx");
        Files.writeString(root.resolve("hello.txt"), "hello\n");
        chmod(root.resolve("hello.txt"), "rw-r--r--");
        // Answers at once, then holds its slot until the file named by its argument exists.
        script(cgiBin, "hold.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nheld\\n'\n"
                + "while [ ! -e " + marks + "/\"$1\" ]; do sleep 0.05; done\necho released\n");
        script(cgiBin, "ok.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nok\\n'\n");
        // Flushes its headers, then sleeps with a child and a grandchild, each recording its pid.
        script(cgiBin, "tree.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nstarted\\n'\n"
                + "(sleep 30 & echo $! > " + marks + "/\"$1\".grandchild; wait) &\n"
                + "echo $$ > " + marks + "/\"$1\".pid\nwait\n");
        // Leaves a process behind that is no longer below it (its parent subshell is gone at once), holding
        // the output pipe, then sleeps itself.
        script(cgiBin, "orphan.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nstarted\\n'\n"
                + "( (sleep 30 & echo $! > " + marks + "/\"$1\".orphan) & )\n"
                + "echo $$ > " + marks + "/\"$1\".pid\nexec sleep 30\n");
        script(cgiBin, "after-reset.sh", "#!/bin/sh\ntouch " + marks + "/after-reset-ran\n"
                + "printf 'Content-Type: text/plain\\n\\nran\\n'\n");
        script(cgiBin, "sleepy.sh", "#!/bin/sh\nsleep 30\n");
        script(cgiBin, "badinterp.sh", "#!/nonexistent/interpreter\n");
        Limits limits = Limits.defaults().withMaxCgiProcesses(CAP);
        capped = HttpServer.builder().address("127.0.0.1", 0).limits(limits)
                .handler(() -> new Handler()).build().start();
        h2c = HttpServer.builder().address("127.0.0.1", 0).h2c(true)
                .handler(() -> new Handler()).build().start();
    }

    @AfterAll
    static void stop() {
        for (HttpServer s : new HttpServer[] {capped, h2c}) {
            if (s != null) {
                s.close();
            }
        }
    }

    // ---- the cap ----

    @Test
    void scriptsBeyondTheCapGet503WithRetryAfterAndRunOnceSlotsFree() throws Exception {
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                holders.add(openHeld(capped, "/cgi-bin/hold.sh?release-cap"));
            }
            Response busy = get(capped, "/cgi-bin/ok.sh");
            assertEquals(503, busy.status(), busy::toString);
            assertEquals("Too many CGI scripts running", busy.reason());
            assertEquals("1", busy.header("Retry-After"));
            assertTrue(new String(busy.body, StandardCharsets.UTF_8).contains("at most " + CAP + " CGI scripts"), busy::toString);
            assertEquals(200, get(capped, "/hello.txt").status(), "files are still served at the cap");
            assertEquals(CAP, CgiSlots.running(capped));

            Files.createFile(marks.resolve("release-cap"));
            for (Socket s : holders) {
                assertEquals("released\n", readToEnd(s), "the scripts holding the slots finished");
            }
            Response again = get(capped, "/cgi-bin/ok.sh");
            assertEquals(200, again.status(), again::toString);
            assertEquals("ok\n", again.text());
            assertEquals(0, CgiSlots.running(capped));
        } finally {
            Files.deleteIfExists(marks.resolve("release-cap"));
            for (Socket s : holders) {
                s.close();
            }
        }
    }

    @Test
    void failedTimedOutAndAbandonedScriptsGiveTheirSlotsBack() throws Exception {
        for (int i = 0; i < CAP + 1; i++) {
            assertEquals(500, get(capped, "/cgi-bin/badinterp.sh").status(), "a script that cannot start");
            assertEquals(500, get(capped, "/cgi-bin/sleepy.sh").status(), "a script that times out (1 s)");
        }
        for (int i = 0; i < CAP + 1; i++) {
            awaitRunningAtMost(CAP - 1); // the slot of a script killed for a client that left comes back soon after
            try (Socket s = openHeld(capped, "/cgi-bin/tree.sh?abandoned" + i)) {
                readPid("abandoned" + i + ".pid");
            } // the client leaves mid-response: its script is killed
        }
        awaitRunningAtMost(0);
        assertEquals(0, CgiSlots.running(capped), "no slot leaked");
        assertEquals(200, get(capped, "/cgi-bin/ok.sh").status());
    }

    private static boolean below(long pid, long other) {
        return ProcessHandle.of(pid).map(p -> p.descendants().anyMatch(d -> d.pid() == other)).orElse(false);
    }

    /** Waits (at most 10 s) until at most {@code n} of the capped server's scripts run. */
    private static void awaitRunningAtMost(int n) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (CgiSlots.running(capped) > n && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void aProcessTheScriptLeftBehindIsKilledWithItAndGivesTheSlotBack() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of(CgiSystem.SETSID)),
                CgiSystem.SETSID + " is not installed: only the processes below a script can be found");
        awaitRunningAtMost(0);
        long pid;
        long orphan;
        try (Socket s = openHeld(capped, "/cgi-bin/orphan.sh?left")) {
            pid = readPid("left.pid");
            orphan = readPid("left.orphan");
            assertTrue(running(pid) && running(orphan));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (below(pid, orphan) && System.nanoTime() < deadline) {
                Thread.sleep(20); // its parent subshell is on its way out
            }
            assertFalse(below(pid, orphan), "the process left behind is no longer below the script");
        } // the client leaves: the script is killed, and so is what it left behind, which holds its output
        awaitGone(pid);
        awaitGone(orphan);
        awaitRunningAtMost(0);
        assertEquals(0, CgiSlots.running(capped), "the slot came back");
        assertEquals(200, get(capped, "/cgi-bin/ok.sh").status());
    }

    // ---- the client goes (each script would run 30 s, its timeout 30 s) ----

    @Test
    void http11ClientDisconnectKillsTheScriptAndItsGrandchild() throws Exception {
        long pid;
        long grandchild;
        try (Socket s = openHeld(h2c, "/cgi-bin/tree.sh?h1")) {
            pid = readPid("h1.pid");
            grandchild = readPid("h1.grandchild");
            assertTrue(running(pid) && running(grandchild));
        }
        awaitGone(pid);
        awaitGone(grandchild);
        awaitLog("CGI script /cgi-bin/tree.sh: the client has gone: killed");
    }

    @Test
    void h2StreamResetKillsTheScriptAndItsGrandchild() throws Exception {
        try (RawH2 c = new RawH2(h2c.serverPort())) {
            c.get(1, "/cgi-bin/tree.sh?h2");
            long pid = readPid("h2.pid");
            long grandchild = readPid("h2.grandchild");
            assertTrue(running(pid) && running(grandchild));
            c.reset(1);
            awaitGone(pid);
            awaitGone(grandchild);
            // The connection goes on: another stream is served.
            c.get(3, "/cgi-bin/ok.sh");
            assertTrue(c.readData(3, "ok\n"), "stream 3 answered on the same connection");
        }
    }

    @Test
    void h2ConnectionCloseKillsTheScriptAndItsGrandchild() throws Exception {
        long pid;
        long grandchild;
        try (RawH2 c = new RawH2(h2c.serverPort())) {
            c.get(1, "/cgi-bin/tree.sh?h2close");
            pid = readPid("h2close.pid");
            grandchild = readPid("h2close.grandchild");
        }
        awaitGone(pid);
        awaitGone(grandchild);
    }

    @Test
    void aStreamResetBeforeItsScriptStartsStartsNoProcess() throws Exception {
        try (RawH2 c = new RawH2(h2c.serverPort())) {
            c.get(1, "/cgi-bin/after-reset.sh");
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (ENTERED.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, ENTERED.size(), "the handler got to the script");
            c.reset(1); // while the handler is busy, before the script starts
            deadline = System.nanoTime() + 10_000_000_000L;
            while (GONE_SEEN.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, GONE_SEEN.size(), () -> "the transport reported the reset: " + CgiHandlerTest.LOG);
            awaitLog("CGI script /cgi-bin/after-reset.sh not started: the client has gone");
            assertFalse(Files.exists(marks.resolve("after-reset-ran")), "no process was started");
            // HEADERS and RST_STREAM in one packet: no process either.
            c.getAndReset(3, "/cgi-bin/after-reset.sh");
            Thread.sleep(500);
            assertFalse(Files.exists(marks.resolve("after-reset-ran")), "no process was started");
        }
    }

    // ---- helpers ----

    static Response get(HttpServer s, String target) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", s.serverPort())) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
            return c.read();
        }
    }

    /** A connection whose GET of {@code target} has been answered with its headers and a first line. */
    static Socket openHeld(HttpServer s, String target) throws IOException {
        Socket socket = new Socket("127.0.0.1", s.serverPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET " + target + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("\r\n\r\n") || !seen.toString().endsWith("\n")
                || seen.indexOf("\n", seen.indexOf("\r\n\r\n") + 4) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed early: " + seen);
            }
            seen.append((char) b);
        }
        assertTrue(seen.toString().startsWith("HTTP/1.1 200"), seen::toString);
        return socket;
    }

    static String readToEnd(Socket s) throws IOException {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static long readPid(String name) throws Exception {
        return CgiHandlerTest.readPid(marks.resolve(name));
    }
}
