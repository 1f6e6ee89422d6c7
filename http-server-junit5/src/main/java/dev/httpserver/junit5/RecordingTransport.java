package dev.httpserver.junit5;

import dev.httpserver.api.internal.BlockInputStream;
import dev.httpserver.api.spi.RequestHead;
import dev.httpserver.api.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;

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
final class RecordingTransport implements Transport {

    private final Transport real;
    private final Journal journal;
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

    RecordingTransport(Transport real, Journal journal, long limit, InetSocketAddress client) {
        this.real = real;
        this.journal = journal;
        this.limit = (int) Math.min(limit, Integer.MAX_VALUE - 16);
        this.client = client;
    }

    @Override
    public RequestHead nextRequest() throws IOException {
        endExchange();
        RequestHead next = real.nextRequest();
        if (next != null) {
            head = next;
            published = false;
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
        return next;
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
        journal.record(head, kept.toByteArray(), truncated, client);
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
