package dev.httpserver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.tls.SelfSigned;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), s -> s.shutdown());
    }

    @Test
    void servesADirectoryAndPrintsCpythonsLine() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "file body");
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                new String[] {"0", "--bind", "127.0.0.1", "--directory", dir.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true), serving::complete));
        HttpServer server = serving.get(20, TimeUnit.SECONDS);
        int port = server.serverPort();
        assertEquals("Serving HTTP on 127.0.0.1 port " + port + " (http://127.0.0.1:" + port + "/) ...",
                out.toString().strip());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/f.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("file body", r.body());
        assertEquals(HttpClient.Version.HTTP_1_1, r.version());
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void cgiFlagRunsScripts() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("cgi-bin"));
        Path script = bin.resolve("hello.sh");
        Files.writeString(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nhello %s' \"$QUERY_STRING\"\n");
        java.util.Set<java.nio.file.attribute.PosixFilePermission> rx =
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
        for (Path p : new Path[] {dir, bin, script}) {
            Files.setPosixFilePermissions(p, rx); // the script may run as nobody
        }
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                new String[] {"0", "--cgi", "--cgi-max-processes", "3", "-b", "127.0.0.1", "-d", dir.toString()}, new PrintWriter(out, true),
                new PrintWriter(err, true), serving::complete));
        HttpServer server = serving.get(20, TimeUnit.SECONDS);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.serverPort() + "/cgi-bin/hello.sh?a=b")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body() + err);
        assertEquals("hello a=b", r.body());
        assertEquals(3, server.limits().maxCgiProcesses(), "--cgi-max-processes sets the server's cap");
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void everyLimitFlagReachesTheServer() throws Exception {
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(new String[] {"0", "-b", "127.0.0.1",
                "-d", dir.toString(), "--header-timeout", "7", "--idle-timeout", "8.5", "--body-timeout", "9",
                "--write-timeout", "11", "--max-connections", "12", "--max-body-size", "10", "--shutdown-timeout", "3"},
                new PrintWriter(out, true), new PrintWriter(err, true), serving::complete));
        HttpServer server = serving.get(20, TimeUnit.SECONDS);
        dev.httpserver.netty.Limits l = server.limits();
        assertEquals(java.time.Duration.ofSeconds(7), l.headerTimeout());
        assertEquals(java.time.Duration.ofMillis(8500), l.idleTimeout());
        assertEquals(java.time.Duration.ofSeconds(9), l.bodyTimeout());
        assertEquals(java.time.Duration.ofSeconds(11), l.writeTimeout());
        assertEquals(12, l.maxConnections());
        assertEquals(10, l.maxBodySize());
        assertEquals(java.time.Duration.ofSeconds(3), l.shutdownTimeout());
        // and the server enforces it: a body over --max-body-size is refused before it is read
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.serverPort() + "/")).POST(HttpRequest.BodyPublishers.ofString(
                "x".repeat(100))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void bindsDualStackByDefault() throws Exception {
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Cli.run(
                new String[] {"0", "-d", dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true),
                serving::complete));
        HttpServer server = serving.get(20, TimeUnit.SECONDS);
        int port = server.serverPort();
        assertTrue(out.toString().startsWith("Serving HTTP on :: port " + port + " (http://[::]:" + port + "/) ...")
                || out.toString().startsWith("Serving HTTP on 0.0.0.0 port " + port), out.toString());
        for (String host : new String[] {"127.0.0.1", "[::1]"}) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://" + host + ":" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), host);
        }
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        assertEquals(2, run("70000", "-d", dir.toString()));
        assertTrue(err.toString().contains("port must be between 0 and 65535"), err.toString());
        assertFalse(err.toString().contains("Exception"), err.toString());
    }

    @Test
    void nonNumericPortIsAUsageError() {
        assertEquals(2, run("http"));
        assertTrue(err.toString().startsWith("error: "), err.toString());
    }

    @Test
    void missingDirectoryIsAUsageError() {
        assertEquals(2, run("0", "-d", dir.resolve("nope").toString()));
        assertTrue(err.toString().contains("directory not found"), err.toString());
    }

    @Test
    void unknownProtocolIsAUsageError() {
        assertEquals(2, run("0", "-p", "HTTP/2.0", "-d", dir.toString()));
        assertTrue(err.toString().contains("unsupported protocol HTTP/2.0"), err.toString());
    }

    @Test
    void nonPositiveTimeoutIsAUsageError() {
        assertEquals(2, run("0", "--idle-timeout", "-1", "-d", dir.toString()));
        assertTrue(err.toString().contains("--idle-timeout must be a positive number of seconds"), err.toString());
    }

    @Test
    void cgiMaxProcessesBelowOneIsAUsageError() {
        assertEquals(2, run("0", "--cgi", "--cgi-max-processes", "0", "-d", dir.toString()));
        assertTrue(err.toString().contains("--cgi-max-processes must be at least 1, not 0"), err.toString());
    }

    @Test
    void limitErrorsNameTheFlagNotTheJavaField() {
        String d = dir.toString();
        assertOneLineError(2, "--max-body-size must be a number of bytes, or -1 for no limit, not -5",
                "0", "-d", d, "--max-body-size", "-5");
        assertOneLineError(2, "--max-connections must be at least 1, not 0", "0", "-d", d, "--max-connections", "0");
        assertOneLineError(2, "--shutdown-timeout must be 0 or a positive number of seconds", "0", "-d", d,
                "--shutdown-timeout", "-2");
        assertOneLineError(2, "--write-timeout must be a positive number of seconds", "0", "-d", d,
                "--write-timeout", "0");
        for (String field : new String[] {"maxBodySize", "maxConnections", "shutdownTimeout", "writeTimeout"}) {
            assertFalse(err.toString().contains(field), err.toString());
        }
    }

    @Test
    void selfSignedCertificateAndKeyOutFiles() throws Exception {
        String d = dir.toString();
        Path cert = dir.resolve("out-cert.pem");
        Path key = dir.resolve("out-key.pem");
        assertOneLineError(2, "--tls-self-signed-cert-out requires --tls-self-signed", "0", "-d", d,
                "--tls-self-signed-cert-out", cert.toString());
        assertOneLineError(2, "--tls-self-signed-key-out requires --tls-self-signed", "0", "-d", d,
                "--tls-self-signed-key-out", key.toString());
        assertOneLineError(2, "name the same file", "0", "-d", d, "--tls-self-signed",
                "--tls-self-signed-cert-out", cert.toString(), "--tls-self-signed-key-out", cert.toString());
        Path readable = dir.resolve("readable.pem");
        Files.writeString(readable, "someone's file");
        Files.setPosixFilePermissions(readable, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertOneLineError(1, "others may read it", "0", "-b", "127.0.0.1", "-d", d, "--tls-self-signed",
                "--tls-self-signed-key-out", readable.toString());
        assertEquals("someone's file", Files.readString(readable), "left as it was");
        assertOneLineError(1, "--tls-self-signed-cert-out: cannot write", "0", "-b", "127.0.0.1", "-d", d,
                "--tls-self-signed", "--tls-self-signed-cert-out", dir.resolve("no/such/dir/c.pem").toString());

        out.getBuffer().setLength(0);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        HttpServer server = serve(exit, "0", "-b", "127.0.0.1", "-d", d, "--tls-self-signed",
                "--tls-self-signed-cert-out", cert.toString(), "--tls-self-signed-key-out", key.toString());
        try {
            java.security.cert.X509Certificate written = (java.security.cert.X509Certificate)
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(Files.newInputStream(cert));
            String printed = out.toString();
            assertTrue(printed.contains(SelfSigned.sha256Fingerprint(written)), "the file holds the certificate served: "
                    + printed);
            assertTrue(printed.contains("curl --cacert " + cert + " https://localhost:" + server.serverPort() + "/"),
                    printed);
            assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(cert)));
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(key)));
        } finally {
            server.shutdown();
        }
        assertEquals(0, exit.get(20, TimeUnit.SECONDS), () -> out + "\n" + err);
    }

    @Test
    void portInUseFailsWithOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(1, run(Integer.toString(taken.getLocalPort()), "-b", "127.0.0.1", "-d", dir.toString()));
        }
        String e = err.toString();
        assertTrue(e.contains("already in use"), e);
        assertEquals(1, e.strip().lines().count(), e);
    }

    @Test
    void helpListsCpythonsOptions() {
        assertEquals(0, run("--help"));
        for (String flag : new String[] {"--bind", "--directory", "--protocol", "--cgi", "--tls-cert", "--tls-key",
            "--tls-password-file", "--cgi-max-processes", "port"}) {
            assertTrue(out.toString().contains(flag), flag);
        }
        assertTrue(out.toString().contains("HTTP/1.0"), "help says how to get CPython's protocol");
    }

    // ---- HTTPS and HTTP/2 ----

    private static HttpClient trusting(java.security.cert.X509Certificate cert, HttpClient.Version version) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("localhost", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).version(version).build();
    }

    private HttpServer serve(CompletableFuture<Integer> exit, String... args) throws Exception {
        CompletableFuture<HttpServer> serving = new CompletableFuture<>();
        exit.completeAsync(() -> Cli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), serving::complete));
        try {
            return serving.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no server: " + out + err + exit.getNow(null), e);
        }
    }

    @Test
    void servingOptionsReachTheFilesAndTheCgiHandler() throws Exception {
        Files.writeString(dir.resolve("f.zzz"), "data");
        for (boolean cgi : new boolean[] {false, true}) {
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("0", "-b", "127.0.0.1", "-d",
                    dir.toString(), "-H", "X-A: one", "--header", "X-B:two", "--cors", "--cache-control", "no-store",
                    "--content-type", "text/plain"));
            if (cgi) {
                args.add("--cgi");
            }
            HttpServer server = serve(exit, args.toArray(new String[0]));
            try {
                java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.serverPort()
                                + "/f.zzz")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals("one", r.headers().firstValue("X-A").orElse(null), "cgi=" + cgi);
                assertEquals("two", r.headers().firstValue("X-B").orElse(null));
                assertEquals("*", r.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
                assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
                assertEquals("text/plain", r.headers().firstValue("Content-Type").orElse(null));
            } finally {
                server.shutdown();
            }
            assertEquals(0, exit.get(20, TimeUnit.SECONDS), () -> out + "\n" + err);
        }
    }

    @Test
    void badServingOptionsAreOneLineNamingTheFlag() {
        String d = dir.toString();
        assertOneLineError(2, "-H/--header takes one 'Name: value' argument, not nocolon", "0", "-d", d, "-H", "nocolon");
        assertOneLineError(2, "-H/--header: not a header field name", "0", "-d", d, "-H", "bad name: x");
        assertOneLineError(2, "--content-type: not a media type", "0", "-d", d, "--content-type", "plain");
        assertOneLineError(2, "--symlinks takes follow or within, not nowhere", "0", "-d", d, "--symlinks", "nowhere");
        assertOneLineError(2, "--upload-overwrite requires --upload", "0", "-d", d, "--upload-overwrite");
        assertOneLineError(2, "--upload-max-size requires --upload", "0", "-d", d, "--upload-max-size", "10");
        assertOneLineError(2, "--upload-max-size must be a number of bytes, or -1 for no limit, not -2", "0", "-d", d,
                "--upload", "--upload-max-size", "-2");
    }

    @Test
    void dotfilesAndSymlinkFlagsReachTheHandler(@org.junit.jupiter.api.io.TempDir Path outside) throws Exception {
        Files.writeString(dir.resolve(".env"), "x");
        Files.writeString(outside.resolve("o.txt"), "o");
        Files.createSymbolicLink(dir.resolve("out"), outside);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        HttpServer server = serve(exit, "0", "-b", "127.0.0.1", "-d", dir.toString(), "--hide-dotfiles", "--symlinks",
                "within");
        try {
            java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
            for (String p : new String[] {"/.env", "/out/o.txt"}) {
                assertEquals(404, c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + server.serverPort() + p)).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                        .statusCode(), p);
            }
        } finally {
            server.shutdown();
        }
        assertEquals(0, exit.get(20, TimeUnit.SECONDS), () -> out + "\n" + err);
    }

    @Test
    void servesHttpsWithCertKeyAndPasswordFile() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "secret file");
        SelfSigned cert = SelfSigned.generate();
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        cert.writePem(certFile, keyFile);
        Path passwordFile = dir.resolve("password.txt");
        Files.writeString(passwordFile, "ignored for an unencrypted key\nsecond line\n");
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        HttpServer server = serve(exit, "0", "-b", "127.0.0.1", "-d", dir.toString(), "--tls-cert", certFile.toString(),
                "--tls-key", keyFile.toString(), "--tls-password-file", passwordFile.toString());
        int port = server.serverPort();
        assertEquals("Serving HTTPS on 127.0.0.1 port " + port + " (https://127.0.0.1:" + port + "/) ...",
                out.toString().strip(), "CPython 3.14's line");
        assertTrue(server.isSecure());
        assertEquals(List.of("h2", "http/1.1"), server.alpnProtocols(), "HTTP/2 offered by default");
        HttpResponse<String> r = trusting(cert.certificate(), HttpClient.Version.HTTP_2).send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + port + "/f.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("secret file", r.body());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    @Test
    void selfSignedPrintsItsFingerprintAndAlpnCanBeNarrowed() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "file body");
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        HttpServer server = serve(exit, "0", "-b", "127.0.0.1", "-d", dir.toString(), "--tls-self-signed",
                "--alpn", "http/1.1");
        int port = server.serverPort();
        List<String> lines = out.toString().strip().lines().toList();
        assertEquals("Serving HTTPS on 127.0.0.1 port " + port + " (https://127.0.0.1:" + port + "/) ...", lines.get(0));
        assertTrue(lines.get(1).matches("TLS certificate \\(self-signed, localhost\\) SHA-256 fingerprint: "
                + "([0-9A-F]{2}:){31}[0-9A-F]{2}"), lines.get(1));
        assertEquals(List.of("http/1.1"), server.alpnProtocols());
        // The fingerprint printed is that of the certificate served.
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) trustAll().getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        java.security.cert.X509Certificate served = (java.security.cert.X509Certificate) s.getSession().getPeerCertificates()[0];
        s.close();
        assertTrue(lines.get(1).endsWith(SelfSigned.sha256Fingerprint(served)), lines.get(1));
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    @Test
    void h2cFlagSpeaksCleartextHttp2() throws Exception {
        Files.writeString(dir.resolve("f.txt"), "file body");
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        HttpServer server = serve(exit, "0", "-b", "127.0.0.1", "-d", dir.toString(), "--h2c");
        int port = server.serverPort();
        assertTrue(out.toString().startsWith("Serving HTTP on 127.0.0.1 port " + port), out.toString());
        assertTrue(server.isH2c());
        HttpResponse<String> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/f.txt")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("file body", r.body());
        assertEquals(HttpClient.Version.HTTP_2, r.version(), "upgraded to h2c");
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS));
    }

    private void assertOneLineError(int code, String expected, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertEquals(code, run(args), () -> String.join(" ", args) + " -> " + err);
        String e = err.toString().strip();
        assertTrue(e.startsWith("error: ") && e.contains(expected), e);
        assertEquals(1, e.lines().count(), "one line: " + e);
        assertFalse(e.contains("Exception") || e.contains("\tat "), e);
        assertFalse(out.toString().contains("Serving"), out.toString());
    }

    @Test
    void tlsMistakesAreOneClearLine() throws Exception {
        SelfSigned cert = SelfSigned.generate();
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        cert.writePem(certFile, keyFile);
        String d = dir.toString();
        // usage errors: exit 2
        assertOneLineError(2, "--tls-key requires --tls-cert", "0", "-d", d, "--tls-key", keyFile.toString());
        assertOneLineError(2, "--tls-password-file requires --tls-cert", "0", "-d", d, "--tls-password-file", keyFile.toString());
        assertOneLineError(2, "cannot be used together", "0", "-d", d, "--tls-cert", certFile.toString(), "--tls-self-signed");
        assertOneLineError(2, "--alpn requires", "0", "-d", d, "--alpn", "h2");
        assertOneLineError(2, "'h3'", "0", "-d", d, "--tls-self-signed", "--alpn", "h2,h3");
        assertOneLineError(2, "--h2c is cleartext", "0", "-d", d, "--tls-self-signed", "--h2c");
        assertOneLineError(2, "cannot read the TLS password file", "0", "-d", d, "--tls-cert", certFile.toString(),
                "--tls-password-file", dir.resolve("none.txt").toString());
        // start failures: exit 1, the message names the file
        Path missing = dir.resolve("missing.pem");
        assertOneLineError(1, missing.toString(), "0", "-b", "127.0.0.1", "-d", d, "--tls-cert", missing.toString());
        assertOneLineError(1, certFile.toString(), "0", "-b", "127.0.0.1", "-d", d, "--tls-cert", certFile.toString()); // no key in it
        Path encrypted = dir.resolve("enc.pem");
        var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC).setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .setPassword("right one".toCharArray()).build();
        java.io.StringWriter pem = new java.io.StringWriter();
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
            w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(cert.privateKey(), encryptor));
        }
        Files.writeString(encrypted, pem.toString());
        Path wrong = dir.resolve("wrong.txt");
        Files.writeString(wrong, "not it\n");
        assertOneLineError(1, "password", "0", "-b", "127.0.0.1", "-d", d, "--tls-cert", certFile.toString(),
                "--tls-key", encrypted.toString(), "--tls-password-file", wrong.toString());
        // and the right password (the first line, its newline stripped) works
        Path right = dir.resolve("right.txt");
        Files.writeString(right, "right one\r\n");
        out.getBuffer().setLength(0);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        HttpServer server = serve(exit, "0", "-b", "127.0.0.1", "-d", d, "--tls-cert", certFile.toString(),
                "--tls-key", encrypted.toString(), "--tls-password-file", right.toString());
        assertTrue(server.isSecure());
        server.shutdown();
        assertEquals(0, exit.get(20, TimeUnit.SECONDS), () -> out + "\n" + err);
    }

    @Test
    void everyClassTheWarmUpNamesExists() throws Exception {
        // a renamed class would only slow the start down, silently: the list must follow the code
        String list;
        try (java.io.InputStream in = Main.class.getResourceAsStream("warm-up.txt")) {
            assertTrue(in != null, "warm-up.txt beside Main");
            list = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
        java.util.List<String> missing = new java.util.ArrayList<>();
        int named = 0;
        for (String name : list.split("\n")) {
            if (name.isBlank()) {
                continue;
            }
            named++;
            try {
                Class.forName(name.trim(), false, Main.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            }
        }
        assertTrue(named > 100, "the list names the classes of a plain run: " + named);
        assertEquals(java.util.List.of(), missing);
    }

    @Test
    void helpListsTheTlsAndHttp2Flags() {
        assertEquals(0, run("--help"));
        for (String flag : new String[] {"--tls-self-signed", "--tls-self-signed-cert-out", "--tls-self-signed-key-out",
            "--alpn", "--h2c", "--header", "--cors", "--content-type", "--cache-control", "--hide-dotfiles", "--symlinks", "--upload", "--upload-max-size", "--upload-overwrite"}) {
            assertTrue(out.toString().contains(flag), flag);
        }
    }
}
