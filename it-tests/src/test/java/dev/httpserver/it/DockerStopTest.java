package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker stop} on the server's image (the one {@code .ci/image-build.sh} builds, named by
 * {@code HTTP_SERVER_IMAGE}) during a download: the JVM is the container's first process and takes
 * SIGTERM as the CLI does, so the download finishes byte for byte and the container exits 0 within
 * Docker's grace period. Reported as skipped, with the reason, without a Docker engine or the image.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DockerStopTest {

    @TempDir
    Path dir;

    private static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("docker " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    @Test
    void dockerStopLetsADownloadInFlightFinishAndTheContainerExitsZero() throws Exception {
        String image = System.getenv("HTTP_SERVER_IMAGE");
        Assumptions.assumeTrue(image != null && !image.isBlank(),
                "HTTP_SERVER_IMAGE is not set (.ci/image-build.sh builds the image and prints it)");
        try {
            docker("image", "inspect", image);
        } catch (IOException e) {
            Assumptions.abort("no Docker engine, or no image " + image + ": " + e.getMessage());
        }
        Path big = dir.resolve("big.bin");
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(5);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < 64; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        dir.toFile().setReadable(true, false);
        big.toFile().setReadable(true, false);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String id = docker("run", "-d", "--network", "host", "-v", dir + ":/srv:ro", image,
                String.valueOf(port), "--bind", "127.0.0.1", "--directory", "/srv");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Servers.accepts(new java.net.InetSocketAddress("127.0.0.1", port))) {
                assertTrue(System.nanoTime() < deadline, "the container did not start serving");
                Thread.sleep(100);
            }
            Path got = dir.resolve("got.bin");
            Process curl = new ProcessBuilder("curl", "-s", "--limit-rate", "20M", "-o", got.toString(),
                    "http://127.0.0.1:" + port + "/big.bin").redirectErrorStream(true).start();
            Thread.sleep(1000);
            assertTrue(curl.isAlive(), "the download is still going when the container is stopped");
            docker("stop", id); // SIGTERM, then SIGKILL after 10 s
            assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, curl.exitValue(), "curl's exit code");
            assertEquals(-1L, Files.mismatch(big, got), "the file arrived byte for byte");
            assertEquals("0", docker("inspect", id, "--format", "{{.State.ExitCode}}"), () -> {
                try {
                    return "the container's exit code; its log:\n" + docker("logs", id);
                } catch (Exception e) {
                    return e.toString();
                }
            });
        } finally {
            docker("rm", "-f", id);
        }
    }
}
