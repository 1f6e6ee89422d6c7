package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void sigtermStopsTheCliCleanlyWithExitCodeZeroAndNoKeyboardInterruptLine() throws Exception {
        dir = Files.createTempDirectory("it-shutdown-");
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        cli = CliProcess.start("127.0.0.1", dir);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), cli.port());
        try (HostCurl curl = new HostCurl()) {
            Result r = curl.run("-w", "\\n%{http_code}", "http://127.0.0.1:" + cli.port() + "/hello.txt");
            assertEquals("hello\n\n200", r.stdout(), () -> "the CLI serves before it is stopped" + r.describe() + cli.describe());
        }

        int code = cli.terminate(); // SIGTERM (kill, docker stop): a clean stop, and no "Keyboard interrupt"

        assertEquals(0, code, () -> "exit code after SIGTERM" + cli.describe());
        List<String> lines = cli.stdout().lines().toList();
        assertEquals(List.of("Serving HTTP on 127.0.0.1 port " + cli.port() + " (http://127.0.0.1:" + cli.port() + "/) ..."),
                lines, () -> "the CLI's stdout" + cli.describe());
        assertFalse(cli.stderr().contains("Keyboard interrupt"), () -> "the CLI's stderr" + cli.describe());
        assertFalse(Servers.accepts(address), () -> "nothing listens on " + address + " after the exit" + cli.describe());
    }

    @Test
    void sigintIsCtrlCAndPrintsCPythonsKeyboardInterruptLine() throws Exception {
        dir = Files.createTempDirectory("it-shutdown-");
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        cli = CliProcess.start("127.0.0.1", dir);
        long pid = cli.process().pid();
        String ignored = ignoredSignals(pid);
        org.junit.jupiter.api.Assumptions.assumeTrue(ignored == null || (Long.parseLong(ignored, 16) & 2) == 0,
                "SIGINT is ignored in this process tree (a background job of a shell without job control),"
                        + " so the JVM leaves it ignored; nothing to test here");
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid)).start();
        assertEquals(0, kill.waitFor());
        assertTrue(cli.process().waitFor(15, TimeUnit.SECONDS), () -> "the CLI exits after SIGINT" + cli.describe());
        cli.terminate(); // collects the output
        assertEquals(0, cli.process().exitValue(), () -> "exit code after SIGINT" + cli.describe());
        List<String> lines = cli.stdout().lines().toList();
        assertEquals(List.of("Serving HTTP on 127.0.0.1 port " + cli.port() + " (http://127.0.0.1:" + cli.port() + "/) ...",
                "", "Keyboard interrupt received, exiting."), lines, () -> "the CLI's stdout" + cli.describe());
    }

    /** The SigIgn mask of a process, in hex, from /proc; null where there is no /proc. */
    private static String ignoredSignals(long pid) throws java.io.IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.isReadable(status)) {
            return null;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return line.substring("SigIgn:".length()).trim();
            }
        }
        return null;
    }

    /** A 64 MiB file of random bytes in {@link #dir}. */
    private Path bigFile() throws Exception {
        dir = Files.createTempDirectory("it-shutdown-");
        byte[] chunk = new byte[1 << 20];
        java.util.Random random = new java.util.Random(17);
        Path big = dir.resolve("big.bin");
        try (java.io.OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 64; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return big;
    }

    /** The host's curl downloading {@code url} to {@code to} at {@code rate}, started now. */
    private static Process curl(String url, Path to, String rate, String... flags) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-s", "-k", "--limit-rate", rate, "-o", to.toString()));
        command.addAll(List.of(flags));
        command.add(url);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "HTTP/1.1,,--http1.1,http",
        "HTTP/1.1 over TLS,--tls-self-signed,--http1.1,https",
        "h2 over TLS,--tls-self-signed --alpn h2,--http2,https",
        "h2c,--h2c,--http2-prior-knowledge,http"})
    void sigtermLetsADownloadInFlightFinishByteForByte(String name, String serverFlags, String curlFlag, String scheme)
            throws Exception {
        Path big = bigFile();
        Path got = dir.resolve("got.bin");
        cli = CliProcess.start("127.0.0.1", dir, serverFlags == null ? new String[0] : serverFlags.split(" "));
        Process curl = curl(scheme + "://127.0.0.1:" + cli.port() + "/big.bin", got, "20M", curlFlag);
        Thread.sleep(1000); // about a third of the file is across
        assertTrue(curl.isAlive(), "the download is still going when the server is told to stop");
        int code = cli.terminate();
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        String curlOut = new String(curl.getInputStream().readAllBytes());
        try {
            assertEquals(0, code, () -> "exit code after SIGTERM" + cli.describe());
            assertEquals(0, curl.exitValue(), () -> name + ": curl's exit code " + curlOut + cli.describe());
            assertEquals(-1L, Files.mismatch(big, got), name + ": the file arrived byte for byte");
        } finally {
            Files.deleteIfExists(got);
            Files.deleteIfExists(big);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "HTTP/1.1,,--http1.1,http",
        "h2 over TLS,--tls-self-signed --alpn h2,--http2,https",
        "h2c,--h2c,--http2-prior-knowledge,http"})
    void aDownloadStillGoingAtTheDeadlineIsCutThereAndTheServerExits(String name, String serverFlags, String curlFlag,
            String scheme) throws Exception {
        Path big = bigFile();
        Path got = dir.resolve("got.bin");
        List<String> flags = new java.util.ArrayList<>(List.of("--shutdown-timeout", "2"));
        if (serverFlags != null) {
            flags.addAll(List.of(serverFlags.split(" ")));
        }
        cli = CliProcess.start("127.0.0.1", dir, flags.toArray(new String[0]));
        Process curl = curl(scheme + "://127.0.0.1:" + cli.port() + "/big.bin", got, "4M", curlFlag); // 16 s of file
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        int code = cli.terminate();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        try {
            assertEquals(0, code, () -> "exit code after SIGTERM" + cli.describe());
            assertTrue(millis >= 1500 && millis < 3500, name + ": exit " + millis + " ms after SIGTERM, deadline 2 s");
            assertTrue(curl.exitValue() != 0, name + ": the download was cut, and curl says so");
        } finally {
            Files.deleteIfExists(got);
            Files.deleteIfExists(big);
        }
    }
}
