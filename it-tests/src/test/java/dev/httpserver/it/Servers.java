package dev.httpserver.it;

import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.ThreadingHttpServer;
import dev.httpserver.netty.ThreadingHttpsServer;
import dev.httpserver.netty.tls.SelfSigned;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * What the scenarios run against: a served folder with known content, the real CLI as a process
 * and the library in-process ({@link ThreadingHttpServer} with {@link LibraryHandler}), each on a free
 * port of {@code 127.0.0.1} and, where the machine has IPv6, of {@code ::1}; plus the request
 * bodies to upload. {@link #close()} stops everything, checks that nothing listens any more and
 * that the CLI reported no leak, and deletes the files.
 */
final class Servers implements AutoCloseable {

    /** A server the scenarios can address. */
    enum Target {
        CLI("cli", false), LIBRARY("library", false), CLI_IPV6("cli on ::1", true), LIBRARY_IPV6("library on ::1", true),
        /** The CLI with --tls-cert, --tls-key (encrypted) and --tls-password-file; ALPN h2,http/1.1 by default. */
        CLI_HTTPS("cli over HTTPS", false, true),
        /** ThreadingHttpsServer(certfile, keyfile, ALPN h2 and http/1.1). */
        LIBRARY_HTTPS("library over HTTPS", false, true),
        /** The CLI with --h2c. */
        CLI_H2C("cli with --h2c", false),
        /** The library with h2c(true). */
        LIBRARY_H2C("library with h2c", false),
        /** The CLI with --cgi. */
        CLI_CGI("cli with --cgi", false),
        /** The CLI with --compress (on-the-fly gzip of text). */
        CLI_COMPRESS("cli with --compress", false);

        final String label;
        final boolean ipv6;
        final boolean tls;

        Target(String label, boolean ipv6) {
            this(label, ipv6, false);
        }

        Target(String label, boolean ipv6, boolean tls) {
            this.label = label;
            this.ipv6 = ipv6;
            this.tls = tls;
        }
    }

    /** The password of {@link #tlsKey}, kept in {@link #tlsPasswordFile} (first line). */
    static final String TLS_PASSWORD = "it-tests password";

    static final int SMALL_SIZE = 1024;
    static final int BIG_SIZE = 16 << 20;
    static final int POST_SIZE = 200 * 1024;
    static final int UPLOAD_SIZE = 64 << 20;
    /** The size of {@code huge.bin}, for segmented downloads (aria2c). */
    static final int HUGE_SIZE = 64 << 20;
    /** The modification time of {@code small.bin}, for the If-Modified-Since scenario. */
    static final Instant SMALL_MTIME = Instant.parse("2020-01-01T00:00:00Z");

    final Path root;
    final Path inputs;
    final Path small;
    final Path big;
    /** 64 MiB of random bytes. */
    final Path huge;
    /** About 100 KB of text, without a precompressed form (on-the-fly compression compresses it). */
    final Path text;
    /** About 100 KB of text, with its gzip form {@link #pageGz} beside it (page.txt.gz). */
    final Path page;
    final Path pageGz;
    final Path postBody;
    final Path upload;
    byte[] uploadSha256;
    /** The self-signed localhost certificate of the HTTPS targets: the CA file for {@code curl --cacert}. */
    final Path tlsCert;
    final Path tlsKey;
    final Path tlsPasswordFile;

    private final Map<Target, CliProcess> clis = new EnumMap<>(Target.class);
    private final Map<Target, HttpServer> libraries = new EnumMap<>(Target.class);
    private final Map<Target, InetSocketAddress> addresses = new EnumMap<>(Target.class);
    private final Map<Target, String> baseUrls = new EnumMap<>(Target.class);
    private String ipv6Missing;

    Servers() throws IOException {
        root = Files.createTempDirectory("it-served-");
        inputs = Files.createTempDirectory("it-inputs-");
        small = root.resolve("small.bin");
        big = root.resolve("big.bin");
        huge = root.resolve("huge.bin");
        text = root.resolve("text.txt");
        page = root.resolve("page.txt");
        pageGz = root.resolve("page.txt.gz");
        postBody = inputs.resolve("post.bin");
        upload = inputs.resolve("upload.bin");
        Path tls = Files.createTempDirectory("it-tls-");
        tlsCert = tls.resolve("cert.pem");
        tlsKey = tls.resolve("key.pem");
        tlsPasswordFile = tls.resolve("password.txt");
    }

    /** Writes the content and starts the servers; on failure {@link #close()} still cleans up what started. */
    void start() throws IOException, InterruptedException {
        writeRandom(small, SMALL_SIZE, 1);
        Files.setLastModifiedTime(small, FileTime.from(SMALL_MTIME));
        writeRandom(big, BIG_SIZE, 2);
        writeRandom(huge, HUGE_SIZE, 5);
        writeText(text, 6);
        writeText(page, 7);
        try (OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(pageGz))) {
            Files.copy(page, out);
        }
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "a\n");
        Files.writeString(docs.resolve("b c.txt"), "b c\n");
        Files.createDirectories(docs.resolve("sub"));
        writeRandom(postBody, POST_SIZE, 3);
        uploadSha256 = writeRandom(upload, UPLOAD_SIZE, 4);

        writeTlsFiles();
        writeCgiScript();

        startCli(Target.CLI, "127.0.0.1");
        startLibrary(Target.LIBRARY, "127.0.0.1");
        startCli(Target.CLI_HTTPS, "127.0.0.1", "--tls-cert", tlsCert.toString(), "--tls-key", tlsKey.toString(),
                "--tls-password-file", tlsPasswordFile.toString());
        startLibrary(Target.LIBRARY_HTTPS, "127.0.0.1");
        startCli(Target.CLI_H2C, "127.0.0.1", "--h2c");
        startCli(Target.CLI_CGI, "127.0.0.1", "--cgi");
        startCli(Target.CLI_COMPRESS, "127.0.0.1", "--compress");
        startLibrary(Target.LIBRARY_H2C, "127.0.0.1");
        ipv6Missing = ipv6Missing();
        if (ipv6Missing == null) {
            startCli(Target.CLI_IPV6, "::1");
            startLibrary(Target.LIBRARY_IPV6, "::1");
        }
    }

    /**
     * cgi-bin/echo.sh: prints its method, query and the byte count of its body. The served folder is
     * made readable by everyone: as root, the server runs scripts as nobody.
     */
    private void writeCgiScript() throws IOException {
        Path bin = Files.createDirectories(root.resolve("cgi-bin"));
        Path script = bin.resolve("echo.sh");
        Files.writeString(script, "#!/bin/sh\n"
                + "printf 'Content-Type: text/plain\\r\\nX-Cgi: yes\\r\\n\\r\\n'\n"
                + "printf '%s %s %s\\n' \"$REQUEST_METHOD\" \"$QUERY_STRING\" \"$(wc -c | tr -d ' ')\"\n");
        java.util.Set<java.nio.file.attribute.PosixFilePermission> rx =
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
        for (Path p : new Path[] {root, bin, script}) {
            Files.setPosixFilePermissions(p, rx);
        }
    }

    private void startCli(Target target, String bind, String... extra) throws IOException, InterruptedException {
        CliProcess cli = CliProcess.start(bind, root, extra);
        clis.put(target, cli);
        addresses.put(target, new InetSocketAddress(InetAddress.getByName(bind), cli.port()));
        // the URL the CLI printed, so a wrong form there (an IPv6 address without brackets) fails the scenarios
        baseUrls.put(target, (target.tls ? "https://" : "http://") + cli.printedUrlHost() + ":" + cli.port());
    }

    private void startLibrary(Target target, String bind) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(bind), 0);
        HttpServer server;
        if (target.tls) {
            server = new ThreadingHttpsServer(address, () -> new LibraryHandler(root), tlsCert, tlsKey,
                    TLS_PASSWORD.toCharArray(), List.of("h2", "http/1.1"));
        } else if (target == Target.LIBRARY_H2C) {
            server = HttpServer.builder().address(address).handler(() -> new LibraryHandler(root)).h2c(true).build().start();
        } else {
            server = new ThreadingHttpServer(address, () -> new LibraryHandler(root));
        }
        libraries.put(target, server);
        addresses.put(target, server.serverAddress());
        String host = target.ipv6 ? "[" + bind + "]" : bind;
        baseUrls.put(target, (target.tls ? "https://" : "http://") + host + ":" + server.serverPort());
    }

    /**
     * A new self-signed certificate for localhost (SAN 127.0.0.1, ::1), its key encrypted with
     * {@link #TLS_PASSWORD} (PKCS#8, AES-256) and the password file, as a user would have them.
     */
    private void writeTlsFiles() throws IOException {
        SelfSigned cert = SelfSigned.generate();
        Files.writeString(tlsCert, cert.certificatePem());
        try {
            var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                    org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                    .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                    .setPassword(TLS_PASSWORD.toCharArray()).build();
            java.io.StringWriter pem = new java.io.StringWriter();
            try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pem)) {
                w.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(cert.privateKey(), encryptor));
            }
            Files.writeString(tlsKey, pem.toString());
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot encrypt the test key: " + e.getMessage(), e);
        }
        Files.writeString(tlsPasswordFile, TLS_PASSWORD + "\n");
    }

    /** Why ::1 cannot be used here, or null when it can. */
    private static String ipv6Missing() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return null;
        } catch (IOException e) {
            return "this machine cannot listen on ::1 (" + e.getMessage() + ")";
        }
    }

    /** Null when the target is running; else why not (only the IPv6 targets can be missing). */
    String unavailable(Target target) {
        return target.ipv6 ? ipv6Missing : null;
    }

    /** {@code http://127.0.0.1:PORT}, {@code http://[::1]:PORT}, without a trailing slash. */
    String baseUrl(Target target) {
        String url = baseUrls.get(target);
        if (url == null) {
            throw new IllegalStateException(target + " is not running");
        }
        return url;
    }

    /** The CLI process serving {@code target}, or null for a library target. */
    CliProcess cli(Target target) {
        return clis.get(target);
    }

    /** Bytes of random content from {@code seed}; returns their SHA-256. */
    private static byte[] writeRandom(Path file, int size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        MessageDigest sha256 = sha256();
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < size; ) {
                int n = Math.min(block.length, size - written);
                random.nextBytes(block);
                out.write(block, 0, n);
                sha256.update(block, 0, n);
                written += n;
            }
        }
        return sha256.digest();
    }

    /** About 100 KB of numbered lines of words, from {@code seed}. */
    private static void writeText(Path file, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        String[] words = {"alpha", "beta", "gamma", "delta", "range", "resume", "segment", "header"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 100_000; i++) {
            sb.append(i).append(' ').append(words[random.nextInt(words.length)]).append(' ')
                    .append(words[random.nextInt(words.length)]).append('\n');
        }
        Files.writeString(file, sb);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Target, CliProcess> e : clis.entrySet()) {
            CliProcess cli = e.getValue();
            cli.close();
            if (!cli.leakReports().isEmpty()) {
                problems.add("the CLI (" + e.getKey().label + ") reported Netty leaks:\n"
                        + String.join("\n", cli.leakReports()) + cli.describe());
            }
        }
        for (HttpServer server : libraries.values()) {
            try {
                server.close();
            } catch (RuntimeException e) {
                problems.add("closing " + server + " failed: " + e);
            }
        }
        for (Map.Entry<Target, InetSocketAddress> e : addresses.entrySet()) {
            if (accepts(e.getValue())) {
                problems.add("something still listens on " + e.getValue() + " (" + e.getKey().label + ") after stopping it");
            }
        }
        deleteTree(root);
        deleteTree(inputs);
        deleteTree(tlsCert.getParent());
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n\n", problems));
        }
    }

    /** Whether a TCP connection to {@code address} is accepted. */
    static boolean accepts(InetSocketAddress address) {
        try (Socket s = new Socket()) {
            s.connect(address, 2_000);
            return true;
        } catch (IOException e) { // refused, or no answer within the timeout
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not a test failure
        }
    }
}
