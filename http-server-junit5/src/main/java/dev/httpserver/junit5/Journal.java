package dev.httpserver.junit5;

import dev.httpserver.api.Headers;
import dev.httpserver.api.spi.RequestHead;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The requests one server has received, in the order they were recorded; shared by its connections.
 * Each is kept twice: in the queue of requests not yet {@linkplain #poll taken}, and in the list of
 * all of them, which {@link HttpServerExtension#verify} searches.
 */
final class Journal {

    private final LinkedBlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private final List<RecordedRequest> all = new ArrayList<>();

    /**
     * Records a request; the sequence number is given here, under the lock, so numbers follow queue order.
     *
     * @return the request as recorded
     */
    synchronized RecordedRequest record(RequestHead head, byte[] body, boolean truncated, InetSocketAddress client) {
        Headers headers = head.headers();
        RecordedRequest r = new RecordedRequest(all.size(), head.requestline(), head.command(), head.path(),
                head.version(), headers, body, truncated, client);
        all.add(r);
        untaken.add(r);
        return r;
    }

    synchronized int count() {
        return all.size();
    }

    /** Every request recorded so far, taken or not, in order. */
    synchronized List<RecordedRequest> all() {
        return List.copyOf(all);
    }

    /** The next untaken request, waiting up to {@code timeout}; null when none came. */
    RecordedRequest poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        return untaken.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
