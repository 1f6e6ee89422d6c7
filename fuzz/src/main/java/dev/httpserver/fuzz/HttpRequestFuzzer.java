package dev.httpserver.fuzz;

import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.Limits;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;

/**
 * Jazzer fuzz target: each input is the raw bytes a client sends on one fresh connection to one real
 * {@link HttpServer} (the whole Netty pipeline: {@code ConnectionGuard}, {@code HttpServerCodec},
 * {@code HandlerBridge}, a handler thread running a {@link FuzzHandler}: the stock file server over a
 * small directory, with a {@code doPOST} that reads the body and answers its length).
 *
 * <p>Per input: connect, write the bytes, read what comes back, half-close ({@code shutdownOutput}),
 * read until the server closes. The 7 bytes {@code \0PAUSE\0} in an input are not sent: the writer
 * stops there until the reply has been quiet for a moment (up to 8 pauses), so that requests can
 * arrive on an idle keep-alive connection, a body can stall, and so on. A finding ({@link ServerFinding}) is:
 * <ul>
 *   <li>a reply that is not nothing or a sequence of well-formed HTTP/1.x responses
 *       ({@link ResponseChecker}), or a 5xx other than 501 (unknown method) and 505 (HTTP version);</li>
 *   <li>no end of the reply within {@code fuzz.replyTimeoutMillis} (2 s) after the half-close (a hang);</li>
 *   <li>anything the server's threads write to standard error (a handler's exception, an unexpected
 *       error on a connection, a Netty warning), its request log aside;</li>
 *   <li>a buffer leak reported by Netty's detector, which runs at {@code paranoid} (a GC is forced every
 *       {@code fuzz.gcEvery} inputs);</li>
 *   <li>a server that stops serving: every 100 inputs a known file is fetched and compared, and the
 *       server must have closed every connection (its connection count back to 0);</li>
 *   <li>the contents or name of a file outside the served directory in a reply (path traversal).</li>
 * </ul>
 *
 * <p>When the server closes a connection as soon as the client half-closes it (it then drops the
 * answers it had not written yet), the target waits until the reply has been quiet for
 * {@code fuzz.quietMillis} (20 ms) before half-closing, and accepts a last response cut short by that
 * close. It finds out which way the server behaves when it starts, and says so.
 */
public final class HttpRequestFuzzer {

    private static final int REPLY_TIMEOUT_MS = Integer.getInteger("fuzz.replyTimeoutMillis", 2000);
    private static final int QUIET_MS_SETTING = Integer.getInteger("fuzz.quietMillis", 20);
    private static final int GC_EVERY = Integer.getInteger("fuzz.gcEvery", 50);
    private static final int ALIVE_EVERY = 100;
    private static final int MAX_REPLY = 64 << 20;
    private static final int STARTUP_TIMEOUT_MS = 60_000;
    /** Longest time a single exchange may take in all (a reply that trickles forever). */
    private static final long EXCHANGE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(8);

    private static final PrintStream LOG;
    private static final Path WORK;
    private static final Path DOCROOT;
    private static final byte[] KNOWN_BODY;
    private static final byte[][] FORBIDDEN;
    private static final HttpServer SERVER;
    private static final InetSocketAddress ADDRESS;
    private static final boolean HALF_CLOSE_ANSWERED;
    private static final int QUIET_MS;
    private static final ExecutorService WRITER;
    private static final long BASE_FDS;
    private static final SilentCloseable NETWORK_POLICY;
    private static final boolean SSRF_DETECTOR = present("com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery");

    /** The statuses of the last reply and how its connection ended (for {@link Replay}). */
    static String lastSummary = "";
    private static long inputs;
    private static long replies;
    private static long cutReplies;
    private static long resets;
    private static final Map<Integer, Long> STATUSES = new TreeMap<>();
    /** Findings acknowledged as known ({@code -Dfuzz.known=header-ctl;5xx~text}): counted, not thrown. */
    private static final List<String> KNOWN = Stream.of(System.getProperty("fuzz.known", "").split(";"))
            .map(String::strip).filter(e -> !e.isEmpty()).collect(Collectors.toList());
    private static final Map<String, Long> KNOWN_SEEN = new TreeMap<>();

    static {
        try {
            // Before any Netty class exists: the strictest leak detector, and one that records.
            if (System.getProperty("io.netty.leakDetection.level") == null) {
                System.setProperty("io.netty.leakDetection.level", "paranoid");
            }
            if (System.getProperty("io.netty.leakDetection.targetRecords") == null) {
                System.setProperty("io.netty.leakDetection.targetRecords", "4");
            }
            ErrorWatch.install();
            LOG = ErrorWatch.out();
            LeakRecorder.install();
            if (ResourceLeakDetector.getLevel() != ResourceLeakDetector.Level.PARANOID) {
                throw new IllegalStateException("Netty's leak detector must run at paranoid, not "
                        + ResourceLeakDetector.getLevel() + " (-Dio.netty.leakDetection.level=paranoid)");
            }
            ErrorWatch.clientThread(Thread.currentThread());
            try {
                LeakRecorder.selfTest();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ErrorWatch.drain(); // Netty's own report of that leak

            String base = System.getProperty("fuzz.workdir");
            WORK = base == null ? Files.createTempDirectory("http-server-fuzz-") : Files.createDirectories(Path.of(base));
            DOCROOT = Files.createDirectories(WORK.resolve("www"));
            KNOWN_BODY = "hello from the fuzz target\n".getBytes(StandardCharsets.US_ASCII);
            String secret = "SECRET-" + UUID.randomUUID();
            String outsideName = "outside-" + UUID.randomUUID().toString().substring(0, 8) + ".txt";
            FORBIDDEN = new byte[][] {secret.getBytes(StandardCharsets.US_ASCII), outsideName.getBytes(StandardCharsets.US_ASCII)};
            populate(DOCROOT, secret, outsideName);

            WRITER = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "fuzz-writer");
                t.setDaemon(true);
                ErrorWatch.clientThread(t);
                return t;
            });

            SERVER = HttpServer.builder()
                    .address("127.0.0.1", 0)
                    .handler(FuzzHandler.factory(DOCROOT))
                    .limits(Limits.defaults()
                            .withHeaderTimeout(Duration.ofMillis(500))
                            .withBodyTimeout(Duration.ofMillis(500)))
                    .build()
                    .start();
            ADDRESS = new InetSocketAddress("127.0.0.1", SERVER.serverPort());
            if (SSRF_DETECTOR) {
                // Jazzer's SSRF detector flags every connection unless allowed: allow exactly the server's,
                // for the whole run (the policy is never closed).
                NETWORK_POLICY = BugDetectors.allowNetworkConnections(serverOnly(ADDRESS.getPort()));
            } else {
                NETWORK_POLICY = null;
            }
            try {
                // The first requests load (and instrument) much of Netty and the server: slow, so patient.
                aliveCheck("at start", STARTUP_TIMEOUT_MS);
                // A response in flight when the client half-closes can be cut (a known race, in the README's
                // "Known problems"), too rarely for the probe to see every time: trusted only when asked.
                HALF_CLOSE_ANSWERED = probeHalfClose() && Boolean.getBoolean("fuzz.trustHalfCloseProbe");
            } catch (IOException | RuntimeException | Error e) {
                SERVER.close();
                throw e;
            }
            QUIET_MS = HALF_CLOSE_ANSWERED ? 0 : Math.max(1, QUIET_MS_SETTING);
            BASE_FDS = openFiles();
            Runtime.getRuntime().addShutdownHook(new Thread(HttpRequestFuzzer::stop, "fuzz-stop"));
            String startup = ErrorWatch.drain();
            if (!startup.isEmpty()) {
                LOG.println("fuzz: the server wrote this while starting (not counted as a finding):\n" + startup);
            }
            LeakRecorder.drain();
            LOG.println("fuzz: " + SERVER + ", serving " + DOCROOT + "; leak detection "
                    + ResourceLeakDetector.getLevel() + "; "
                    + (HALF_CLOSE_ANSWERED
                        ? "the server answers after the client half-closes: no wait before shutdownOutput"
                        : "NOTE: the server drops its answers when the client half-closes right after a request;"
                            + " waiting for " + QUIET_MS + " ms of quiet before shutdownOutput"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequestFuzzer() {
    }

    /**
     * Called by Jazzer once before fuzzing: its only effect is this class's initialisation (the server,
     * the checks), which may take seconds on a cold, instrumented JVM and so must not count against the
     * first input's {@code -timeout}.
     */
    public static void fuzzerInitialize() {
        LOG.flush();
    }

    /** Jazzer's entry point: one input, one connection. */
    public static void fuzzerTestOneInput(byte[] data) {
        if (inputs == 0) {
            ErrorWatch.clientThread(Thread.currentThread());
        }
        inputs++;
        Reply reply = exchange(data);
        ResponseChecker.Verdict v = ResponseChecker.check(data, reply.bytes, reply.cutAllowed);
        if (!v.ok()) {
            finding(v.kind, "malformed or forbidden reply: " + v.error + describe(data, reply));
        }
        lastSummary = v.statuses + (v.cut ? " (last response cut by the half-close)" : "") + ", " + reply.bytes.length
                + " bytes, " + reply.how;
        replies += v.statuses.isEmpty() ? 0 : 1;
        cutReplies += v.cut ? 1 : 0;
        resets += reply.reset ? 1 : 0;
        for (int s : v.statuses) {
            STATUSES.merge(s, 1L, Long::sum);
        }
        for (byte[] f : FORBIDDEN) {
            if (ResponseChecker.count(reply.bytes, f) > 0) {
                finding("traversal", "path traversal: the reply shows a file outside the served directory ("
                        + new String(f, StandardCharsets.US_ASCII) + ")" + describe(data, reply));
            }
        }
        String errors = ErrorWatch.drain();
        if (!errors.isEmpty()) {
            finding("stderr", "the server reported an error while serving this input:\n" + errors
                    + describe(data, reply));
        }
        if (inputs % GC_EVERY == 0) {
            try {
                LeakRecorder.collect();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> leaks = LeakRecorder.drain();
        if (!leaks.isEmpty()) {
            finding("leak", "Netty reported " + leaks.size() + " leaked buffer(s) (caused by this input or one"
                    + " of the " + GC_EVERY + " before it):\n" + String.join("\n\n", leaks) + describe(data, reply));
        }
        if (inputs % ALIVE_EVERY == 0) {
            aliveCheck("after input " + inputs, REPLY_TIMEOUT_MS);
        }
    }

    /**
     * Throws the finding, with what the server wrote to standard error meanwhile, unless it was
     * acknowledged as known with {@code -Dfuzz.known=ENTRY;ENTRY...}, an entry being a kind
     * ({@code header-ctl}) or a kind and a text the finding contains ({@code 5xx~header Location}):
     * a known bug awaiting its fix is only counted, and shown once.
     */
    private static void finding(String kind, String message) {
        String wrote = ErrorWatch.drain();
        if (!wrote.isEmpty()) {
            message += "\n  the server wrote meanwhile:\n" + wrote;
        }
        for (String entry : KNOWN) {
            int tilde = entry.indexOf('~');
            String k = tilde < 0 ? entry : entry.substring(0, tilde);
            if (k.equals(kind) && (tilde < 0 || message.contains(entry.substring(tilde + 1)))) {
                if (KNOWN_SEEN.merge(entry, 1L, Long::sum) == 1) {
                    LOG.println("fuzz: known finding [" + entry + "] (acknowledged with -Dfuzz.known, not failing): "
                            + message);
                }
                return;
            }
        }
        throw new ServerFinding("[" + kind + "] " + message);
    }

    /** What one exchange gave. */
    static final class Reply {
        final byte[] bytes;
        final boolean cutAllowed;
        final boolean reset;
        final String how;

        Reply(byte[] bytes, boolean cutAllowed, boolean reset, String how) {
            this.bytes = bytes;
            this.cutAllowed = cutAllowed;
            this.reset = reset;
            this.how = how;
        }
    }

    private static Reply exchange(byte[] data) {
        long start = System.nanoTime();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            try {
                s.connect(ADDRESS, REPLY_TIMEOUT_MS);
            } catch (IOException e) {
                throw new ServerFinding("[dead] the server does not accept connections any more: " + e, e);
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            List<byte[]> segments = Pauses.split(data);
            Semaphore quiet = new Semaphore(0);
            AtomicBoolean readerDone = new AtomicBoolean();
            // Written on another thread: a server that answers while the client is still sending
            // must not deadlock the two of them. Between segments (PAUSE), the writer waits until the
            // reply has been quiet for a moment.
            Future<?> writer = WRITER.submit(() -> {
                try {
                    for (int i = 0; i < segments.size(); i++) {
                        if (i > 0) {
                            quiet.drainPermits(); // two quiet periods from now on
                            if (readerDone.get() || !quiet.tryAcquire(2, EXCHANGE_LIMIT_NANOS, TimeUnit.NANOSECONDS)
                                    || readerDone.get()) {
                                return null;
                            }
                        }
                        out.write(segments.get(i));
                        out.flush();
                    }
                } catch (IOException closedByServer) {
                    // the server closed the connection first (an error answered early): fine
                }
                return null;
            });
            boolean halfClosed = false;
            boolean reset = false;
            String how;
            int pauseMs = Math.max(1, QUIET_MS_SETTING);
            s.setSoTimeout(pauseMs);
            byte[] buf = new byte[64 * 1024];
            try {
                while (true) {
                    if (!halfClosed && writer.isDone() && QUIET_MS == 0) {
                        halfClosed = halfClose(s);
                    }
                    int n;
                    try {
                        n = in.read(buf);
                    } catch (SocketTimeoutException timeout) {
                        if (halfClosed) {
                            throw new ServerFinding("[hang] the server neither answered nor closed the connection within "
                                    + REPLY_TIMEOUT_MS + " ms after the client half-closed it (" + afterHang(s, in, got)
                                    + ")" + describe(data, got.toByteArray()));
                        }
                        if (writer.isDone()) {
                            halfClosed = halfClose(s); // the reply has been quiet for QUIET_MS
                        } else {
                            quiet.release();
                            if (System.nanoTime() - start > EXCHANGE_LIMIT_NANOS) {
                                throw new ServerFinding("[hang] the server stopped reading the request for "
                                        + TimeUnit.NANOSECONDS.toSeconds(EXCHANGE_LIMIT_NANOS) + " s ("
                                        + data.length + " bytes to send)" + describe(data, got.toByteArray()));
                            }
                        }
                        continue;
                    } catch (SocketException e) {
                        reset = true; // the server reset the connection (closed with unread input)
                        how = "reset by the server (" + e.getMessage() + ")" + (halfClosed ? " after the half-close" : "");
                        break;
                    }
                    if (n < 0) {
                        how = halfClosed ? "closed by the server after the half-close" : "closed by the server";
                        break;
                    }
                    got.write(buf, 0, n);
                    if (got.size() > MAX_REPLY) {
                        throw new ServerFinding("[runaway] a reply of more than " + MAX_REPLY + " bytes"
                                + describe(data, got.toByteArray()));
                    }
                    if (System.nanoTime() - start > EXCHANGE_LIMIT_NANOS) {
                        throw new ServerFinding("[hang] the reply was still going after "
                                + TimeUnit.NANOSECONDS.toSeconds(EXCHANGE_LIMIT_NANOS) + " s" + describe(data, got.toByteArray()));
                    }
                }
            } finally {
                readerDone.set(true); // a writer waiting in a pause stops there
                quiet.release(2);
            }
            s.close(); // unblocks the writer if the server stopped reading
            try {
                writer.get(REPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new ServerFinding("[hang] the client's write did not end after the connection closed");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // A last response cut short is the server's doing only when it closed by itself, or when it
            // answers after a half-close and still cut it.
            boolean cutAllowed = halfClosed && !HALF_CLOSE_ANSWERED;
            return new Reply(got.toByteArray(), cutAllowed, reset, how);
        } catch (IOException e) {
            throw new ServerFinding("[client] client-side I/O failure: " + e + describe(data, got.toByteArray()), e);
        }
    }

    /** After a hang: whether the connection ends within 5 s more (a slow server) or not (a stuck one). */
    private static String afterHang(Socket s, InputStream in, ByteArrayOutputStream got) {
        long t0 = System.nanoTime();
        try {
            s.setSoTimeout(5000);
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
            return "it closed " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms later";
        } catch (SocketTimeoutException e) {
            return "still open 5 s later";
        } catch (IOException e) {
            return "then: " + e;
        }
    }

    private static boolean halfClose(Socket s) {
        try {
            s.shutdownOutput();
            s.setSoTimeout(REPLY_TIMEOUT_MS);
        } catch (IOException alreadyClosed) {
            // reset by the server in the meantime: the read sees it
        }
        return true;
    }

    /**
     * Whether the server answers complete requests that the client half-closes at once (as
     * {@code printf 'GET / HTTP/1.0\r\n\r\n' | nc -N host port} does; CPython's server does). Asked
     * five times, with two large files to send: a server that closes when it reads the end of the
     * input cannot pass by luck.
     */
    private static boolean probeHalfClose() throws IOException {
        byte[] request = ("GET /big.bin HTTP/1.1\r\nHost: fuzz\r\n\r\nGET /big.bin HTTP/1.1\r\nHost: fuzz\r\n\r\n"
                + "GET /known.txt HTTP/1.1\r\nHost: fuzz\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket()) {
                s.connect(ADDRESS, STARTUP_TIMEOUT_MS);
                s.setSoTimeout(STARTUP_TIMEOUT_MS);
                s.getOutputStream().write(request);
                s.shutdownOutput();
                byte[] reply;
                try {
                    reply = s.getInputStream().readAllBytes();
                } catch (SocketException | SocketTimeoutException e) {
                    return false;
                }
                ResponseChecker.Verdict v = ResponseChecker.check(request, reply, false);
                if (!v.ok() || !v.statuses.equals(List.of(200, 200, 200)) || !endsWith(reply, KNOWN_BODY)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The server still serves: a known file, whole; and no connection is left open. */
    private static void aliveCheck(String when, int timeoutMs) {
        byte[] request = "GET /known.txt HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] reply;
        try (Socket s = new Socket()) {
            s.connect(ADDRESS, timeoutMs);
            s.setSoTimeout(timeoutMs);
            s.getOutputStream().write(request);
            reply = s.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new ServerFinding("[dead] the server stopped serving (" + when + "): GET /known.txt failed: " + e, e);
        }
        ResponseChecker.Verdict v = ResponseChecker.check(request, reply, false);
        if (!v.ok() || !v.statuses.equals(List.of(200)) || !endsWith(reply, KNOWN_BODY)) {
            throw new ServerFinding("[dead] the server stopped serving (" + when + "): GET /known.txt gave "
                    + Escape.bytes(reply, 0, 2000));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (SERVER.connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (SERVER.connectionCount() > 0) {
            throw new ServerFinding("[conn-leak] connections left open (" + when + "): the server counts "
                    + SERVER.connectionCount() + " open connection(s) 3 s after every client closed its own");
        }
        if (inputs > 0 && inputs % (ALIVE_EVERY * 10) == 0) {
            // The static file cache may hold up to 4096 open files by design; beyond that is a leak.
            long fds = openFiles();
            if (BASE_FDS >= 0 && fds > BASE_FDS + 4096 + 512) {
                throw new ServerFinding("[fd-leak] file descriptors leak (" + when + "): " + fds + " open, " + BASE_FDS + " at start");
            }
        }
    }

    private static BiPredicate<String, Integer> serverOnly(int port) {
        return (host, p) -> p == port && ("127.0.0.1".equals(host) || "localhost".equals(host));
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, HttpRequestFuzzer.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static boolean endsWith(byte[] b, byte[] suffix) {
        return b.length >= suffix.length
                && Arrays.equals(b, b.length - suffix.length, b.length, suffix, 0, suffix.length);
    }

    private static String describe(byte[] data, Reply reply) {
        return describe(data, reply.bytes) + "\n  connection: " + reply.how;
    }

    private static String describe(byte[] data, byte[] reply) {
        return "\n  input (" + data.length + " bytes): " + Escape.bytes(data, 0, 1500)
                + "\n  reply (" + reply.length + " bytes): " + Escape.bytes(reply, 0, 3000);
    }

    /** The served directory: a known file, files of several sizes and names, two directories. */
    private static void populate(Path www, String secret, String outsideName) throws IOException {
        Files.write(www.resolve("known.txt"), KNOWN_BODY);
        Files.writeString(www.resolve("index.html"), "<!DOCTYPE html><title>fuzz</title><p>root index</p>\n");
        Files.write(www.resolve("empty.txt"), new byte[0]);
        byte[] big = new byte[200 * 1024];
        new Random(42).nextBytes(big);
        Files.write(www.resolve("big.bin"), big);
        Path dir = Files.createDirectories(www.resolve("dir"));
        Files.writeString(dir.resolve("a b.txt"), "space in the name\n");
        Files.writeString(dir.resolve("100%.txt"), "percent in the name\n");
        Files.writeString(dir.resolve("caf\u00e9.json"), "{\"utf8\": true}\n");
        Files.writeString(dir.resolve("page.html"), "<p>page</p>\n");
        Path site = Files.createDirectories(www.resolve("site"));
        Files.writeString(site.resolve("index.htm"), "<p>site index</p>\n");
        // Outside the served directory: neither its contents nor its name may ever be served.
        Files.writeString(www.getParent().resolve(outsideName), secret + "\n");
    }

    /** Stops the server and removes the files (JVM exit). */
    private static void stop() {
        try {
            SERVER.close();
        } catch (RuntimeException ignored) {
            // exiting anyway
        }
        WRITER.shutdownNow();
        StringBuilder sb = new StringBuilder("fuzz: ").append(inputs).append(" inputs, ").append(replies)
                .append(" with a reply (").append(cutReplies).append(" cut by the half-close, ").append(resets)
                .append(" reset); statuses: ").append(STATUSES);
        if (!KNOWN_SEEN.isEmpty()) {
            sb.append("; known findings seen (not failing): ").append(KNOWN_SEEN);
        }
        LOG.println(sb);
        if (System.getProperty("fuzz.workdir") == null) {
            try (Stream<Path> all = Files.walk(WORK)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // a temporary directory: best effort
            }
        }
    }
}
