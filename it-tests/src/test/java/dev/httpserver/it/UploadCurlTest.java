package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.httpserver.it.Curl.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** --upload seen by the host's curl: -T, -F, and an upload curl gives up on, which leaves nothing behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UploadCurlTest extends WithCli {

    @Test
    void putFormAndACutUpload() throws Exception {
        Path site = Files.createDirectory(dir.resolve("site"));
        Path local = Files.createDirectory(dir.resolve("local"));
        Files.writeString(local.resolve("a.txt"), "a\n");
        Files.writeString(local.resolve("b.txt"), "bb\n");
        byte[] big = new byte[8 << 20];
        new Random(3).nextBytes(big);
        Files.write(local.resolve("big.bin"), big);
        cli = CliProcess.start("127.0.0.1", site, "--upload");
        String base = "http://127.0.0.1:" + cli.port();
        try (HostCurl curl = new HostCurl()) {
            Result put = curl.run("-T", local.resolve("a.txt").toString(), "-w", "%{http_code}", base + "/a.txt");
            assertEquals("Created /a.txt\n201", put.stdout(), put::describe);
            Result again = curl.run("-o", "/dev/null", "-T", local.resolve("a.txt").toString(), "-w", "%{http_code}",
                    base + "/a.txt");
            assertEquals("409", again.stdout(), again::describe);
            Result form = curl.run("-F", "file=@" + local.resolve("b.txt"), "-F", "note=x", "-w", "%{http_code}", base + "/");
            assertEquals("Created /b.txt\n201", form.stdout(), form::describe);
            // 8 MiB at 1 MiB/s, given up after 1.5 s: the server sees the connection close mid-body
            Result cut = curl.run("--limit-rate", "1M", "--max-time", "1.5", "-T", local.resolve("big.bin").toString(),
                    base + "/big.bin");
            assertNotEquals(0, cut.exitCode(), cut::describe);
        }
        assertEquals("a\n", Files.readString(site.resolve("a.txt")));
        assertEquals("bb\n", Files.readString(site.resolve("b.txt")));
        String[] left = null;
        for (int i = 0; i < 200; i++) { // the server notices the cut when its read fails
            try (Stream<Path> files = Files.list(site)) {
                left = files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
            }
            if (left.length == 2) {
                break;
            }
            Thread.sleep(50);
        }
        assertArrayEquals(new String[] {"a.txt", "b.txt"}, left, "no big.bin, whole or partial, and no temporary file");
    }
}
