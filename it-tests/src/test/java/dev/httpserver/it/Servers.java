package dev.httpserver.it;

import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.ThreadingHttpServer;
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
        CLI("cli", false), LIBRARY("library", false), CLI_IPV6("cli on ::1", true), LIBRARY_IPV6("library on ::1", true);

        final String label;
        final boolean ipv6;

        Target(String label, boolean ipv6) {
            this.label = label;
            this.ipv6 = ipv6;
        }
    }

    static final int SMALL_SIZE = 1024;
    static final int BIG_SIZE = 16 << 20;
    static final int POST_SIZE = 200 * 1024;
    static final int UPLOAD_SIZE = 64 << 20;
    /** The modification time of {@code small.bin}, for the If-Modified-Since scenario. */
    static final Instant SMALL_MTIME = Instant.parse("2020-01-01T00:00:00Z");

    final Path root;
    final Path inputs;
    final Path small;
    final Path big;
    final Path postBody;
    final Path upload;
    byte[] uploadSha256;

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
        postBody = inputs.resolve("post.bin");
        upload = inputs.resolve("upload.bin");
    }

    /** Writes the content and starts the servers; on failure {@link #close()} still cleans up what started. */
    void start() throws IOException, InterruptedException {
        writeRandom(small, SMALL_SIZE, 1);
        Files.setLastModifiedTime(small, FileTime.from(SMALL_MTIME));
        writeRandom(big, BIG_SIZE, 2);
        Path docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(docs.resolve("a.txt"), "a\n");
        Files.writeString(docs.resolve("b c.txt"), "b c\n");
        Files.createDirectories(docs.resolve("sub"));
        writeRandom(postBody, POST_SIZE, 3);
        uploadSha256 = writeRandom(upload, UPLOAD_SIZE, 4);

        startCli(Target.CLI, "127.0.0.1");
        startLibrary(Target.LIBRARY, "127.0.0.1");
        ipv6Missing = ipv6Missing();
        if (ipv6Missing == null) {
            startCli(Target.CLI_IPV6, "::1");
            startLibrary(Target.LIBRARY_IPV6, "::1");
        }
    }

    private void startCli(Target target, String bind) throws IOException, InterruptedException {
        CliProcess cli = CliProcess.start(bind, root);
        clis.put(target, cli);
        addresses.put(target, new InetSocketAddress(InetAddress.getByName(bind), cli.port()));
        // the URL the CLI printed, so a wrong form there (an IPv6 address without brackets) fails the scenarios
        baseUrls.put(target, "http://" + cli.printedUrlHost() + ":" + cli.port());
    }

    private void startLibrary(Target target, String bind) throws IOException {
        HttpServer server = new ThreadingHttpServer(new InetSocketAddress(InetAddress.getByName(bind), 0),
                () -> new LibraryHandler(root));
        libraries.put(target, server);
        addresses.put(target, server.serverAddress());
        String host = target.ipv6 ? "[" + bind + "]" : bind;
        baseUrls.put(target, "http://" + host + ":" + server.serverPort());
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
