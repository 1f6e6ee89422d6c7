package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.it.Curl.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command line's serving options seen by the host's curl: -H, --cors with a preflight, --cache-control. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServingOptionsCurlTest extends WithCli {

    @Test
    void headersCorsAndAPreflight() throws Exception {
        Files.writeString(dir.resolve("data.json"), "{}\n");
        cli = CliProcess.start("127.0.0.1", dir, "-H", "X-Served-By: it", "--cors", "--cache-control", "no-cache");
        String base = "http://127.0.0.1:" + cli.port();
        try (HostCurl curl = new HostCurl()) {
            Result get = curl.run("-D", "-", "-o", "/dev/null", "-H", "Origin: http://page.example", base + "/data.json");
            String head = get.stdout().toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 200"), get::describe);
            assertTrue(head.contains("\r\naccess-control-allow-origin: *\r\n"), get::describe);
            assertTrue(head.contains("\r\nx-served-by: it\r\n"), get::describe);
            assertTrue(head.contains("\r\ncache-control: no-cache\r\n"), get::describe);

            Result pre = curl.run("-D", "-", "-o", "/dev/null", "-X", "OPTIONS", "-H", "Origin: http://page.example",
                    "-H", "Access-Control-Request-Method: GET", "-H", "Access-Control-Request-Headers: x-token",
                    base + "/data.json");
            String p = pre.stdout().toLowerCase(java.util.Locale.ROOT);
            assertTrue(p.startsWith("http/1.1 204"), pre::describe);
            assertTrue(p.contains("\r\naccess-control-allow-methods: get, head, options\r\n"), pre::describe);
            assertTrue(p.contains("\r\naccess-control-allow-headers: x-token\r\n"), pre::describe);
            assertTrue(p.contains("\r\naccess-control-allow-origin: *\r\n"), pre::describe);
            assertEquals(0, pre.exitCode(), pre::describe);
        }
    }
}
