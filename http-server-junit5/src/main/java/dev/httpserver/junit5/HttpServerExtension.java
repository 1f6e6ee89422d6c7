package dev.httpserver.junit5;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.HttpServerBuilder;
import dev.httpserver.netty.Limits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An http-server for tests, in-process on a free port of {@code 127.0.0.1}, in the manner of OkHttp's
 * {@code MockWebServer}: it serves a directory, a handler of yours, or responses you
 * {@linkplain #enqueue queue}, and records every request it receives for {@link #takeRequest()}.
 *
 * <pre>{@code
 * class ClientTest {
 *     @RegisterExtension
 *     final HttpServerExtension server = HttpServerExtension.scripted();
 *
 *     @Test
 *     void sendsTheToken() throws Exception {
 *         server.enqueue(MockResponse.of(200, "{\"ok\":true}"));
 *
 *         new MyClient(server.url("/")).call();
 *
 *         RecordedRequest request = server.takeRequest();
 *         assertEquals("/api/items", request.path());
 *         assertEquals("Bearer t0k3n", request.headers().get("Authorization"));
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle</b>, as {@code @RegisterExtension} gives it: in an instance field, a new server
 * for each test (started before it, closed after it); in a static field, one server for the whole
 * class and its {@code @Nested} classes (started before all, closed after all), which keeps its
 * queue and its recorded requests from test to test. Outside JUnit, {@link #start()} and
 * {@link #close()} do the same by hand.
 *
 * <p><b>Modes</b>:
 * <ul>
 *   <li>{@link #serving(Path)}: the files below a folder, as {@code python -m http.server} (and this
 *       project's command line) serves them: {@link SimpleHttpRequestHandler}, HTTP/1.1 keep-alive;</li>
 *   <li>{@link #handler(Supplier)}: your {@link BaseHttpRequestHandler} subclass, a new instance per
 *       connection ({@code MyHandler::new});</li>
 *   <li>{@link #scripted()}: each request, whatever its method, gets the next {@link MockResponse}
 *       of the queue, in order; when the queue is empty, {@code 404} (or {@link #defaultResponse}).</li>
 * </ul>
 *
 * <p><b>Recording</b> works the same in every mode: each request (method, target, version, headers,
 * body, a sequence number) is recorded before its response goes out, so once a client has its
 * response, {@link #takeRequest()} has the request. The body is recorded whole (up to
 * {@link #recordedBodyLimit(long)}, 16 MiB by default) even when the handler does not read it; the
 * handler still reads it as it was sent. A server's own shortcut of answering a file it remembers
 * without calling the handler is off here, so that no request goes unrecorded.
 *
 * <p>Configuration methods ({@link #defaultResponse}, {@link #limits}, {@link #recordedBodyLimit})
 * may only be called before the server starts. Per-connection limits default to the server's, with
 * a one-second graceful shutdown.
 */
public final class HttpServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {

    /** How long {@link #takeRequest()} waits for a request. */
    public static final Duration DEFAULT_TAKE_TIMEOUT = Duration.ofSeconds(10);

    /** The default of {@link #recordedBodyLimit(long)}: 16 MiB. */
    public static final long DEFAULT_RECORDED_BODY_LIMIT = 16L * 1024 * 1024;

    private static final String HOST = "127.0.0.1";

    private final String mode;
    private final Path directory;
    private final Supplier<? extends BaseHttpRequestHandler> handlerFactory;
    private final Script script = new Script();
    private Limits limits = Limits.defaults().withShutdownTimeout(Duration.ofSeconds(1));
    private long recordedBodyLimit = DEFAULT_RECORDED_BODY_LIMIT;
    private TlsCertificates certificates;
    private boolean http2;

    private final Object lock = new Object();
    private HttpServer server;
    private Journal journal = new Journal();
    private String owner;
    private boolean started;

    private HttpServerExtension(String mode, Path directory, Supplier<? extends BaseHttpRequestHandler> handlerFactory) {
        this.mode = mode;
        this.directory = directory;
        this.handlerFactory = handlerFactory;
        if (handlerFactory == null) {
            script.fallback = MockResponse.of(404, "No response queued on this scripted server.\n");
        }
    }

    /**
     * Serves the files below {@code directory}, with directory listings, as the command line does
     * ({@link SimpleHttpRequestHandler}, HTTP/1.1). The folder must exist when the server starts.
     *
     * @param directory the folder to serve (made absolute now)
     * @return an extension serving that folder, not yet started
     */
    public static HttpServerExtension serving(Path directory) {
        Objects.requireNonNull(directory, "directory");
        Path absolute = directory.toAbsolutePath().normalize();
        String dir = absolute.toString();
        return new HttpServerExtension("serving " + dir, absolute, () -> new SimpleHttpRequestHandler(dir) {
            {
                protocolVersion = "HTTP/1.1";
            }
        });
    }

    /**
     * Serves each connection with a new handler from {@code factory} ({@code MyHandler::new}).
     *
     * @param factory makes the handler of each connection
     * @return an extension serving with that handler, not yet started
     */
    public static HttpServerExtension handler(Supplier<? extends BaseHttpRequestHandler> factory) {
        Objects.requireNonNull(factory, "factory");
        return new HttpServerExtension("handler", null, factory);
    }

    /**
     * Answers with the {@linkplain #enqueue queued} responses, in order, then with {@link #defaultResponse}.
     *
     * @return an extension giving scripted responses, not yet started
     */
    public static HttpServerExtension scripted() {
        return new HttpServerExtension("scripted", null, null);
    }

    // ---- configuration (before start) ----

    /**
     * The response of a scripted server whose queue is empty (default: 404 with a short text).
     *
     * @param response what to answer once the queue is empty
     * @return this extension
     * @throws IllegalStateException if this extension is not {@linkplain #scripted() scripted}
     */
    public HttpServerExtension defaultResponse(MockResponse response) {
        Objects.requireNonNull(response, "response");
        requireScripted("defaultResponse");
        script.fallback = response;
        return this;
    }

    /**
     * Serves HTTPS instead of HTTP, with a {@linkplain TlsCertificates#generate() new} certificate
     * authority and a server certificate it signed for {@code localhost}, {@code 127.0.0.1} and
     * {@code ::1}; the test's clients trust it through {@link #certificates()}.
     *
     * @return this extension
     */
    public HttpServerExtension https() {
        return https(TlsCertificates.generate());
    }

    /**
     * Serves HTTPS with {@code certificates} (shared by several servers, say, or made once per class).
     *
     * @param certificates the CA and server certificate
     * @return this extension
     */
    public HttpServerExtension https(TlsCertificates certificates) {
        Objects.requireNonNull(certificates, "certificates");
        synchronized (lock) {
            requireNotStarted("https");
            this.certificates = certificates;
        }
        return this;
    }

    /**
     * Speaks HTTP/2 besides HTTP/1.1: over HTTPS, to clients that offer {@code h2} by ALPN; over plain
     * HTTP, cleartext HTTP/2 (h2c) to clients that start with its preface (prior knowledge) or ask for
     * it with {@code Upgrade: h2c}. Off by default.
     *
     * @return this extension
     */
    public HttpServerExtension http2() {
        synchronized (lock) {
            requireNotStarted("http2");
            this.http2 = true;
        }
        return this;
    }

    /**
     * The certificates of an {@linkplain #https() HTTPS} server: hand
     * {@link TlsCertificates#sslContext()} or {@link TlsCertificates#trustManager()} to the client.
     *
     * @return the certificates
     * @throws IllegalStateException if the server is not an HTTPS one
     */
    public TlsCertificates certificates() {
        synchronized (lock) {
            if (certificates == null) {
                throw new IllegalStateException("not an HTTPS server: call https() before it starts");
            }
            return certificates;
        }
    }

    /**
     * The server's per-connection limits and timeouts (default: {@link Limits#defaults()}, shutdown in 1 s).
     *
     * @param limits the limits and timeouts to apply
     * @return this extension
     * @throws IllegalStateException if the server has already started
     */
    public HttpServerExtension limits(Limits limits) {
        Objects.requireNonNull(limits, "limits");
        synchronized (lock) {
            requireNotStarted("limits");
            this.limits = limits;
        }
        return this;
    }

    /**
     * How much of each request body is recorded (default 16 MiB); the handler always gets all of it.
     *
     * @param bytes the most body bytes kept per request, 0 or more
     * @return this extension
     * @throws IllegalArgumentException if {@code bytes} is negative
     * @throws IllegalStateException if the server has already started
     */
    public HttpServerExtension recordedBodyLimit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("recordedBodyLimit must not be negative: " + bytes);
        }
        synchronized (lock) {
            requireNotStarted("recordedBodyLimit");
            this.recordedBodyLimit = bytes;
        }
        return this;
    }

    // ---- scripting ----

    /**
     * Adds a response to the queue: the next requests that no stub answers take them, in order. On a
     * server with a folder or a handler, a queued response answers in their place, once.
     *
     * @param response the response
     * @return this extension
     */
    public HttpServerExtension enqueue(MockResponse response) {
        Objects.requireNonNull(response, "response");
        script.queue.add(response);
        return this;
    }

    /**
     * The responses queued and not yet given.
     *
     * @return the number of responses still queued
     */
    public int queuedResponses() {
        return script.queue.size();
    }

    /**
     * Answers with {@code response} every request that {@code matcher} matches, from now on, at
     * priority 5 (see {@link #stub(int, RequestMatcher, MockResponse)}).
     *
     * @param matcher  which requests
     * @param response the answer
     * @return this extension
     */
    public HttpServerExtension stub(RequestMatcher matcher, MockResponse response) {
        return stub(5, matcher, response);
    }

    /**
     * Answers with {@code response} every request that {@code matcher} matches, from now on. A request
     * is answered by the first of: a matching stub (the lowest {@code priority} number first, and among
     * equals the one added last), the next {@linkplain #enqueue queued} response, the
     * {@linkplain #dispatcher dispatcher}, then the folder or handler of the server, or a scripted
     * server's {@linkplain #defaultResponse default response}.
     *
     * @param priority 1 (first) to 10 (last); 5 by default
     * @param matcher  which requests
     * @param response the answer
     * @return this extension
     * @throws IllegalArgumentException if {@code priority} is out of range
     */
    public HttpServerExtension stub(int priority, RequestMatcher matcher, MockResponse response) {
        Objects.requireNonNull(matcher, "matcher");
        Objects.requireNonNull(response, "response");
        if (priority < 1 || priority > 10) {
            throw new IllegalArgumentException("priority must be between 1 and 10: " + priority);
        }
        script.stub(priority, matcher, response);
        return this;
    }

    /**
     * Removes every stub.
     *
     * @return this extension
     */
    public HttpServerExtension clearStubs() {
        script.clearStubs();
        return this;
    }

    /**
     * Answers the requests that no stub or queued response takes with {@code dispatcher}; when it
     * returns null, the folder, handler or default response answers. Null removes it.
     *
     * @param dispatcher the code that answers, safe for concurrent use
     * @return this extension
     */
    public HttpServerExtension dispatcher(Dispatcher dispatcher) {
        script.dispatcher = dispatcher;
        return this;
    }

    // ---- lifecycle ----

    /**
     * Starts the server on a free port of {@code 127.0.0.1}; does nothing if it is running. A server
     * that was closed can be started again: it gets a new port and an empty record, and keeps its queue.
     *
     * @return this extension, running
     * @throws IllegalStateException if the folder served does not exist
     * @throws java.io.UncheckedIOException if no port can be bound
     */
    public HttpServerExtension start() {
        synchronized (lock) {
            if (server != null) {
                return this;
            }
            if (directory != null && !Files.isDirectory(directory)) {
                throw new IllegalStateException("cannot serve " + directory + ": no such directory");
            }
            Journal j = new Journal();
            Supplier<? extends BaseHttpRequestHandler> inner = handlerFactory != null ? handlerFactory
                    : ScriptedHandler::new;
            long bodyLimit = recordedBodyLimit;
            script.restart();
            HttpServerBuilder builder = HttpServer.builder()
                    .address(new InetSocketAddress(HOST, 0))
                    .threading(true)
                    .limits(limits)
                    .handler(() -> new RecordingHandler(inner, j, script, bodyLimit));
            if (certificates != null) {
                builder.tls(certificates.serverMaterial(), http2 ? List.of("h2", "http/1.1") : List.of("http/1.1"));
            } else {
                builder.h2c(http2);
            }
            server = builder.build().start();
            journal = j;
            started = true;
            return this;
        }
    }

    /** Stops the server (requests in flight get a second to finish); does nothing if it is not running. */
    @Override
    public void close() {
        HttpServer s;
        synchronized (lock) {
            s = server;
            server = null;
            owner = null;
        }
        script.stop(); // connections held by a fault or a delay let go
        if (s != null) {
            s.close();
        }
    }

    /**
     * Whether the server is running.
     *
     * @return true between {@link #start()} and {@link #close()}
     */
    public boolean isRunning() {
        synchronized (lock) {
            return server != null;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startFor(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeFor(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeFor(context);
    }

    /** Starts the server for the outermost scope that reaches it: a class (static field) or a test (instance field). */
    private void startFor(ExtensionContext context) {
        synchronized (lock) {
            if (server == null) {
                start();
                owner = context.getUniqueId();
            }
        }
    }

    private void closeFor(ExtensionContext context) {
        synchronized (lock) {
            if (!context.getUniqueId().equals(owner)) {
                return;
            }
        }
        close();
    }

    // ---- where it is ----

    /**
     * The port the server listens on.
     *
     * @return the port, on {@link #hostName()}
     * @throws IllegalStateException if the server is not running
     */
    public int port() {
        return running().serverPort();
    }

    /**
     * The host clients reach it at: {@code 127.0.0.1}.
     *
     * @return {@code 127.0.0.1}
     */
    public String hostName() {
        return HOST;
    }

    /**
     * The URL of {@code path} on this server: {@code url("/a?b=1")} is {@code http://127.0.0.1:PORT/a?b=1}.
     * {@code path} is a request target as sent on the wire (already percent-encoded); a missing
     * leading {@code /} is added.
     *
     * @param path the request target, percent-encoded ({@code /a%20b?x=1})
     * @return an absolute {@code http} URL on this server
     * @throws IllegalArgumentException if {@code path} is not a valid URI path and query
     * @throws IllegalStateException if the server is not running
     */
    public URI url(String path) {
        Objects.requireNonNull(path, "path");
        String target = path.startsWith("/") ? path : "/" + path;
        return URI.create(scheme() + "://" + HOST + ":" + port() + target);
    }

    // ---- what it received ----

    /**
     * The next request received and not yet taken, in the order they were recorded; waits for one up
     * to {@link #DEFAULT_TAKE_TIMEOUT}.
     *
     * @return the oldest request not taken yet
     * @throws AssertionError if none arrives in time
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the server was never started
     */
    public RecordedRequest takeRequest() throws InterruptedException {
        return takeRequest(DEFAULT_TAKE_TIMEOUT);
    }

    /**
     * The next request received and not yet taken, waiting for one up to {@code timeout}.
     *
     * @param timeout how long to wait for a request
     * @return the oldest request not taken yet
     * @throws AssertionError if none arrives in time
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws IllegalStateException if the server was never started
     */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Journal j;
        synchronized (lock) {
            if (!started) {
                throw new IllegalStateException("the server was never started");
            }
            j = journal;
        }
        RecordedRequest r = j.poll(timeout);
        if (r == null) {
            throw new AssertionError("no request reached " + this + " within " + timeout.toMillis() + " ms ("
                    + j.count() + " received in all, every one already taken)");
        }
        return r;
    }

    /**
     * How many requests the server has received since it (last) started, taken or not.
     *
     * @return the number of requests recorded since the last start
     */
    public int requestCount() {
        synchronized (lock) {
            return journal.count();
        }
    }

    /**
     * Every request received since the server (last) started, taken or not, in order.
     *
     * @return the requests
     */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return journal.all();
        }
    }

    /**
     * The requests received since the server (last) started that {@code matcher} matches, in order.
     *
     * @param matcher which requests
     * @return the requests
     */
    public List<RecordedRequest> requests(RequestMatcher matcher) {
        Objects.requireNonNull(matcher, "matcher");
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r : requests()) {
            if (matcher.matches(r)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * Asserts that at least one request received so far matches {@code matcher}.
     *
     * @param matcher which requests
     * @throws AssertionError if none does, listing the requests that came closest and why they differ
     */
    public void verify(RequestMatcher matcher) {
        List<RecordedRequest> matched = requests(matcher);
        if (matched.isEmpty()) {
            throw new AssertionError(verifyFailure("at least 1 request", matcher, matched));
        }
    }

    /**
     * Asserts that exactly {@code count} of the requests received so far match {@code matcher}.
     *
     * @param count   how many should
     * @param matcher which requests
     * @throws AssertionError if the number differs, listing the requests that came closest and why they differ
     */
    public void verify(int count, RequestMatcher matcher) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        List<RecordedRequest> matched = requests(matcher);
        if (matched.size() != count) {
            throw new AssertionError(verifyFailure(count + " request" + (count == 1 ? "" : "s"), matcher, matched));
        }
    }

    /** {@code expected 2 requests matching <m>, received 1 of 5}, then the matched ones and the closest others. */
    private String verifyFailure(String expected, RequestMatcher matcher, List<RecordedRequest> matched) {
        List<RecordedRequest> all = requests();
        StringBuilder b = new StringBuilder();
        b.append("expected ").append(expected).append(" matching [").append(matcher).append("], received ")
                .append(matched.size()).append(" (of ").append(all.size()).append(" in all)");
        for (RecordedRequest r : matched) {
            b.append("\n  matched: ").append(r);
        }
        List<RecordedRequest> others = new ArrayList<>(all);
        others.removeAll(matched);
        others.sort(Comparator.comparingInt((RecordedRequest r) -> matcher.mismatches(r).size())
                .thenComparingInt(RecordedRequest::sequenceNumber));
        if (!others.isEmpty()) {
            b.append("\nclosest unmatched:");
        }
        for (RecordedRequest r : others.subList(0, Math.min(3, others.size()))) {
            b.append("\n  ").append(r);
            for (String why : matcher.mismatches(r)) {
                b.append("\n      ").append(why);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "HttpServerExtension[" + mode + ", " + (server == null ? "not running" : scheme() + "://" + HOST
                    + ":" + server.serverPort() + "/") + "]";
        }
    }

    private HttpServer running() {
        synchronized (lock) {
            if (server == null) {
                throw new IllegalStateException("the server is not running: register the extension with "
                        + "@RegisterExtension, or call start()");
            }
            return server;
        }
    }

    private String scheme() {
        synchronized (lock) {
            return certificates == null ? "http" : "https";
        }
    }

    private void requireScripted(String what) {
        if (handlerFactory != null) {
            throw new IllegalStateException(what + "() is for scripted servers (HttpServerExtension.scripted()); this one is "
                    + mode);
        }
    }

    private void requireNotStarted(String what) {
        if (server != null) {
            throw new IllegalStateException(what + "() must be called before the server starts");
        }
    }
}
