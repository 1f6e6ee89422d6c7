package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.it.Curl.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code --tls-self-signed} with {@code --tls-self-signed-cert-out}: the host's curl trusts the
 * written certificate with {@code --cacert} (no {@code -k}), over HTTP/1.1 and h2, for the names it
 * covers; plain HTTP to the port gets the clear-text 400.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsSelfSignedCertOutTest extends WithCli {

    @Test
    void curlTrustsTheWrittenCertificateOverHttp11AndH2() throws Exception {
        Path site = Files.createDirectory(dir.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello\n");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        cli = CliProcess.start("127.0.0.1", site, "--tls-self-signed", "--tls-self-signed-cert-out", cert.toString(),
                "--tls-self-signed-key-out", key.toString());
        String hint = "TLS certificate written to " + cert + ": curl --cacert " + cert + " https://localhost:" + cli.port() + "/";
        assertTrue(cli.awaitStdout(hint, 10).contains(hint), cli::describe);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), "the key file");
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        try (HostCurl curl = new HostCurl()) {
            for (String host : new String[] {"localhost", "127.0.0.1"}) {
                String url = "https://" + host + ":" + cli.port() + "/hello.txt";
                Result h1 = curl.run("--http1.1", "--cacert", cert.toString(), "-w", "\\n%{http_version}", url);
                assertEquals("hello\n\n1.1", h1.stdout(), () -> h1.describe() + cli.describe());
                Result h2 = curl.run("--http2", "--cacert", cert.toString(), "-w", "\\n%{http_version}", url);
                assertEquals("hello\n\n2", h2.stdout(), () -> h2.describe() + cli.describe());
            }
            Result untrusted = curl.run("https://localhost:" + cli.port() + "/hello.txt");
            assertEquals(60, untrusted.exitCode(), () -> "without --cacert curl cannot verify it" + untrusted.describe());
            Result plain = curl.run("-w", "\\n%{http_code}", "http://127.0.0.1:" + cli.port() + "/hello.txt");
            assertTrue(plain.stdout().startsWith("The plain HTTP request was sent to HTTPS port"), plain::describe);
            assertTrue(plain.stdout().endsWith("\n400"), plain::describe);
        }
    }
}
