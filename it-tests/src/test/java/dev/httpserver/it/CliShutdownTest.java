package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.httpserver.it.Curl.Result;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CLI's Ctrl-C behaviour, with the real jar as a process and the host's curl (host only). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliShutdownTest {

    private CliProcess cli;
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        if (cli != null) {
            cli.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("hello.txt"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void sigtermStopsTheCliLikeCtrlCWithExitCodeZeroAndTheKeyboardInterruptLine() throws Exception {
        dir = Files.createTempDirectory("it-shutdown-");
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        cli = CliProcess.start("127.0.0.1", dir);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), cli.port());
        try (HostCurl curl = new HostCurl()) {
            Result r = curl.run("-w", "\\n%{http_code}", "http://127.0.0.1:" + cli.port() + "/hello.txt");
            assertEquals("hello\n\n200", r.stdout(), () -> "the CLI serves before it is stopped" + r.describe() + cli.describe());
        }

        int code = cli.terminate(); // SIGTERM, which the CLI handles as Ctrl-C

        assertEquals(0, code, () -> "exit code after SIGTERM" + cli.describe());
        List<String> lines = cli.stdout().lines().toList();
        assertEquals(List.of("Serving HTTP on 127.0.0.1 port " + cli.port() + " (http://127.0.0.1:" + cli.port() + "/) ...",
                "", "Keyboard interrupt received, exiting."), lines, () -> "the CLI's stdout" + cli.describe());
        assertFalse(Servers.accepts(address), () -> "nothing listens on " + address + " after the exit" + cli.describe());
    }
}
