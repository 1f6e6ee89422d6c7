package dev.httpserver.junit5;

import dev.httpserver.api.Headers;
import dev.httpserver.api.spi.RequestHead;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The requests one server has received, in the order they were recorded; shared by its connections. */
final class Journal {

    private final LinkedBlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
    private int count;

    /** Records a request; the sequence number is given here, under the lock, so numbers follow queue order. */
    synchronized void record(RequestHead head, byte[] body, boolean truncated, InetSocketAddress client) {
        Headers headers = head.headers();
        untaken.add(new RecordedRequest(count++, head.requestline(), head.command(), head.path(), head.version(),
                headers, body, truncated, client));
    }

    synchronized int count() {
        return count;
    }

    /** The next untaken request, waiting up to {@code timeout}; null when none came. */
    RecordedRequest poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        return untaken.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
