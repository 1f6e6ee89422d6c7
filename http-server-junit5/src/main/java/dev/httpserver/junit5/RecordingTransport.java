package dev.httpserver.junit5;

import dev.httpserver.api.HttpStatus;
import dev.httpserver.api.internal.BlockInputStream;
import dev.httpserver.api.internal.HttpDates;
import dev.httpserver.api.spi.RequestHead;
import dev.httpserver.api.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The connection as the user's handler sees it: the server's {@link Transport}, passed through,
 * except that each request is recorded in the {@link Journal} just before its response head goes out
 * (so a client that has its response always finds the request recorded), with its whole body: what
 * the handler has read of it, then the rest, read ahead (up to the limit) and handed to the handler
 * when it reads on. The body is not read ahead while the client waits for {@code 100 Continue}
 * (that would stall both), nor for a request the server could not parse.
 *
 * <p>Used by one handler thread at a time, as a transport is.
 */
final class RecordingTransport implements Transport, Script.Exchange {

    private final Transport real;
    private final Journal journal;
    private final Script script;
    private final int limit;
    private final InetSocketAddress client;
    private final Body body = new Body();

    // ---- the current exchange ----
    private RequestHead head;
    private boolean published;
    private boolean awaitingContinue;
    private boolean ended;
    private boolean truncated;
    private ByteArrayOutputStream kept;
    private byte[] ahead;
    private int aheadPos;
    private IOException failure;
    private RecordedRequest recorded;
    private boolean idle;

    RecordingTransport(Transport real, Journal journal, Script script, long limit, InetSocketAddress client) {
        this.real = real;
        this.journal = journal;
        this.script = script;
        this.limit = (int) Math.min(limit, Integer.MAX_VALUE - 16);
        this.client = client;
    }

    /**
     * The next request for the handler: requests that the script answers (a stub, the queue, the
     * dispatcher, a scripted server's default) are answered here, and the handler never sees them.
     */
    @Override
    public RequestHead nextRequest() throws IOException {
        idle = false;
        while (true) {
            endExchange();
            RequestHead next = real.nextRequest();
            if (next == null) {
                return null;
            }
            begin(next);
            if (next.isMalformed() || !script.active()) {
                return next; // the handler answers (a malformed request: with its 400)
            }
            MockResponse response;
            try {
                response = script.choose(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                real.abort();
                return null;
            }
            if (response == null) {
                return next;
            }
            if (!answer(next, response)) {
                return null; // the connection ends: a fault, or Connection: close
            }
            endExchange();
            if (!real.hasQueuedRequest()) {
                idle = true; // answered, and the connection stays open for the next request
                return null;
            }
        }
    }

    /**
     * Whether the last {@link #nextRequest()} returned null because the script answered every
     * request that had arrived, the connection staying open: the handler's task ends, and the server
     * starts another when the next request comes.
     */
    boolean idle() {
        return idle;
    }

    private void begin(RequestHead next) {
        head = next;
        published = false;
        recorded = null;
        ended = false;
        truncated = false;
        kept = new ByteArrayOutputStream();
        ahead = null;
        aheadPos = 0;
        failure = null;
        String version = next.version();
        awaitingContinue = !next.isMalformed() && "100-continue".equalsIgnoreCase(next.headers().get("Expect", ""))
                && version != null && version.compareTo("HTTP/1.1") >= 0;
    }

    // ---- Script.Exchange ----

    @Override
    public RecordedRequest head() {
        return new RecordedRequest(-1, head.requestline(), head.command(), head.path(), head.version(),
                head.headers(), new byte[0], false, client);
    }

    @Override
    public RecordedRequest full() {
        if (!published) {
            continueIfAsked();
            publish();
        }
        return recorded;
    }

    /** Sends {@code 100 Continue} if the client waits for it before sending the body. */
    private void continueIfAsked() {
        if (awaitingContinue) {
            try {
                real.writeHead("HTTP/1.1", 100, "Continue", List.of(), true);
            } catch (IOException e) {
                failure = e;
            }
            awaitingContinue = false;
        }
    }

    /** Records the request with what has been read of its body, reading no more. */
    private void recordAsRead() {
        if (!published) {
            published = true;
            recorded = journal.record(head, kept.toByteArray(), truncated, client);
        }
    }

    // ---- answering from the script ----

    /**
     * Answers the current request with {@code r}, faults and delays included.
     *
     * @return false if the connection is gone (a fault, or the server stopping)
     */
    private boolean answer(RequestHead request, MockResponse r) throws IOException {
        Fault fault = r.fault();
        try {
            if (fault == Fault.DISCONNECT_AT_START || fault == Fault.STALL_AT_START) {
                recordAsRead();
                if (fault == Fault.STALL_AT_START) {
                    holdUntilGone();
                }
                real.abort();
                return false;
            }
            if (fault == Fault.DISCONNECT_DURING_REQUEST_BODY) {
                readPartOfBody(request);
                recordAsRead();
                real.abort();
                return false;
            }
            full(); // the whole body, read and recorded
            if (failure != null) {
                real.abort();
                return false;
            }
            if (fault == Fault.NO_RESPONSE) {
                holdUntilGone();
            }
            if (fault == Fault.DISCONNECT_AFTER_REQUEST || fault == Fault.NO_RESPONSE) {
                real.abort();
                return false;
            }
            if (fault == Fault.CONNECTION_RESET) {
                real.reset();
                return false;
            }
            if (!script.pause(r.headersDelay().toMillis())) {
                real.abort();
                return false;
            }
            if (fault == Fault.MALFORMED_CHUNK) {
                if (real.writeRaw(malformedChunk(r))) {
                    real.abort();
                } else {
                    real.reset(); // HTTP/2: no chunks to break; the stream is reset instead
                }
                return false;
            }
            return respond(request, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            real.abort();
            return false;
        }
    }

    private boolean respond(RequestHead request, MockResponse r) throws IOException, InterruptedException {
        int status = r.status();
        boolean bodyless = status < 200 || status == 204 || status == 304;
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        fields.add(Map.entry("Server", "http-server-junit5"));
        fields.add(Map.entry("Date", HttpDates.now()));
        fields.addAll(r.headers().items());
        if (!bodyless && !MockResponse.has(r.headers(), "Content-Length")
                && !MockResponse.has(r.headers(), "Transfer-Encoding")) {
            fields.add(Map.entry("Content-Length", Integer.toString(r.bodyLength())));
        }
        boolean keepAlive = keepAlive(request, r);
        String reason = r.reason().isEmpty() ? standardReason(status) : r.reason();
        real.writeHead("HTTP/1.1", status, reason, fields, keepAlive);
        OutputStream out = real.responseBody();
        byte[] body = r.bodyBytes();
        if (bodyless || "HEAD".equals(request.command()) || body.length == 0) {
            out.flush();
            return keepAlive;
        }
        if (r.bodyDelay().toMillis() > 0) {
            out.flush();
            if (!script.pause(r.bodyDelay().toMillis())) {
                real.abort();
                return false;
            }
        }
        if (r.fault() == Fault.DISCONNECT_DURING_RESPONSE_BODY) {
            out.write(body, 0, body.length / 2);
            out.flush();
            real.abort();
            return false;
        }
        long step = r.throttleBytes() > 0 ? r.throttleBytes() : body.length;
        for (int off = 0; off < body.length; off += (int) Math.min(step, body.length - off)) {
            int n = (int) Math.min(step, body.length - off);
            out.write(body, off, n);
            if (off + n < body.length && r.throttleBytes() > 0) {
                out.flush();
                if (!script.pause(r.throttlePeriod().toMillis())) {
                    real.abort();
                    return false;
                }
            }
        }
        out.flush();
        return keepAlive;
    }

    /** Whether the connection stays open after {@code r}, as a CPython handler would decide. */
    private static boolean keepAlive(RequestHead request, MockResponse r) {
        for (Map.Entry<String, String> e : r.headers().items()) {
            if (e.getKey().equalsIgnoreCase("Connection") && e.getValue().trim().equalsIgnoreCase("close")) {
                return false;
            }
        }
        String connection = request.headers().get("Connection", "").trim();
        if (connection.equalsIgnoreCase("close")) {
            return false;
        }
        return "HTTP/1.1".equals(request.version()) || connection.equalsIgnoreCase("keep-alive");
    }

    private static String standardReason(int status) {
        List<String> entry = HttpStatus.responses().get(status);
        return entry == null ? "" : entry.get(0);
    }

    /** A head announcing chunks, then a chunk whose size line is not hexadecimal. */
    private static byte[] malformedChunk(MockResponse r) {
        StringBuilder b = new StringBuilder();
        b.append("HTTP/1.1 ").append(r.status()).append(' ')
                .append(r.reason().isEmpty() ? standardReason(r.status()) : r.reason()).append("\r\n");
        for (Map.Entry<String, String> e : r.headers().items()) {
            b.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        b.append("Transfer-Encoding: chunked\r\n\r\n");
        b.append("zz\r\nnot a chunk size\r\n");
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads part of the body: half of a declared length (at least a byte), or one read of a chunked one. */
    private void readPartOfBody(RequestHead request) throws IOException {
        continueIfAsked();
        String length = request.headers().get("Content-Length");
        long want;
        try {
            want = length == null ? 1 : Math.max(1, Long.parseLong(length.trim()) / 2);
        } catch (NumberFormatException e) {
            want = 1;
        }
        byte[] buf = new byte[8192];
        long got = 0;
        while (got < want) {
            int n = body.read(buf, 0, (int) Math.min(buf.length, want - got));
            if (n < 0 || length == null) {
                break;
            }
            got += n;
        }
    }

    /** Waits until the client goes or the server stops. */
    private void holdUntilGone() throws InterruptedException {
        CountDownLatch gone = new CountDownLatch(1);
        try (Registration ignored = real.onClientGone(gone::countDown)) {
            script.hold(gone);
        }
    }

    /** Records the current request if its handler sent no response head (called when a handler returns). */
    void endExchange() {
        if (head != null && !published) {
            publish();
        }
        head = null;
    }

    private void publish() {
        published = true;
        if (!awaitingContinue && !head.isMalformed()) {
            readAhead();
        }
        recorded = journal.record(head, kept.toByteArray(), truncated, client);
    }

    /** Reads the rest of the body, up to one byte past the limit, keeping it for the handler. */
    private void readAhead() {
        if (ended || failure != null || truncated) {
            return;
        }
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        InputStream in = real.requestBody();
        try {
            while (!truncated) {
                int want = (int) Math.min(buf.length, (long) limit - kept.size() + 1);
                int n = in.read(buf, 0, want);
                if (n < 0) {
                    ended = true;
                    break;
                }
                read.write(buf, 0, n);
                keep(buf, 0, n);
            }
        } catch (IOException e) {
            failure = e; // given to the handler when it reads that far, as it would have had it
        }
        ahead = read.toByteArray();
        aheadPos = 0;
    }

    private void keep(byte[] b, int off, int n) {
        int room = limit - kept.size();
        if (n > room) {
            kept.write(b, off, room);
            truncated = true;
        } else {
            kept.write(b, off, n);
        }
    }

    @Override
    public void writeHead(String version, int code, String reason, List<Map.Entry<String, String>> headers,
            boolean keepAlive) throws IOException {
        if (code < 200) {
            if (code == 100) {
                awaitingContinue = false;
            }
        } else if (head != null && !published) {
            publish();
        }
        real.writeHead(version, code, reason, headers, keepAlive);
    }

    @Override
    public boolean hasQueuedRequest() {
        return real.hasQueuedRequest();
    }

    @Override
    public InputStream requestBody() {
        return body;
    }

    @Override
    public OutputStream responseBody() {
        return real.responseBody();
    }

    @Override
    public boolean headSent() {
        return real.headSent();
    }

    @Override
    public boolean sendFile(FileChannel file, long position, long count) throws IOException {
        return real.sendFile(file, position, count);
    }

    @Override
    public boolean sendFile(FileChannel file, long position, long count, boolean close) throws IOException {
        return real.sendFile(file, position, count, close);
    }

    @Override
    public boolean closing() {
        return real.closing();
    }

    @Override
    public void abort() {
        real.abort();
    }

    @Override
    public void reset() {
        real.reset();
    }

    @Override
    public boolean writeRaw(byte[] bytes) throws IOException {
        return real.writeRaw(bytes);
    }

    @Override
    public Registration onClientGone(Runnable action) {
        return real.onClientGone(action);
    }

    /** {@code rfile}: the bytes read ahead first, then the server's body stream; each byte kept for the record. */
    private final class Body extends BlockInputStream {

        @Override
        protected int readSome(byte[] b, int off, int len) throws IOException {
            if (ahead != null && aheadPos < ahead.length) {
                int n = Math.min(len, ahead.length - aheadPos);
                System.arraycopy(ahead, aheadPos, b, off, n);
                aheadPos += n;
                return n;
            }
            if (failure != null) {
                IOException f = failure;
                failure = null;
                throw f;
            }
            if (ended) {
                return -1;
            }
            int n = real.requestBody().read(b, off, len);
            if (n < 0) {
                ended = true;
                return -1;
            }
            if (!published && kept != null) {
                keep(b, off, n);
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            if (ahead != null && aheadPos < ahead.length) {
                return ahead.length - aheadPos;
            }
            return ended || failure != null ? 0 : real.requestBody().available();
        }
    }
}
