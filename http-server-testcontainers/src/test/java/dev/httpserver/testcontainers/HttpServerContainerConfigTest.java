package dev.httpserver.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the container is told to run, and the URLs it gives: no Docker engine needed. */
class HttpServerContainerConfigTest {

    @TempDir
    Path tmp;

    @Test
    void theCommandLineIsPortDirectoryAndTheChosenOptions() throws Exception {
        Path cert = Files.writeString(tmp.resolve("c.pem"), "cert");
        Path key = Files.writeString(tmp.resolve("k.pem"), "key");
        Path pass = Files.writeString(tmp.resolve("p.txt"), "secret");
        HttpServerContainer c = new HttpServerContainer("example/http-server:1")
                .withCgi()
                .withProtocol("HTTP/1.0")
                .withTls(cert, key)
                .withTlsPasswordFile(pass)
                .withArguments("--idle-timeout", "5");
        assertEquals(List.of("8000", "--directory", "/srv", "--protocol", "HTTP/1.0", "--cgi",
                "--tls-cert", "/etc/http-server/tls/cert.pem", "--tls-key", "/etc/http-server/tls/key.pem",
                "--tls-password-file", "/etc/http-server/tls/password.txt", "--idle-timeout", "5"),
                c.arguments(8000, false));
        assertEquals("https", c.getScheme());
    }

    @Test
    void aSelfSignedCertificateMeansHttps() {
        HttpServerContainer c = new HttpServerContainer("example/http-server:1").withTlsSelfSigned();
        assertEquals(List.of("8000", "--directory", "/srv", "--tls-self-signed", "--tls-self-signed-cert-out",
                HttpServerContainer.SELF_SIGNED_CERT), c.arguments(8000, false));
        assertEquals("https", c.getScheme());
        assertEquals("http", new HttpServerContainer("example/http-server:1").getScheme());
    }

    @Test
    void http2IsH2cOnPlainHttpAndAlpnsDefaultOverTls() {
        assertEquals(List.of("8000", "--directory", "/srv", "--h2c"),
                new HttpServerContainer("x/y:1").withHttp2().arguments(8000, false));
        assertEquals(List.of("8000", "--directory", "/srv", "--tls-self-signed", "--tls-self-signed-cert-out",
                HttpServerContainer.SELF_SIGNED_CERT), new HttpServerContainer("x/y:1").withHttp2().withTlsSelfSigned()
                .arguments(8000, false));
    }

    @Test
    void aCertificateChainGivenIsWhatClientsTrust(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        dev.httpserver.netty.tls.SelfSigned cert = dev.httpserver.netty.tls.SelfSigned.generate();
        java.nio.file.Path certFile = dir.resolve("cert.pem");
        java.nio.file.Path keyFile = dir.resolve("key.pem");
        cert.writePem(certFile, keyFile);
        HttpServerContainer c = new HttpServerContainer("x/y:1").withTls(certFile, keyFile);
        assertEquals(List.of(cert.certificate()), c.getCertificates());
        assertEquals(cert.certificatePem().replace("\r\n", "\n"), c.getCertificatePem());
        c.trustManager().checkServerTrusted(new java.security.cert.X509Certificate[] {cert.certificate()}, "ECDHE_ECDSA");
        assertThrows(java.security.cert.CertificateException.class, () -> c.trustManager().checkServerTrusted(
                new java.security.cert.X509Certificate[] {dev.httpserver.netty.tls.SelfSigned.generate().certificate()},
                "ECDHE_ECDSA"));
        assertEquals("TLS", c.sslContext().getProtocol());
        assertThrows(IllegalStateException.class, () -> new HttpServerContainer("x/y:1").getCertificates());
        assertThrows(IllegalStateException.class, () -> new HttpServerContainer("x/y:1").withTlsSelfSigned()
                .getCertificates(), "known once started");
    }

    @Test
    void withHostNetworkingTheServerBindsTheLoopbackOnAFreePort() {
        HttpServerContainer c = new HttpServerContainer("example/http-server:1").withNetworkMode("host");
        assertEquals(List.of("1234", "--directory", "/srv", "--bind", "127.0.0.1"), c.arguments(1234, true));
        c.configure();
        int port = c.getServerPort();
        assertTrue(port > 0 && port < 65536, "a free port of the loopback: " + port);
        assertEquals(List.of(Integer.toString(port), "--directory", "/srv", "--bind", "127.0.0.1"),
                List.of(c.getCommandParts()));
        assertTrue(c.getExposedPorts().isEmpty(), "no port is published with host networking");
        assertEquals(URI.create("http://127.0.0.1:" + port + "/a?b"), c.getUrl("a?b"));
        assertEquals(c.getUrl("/a"), c.getInternalUrl("/a"));
    }

    @Test
    void anIpv6BindGivesABracketedUrl() {
        HttpServerContainer c = new HttpServerContainer("example/http-server:1").withNetworkMode("host")
                .withBind("::1").withServerPort(8123);
        c.configure();
        assertEquals(URI.create("http://[::1]:8123/"), c.getUrl("/"));
    }

    @Test
    void onABridgeNetworkPort8000IsPublishedAndOtherContainersUseTheAlias() {
        HttpServerContainer c = new HttpServerContainer("example/http-server:1").withNetworkAliases("web");
        c.configure();
        assertEquals(List.of("8000", "--directory", "/srv"), List.of(c.getCommandParts()));
        assertEquals(List.of(8000), c.getExposedPorts());
        assertEquals(URI.create("http://web:8000/index.html"), c.getInternalUrl("index.html"));
    }

    @Test
    void aBridgeContainerWithoutAnAliasCannotGiveAnInternalUrl() {
        HttpServerContainer c = new HttpServerContainer("example/http-server:1");
        c.configure();
        c.setNetworkAliases(new java.util.ArrayList<>());
        assertThrows(IllegalStateException.class, () -> c.getInternalUrl("/"));
    }

    @Test
    void theImageComesFromThePropertyThenTheEnvironmentThenTheDefault() {
        String saved = System.getProperty(HttpServerContainer.IMAGE_PROPERTY);
        try {
            System.setProperty(HttpServerContainer.IMAGE_PROPERTY, "example/from-property:2");
            assertEquals("example/from-property:2", HttpServerContainer.defaultImage());
            System.setProperty(HttpServerContainer.IMAGE_PROPERTY, " ");
            String env = System.getenv(HttpServerContainer.IMAGE_ENV);
            String fallback = HttpServerContainer.version().endsWith("-SNAPSHOT") ? HttpServerContainer.LOCAL_IMAGE
                    : HttpServerContainer.publishedImage();
            assertEquals(env != null && !env.isBlank() ? env.trim() : fallback, HttpServerContainer.defaultImage());
        } finally {
            if (saved == null) {
                System.clearProperty(HttpServerContainer.IMAGE_PROPERTY);
            } else {
                System.setProperty(HttpServerContainer.IMAGE_PROPERTY, saved);
            }
        }
    }

    @Test
    void aReleaseDefaultsToItsPublishedImageASnapshotToTheLocalOne() {
        String repo = "ghcr.io/http-server-jvm/http-server";
        assertEquals(repo + ":1.2.3", HttpServerContainer.chooseImage(null, null, "1.2.3", repo));
        assertEquals(repo + ":1.2.3-rc.1", HttpServerContainer.chooseImage(" ", "", "1.2.3-rc.1", repo));
        assertEquals("local/http-server:latest", HttpServerContainer.chooseImage(null, null, "1.3.0-SNAPSHOT", repo));
        assertEquals("example/env:1", HttpServerContainer.chooseImage(null, " example/env:1 ", "1.2.3", repo),
                "the environment variable comes before the published image");
        assertEquals("example/prop:1", HttpServerContainer.chooseImage("example/prop:1", "example/env:1", "1.2.3", repo),
                "the system property comes before the environment variable");
    }

    @Test
    void thePublishedImageIsTaggedWithTheVersionThisArtifactWasBuiltAs() {
        String version = System.getProperty("http-server.expected-version");
        String repository = System.getProperty("http-server.expected-repository");
        assertTrue(version != null && !version.isBlank(), "the build passes the project's version to the tests");
        assertEquals(version, HttpServerContainer.version());
        assertEquals(repository + ":" + version, HttpServerContainer.publishedImage());
        assertTrue(HttpServerContainer.publishedImage().startsWith("ghcr.io/"), HttpServerContainer.publishedImage());
    }

    @Test
    void badInputIsRefusedAtOnce() {
        HttpServerContainer c = new HttpServerContainer("example/http-server:1");
        assertThrows(IllegalArgumentException.class, () -> c.withDirectory(tmp.resolve("missing")));
        assertThrows(IllegalArgumentException.class, () -> c.withFile("../etc/passwd", "x"));
        assertThrows(IllegalArgumentException.class, () -> c.withServerPort(0));
        assertThrows(IllegalStateException.class, c::getServerPort);
    }
}
