package dev.httpserver.netty;

import dev.httpserver.api.internal.BlockInputStream;
import dev.httpserver.api.spi.RequestHead;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests of one channel (an HTTP/1 connection or an HTTP/2 stream) on their way from the
 * event loop to the handler thread: request heads, body buffers and end-of-body marks, in order.
 *
 * <p>The event loop ({@link HandlerBridge}) offers; it stops reading from the socket while more than
 * {@link #HIGH_WATER} body bytes or {@link Limits#maxPipelined()} request heads wait, and the handler
 * thread resumes it once they are taken. The handler thread takes the next head
 * ({@link #nextHead()}) and reads the body through {@link #body()}, {@code rfile}: exactly the
 * current request's body, de-chunked by the codec, then end of stream, never the next request.
 *
 * <p>It also knows whether a handler task is running for the channel ({@link #offerHead} says when
 * one must be started, {@link #park()} when it may stop), so an idle keep-alive connection holds no
 * thread.
 */
final class InboundQueue {

    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    /** The end of the current request's body. */
    private static final Object END = new Object();
    /** In place of the rest of a body the codec could not decode (a bad chunk size or trailer). */
    private static final Object MALFORMED = new Object();

    /** In place of the rest of a body that exceeded {@link Limits#maxBodySize()}. */
    private record TooLarge(long max) {
    }

    /** A request head. */
    private record Head(RequestHead head) {
    }

    /** Where the handler thread stands in the current request's body. */
    private enum BodyState { NO_REQUEST, OPEN, ENDED }

    /** What {@link #park()} found. */
    enum Park { PARKED, MORE, INPUT_SHUT }

    private final Channel channel;
    private final int maxPipelined;
    /** Told, on the handler thread, when {@code rfile} refuses a body: the connection cannot go on. */
    private final Runnable refused;

    // ---- shared between the event loop and the handler thread, guarded by lock ----
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private int queuedHeads;
    private long queuedBytes;
    private boolean inputClosed;
    private boolean inputShut;
    private boolean running;
    private boolean readPaused;

    // ---- handler thread only ----
    private final RequestBody body = new RequestBody();
    private BodyState bodyState = BodyState.NO_REQUEST;
    private ByteBuf reading;
    /** The connection is closing: reading must not resume. */
    private boolean closing;

    InboundQueue(Channel channel, int maxPipelined, Runnable refused) {
        this.channel = channel;
        this.maxPipelined = maxPipelined;
        this.refused = refused;
    }

    // ---- event loop ----

    /** Queues a request head; true when no handler task is running and one must be started for it. */
    boolean offerHead(RequestHead head) {
        lock.lock();
        try {
            if (inputClosed) {
                return false;
            }
            queue.add(new Head(head));
            queuedHeads++;
            if (queuedHeads >= maxPipelined) {
                pauseReading();
            }
            changed.signalAll();
            if (running) {
                return false;
            }
            running = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a request that arrived whole (a head and the end of an empty body), to be served at once
     * on the calling event loop, which counts as the running handler task until {@link #park()}.
     */
    void offerWhole(RequestHead head) {
        lock.lock();
        try {
            queue.add(new Head(head));
            queue.add(END);
            queuedHeads++;
            running = true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a piece of body; takes ownership of {@code content}. */
    void offerContent(ByteBuf content) {
        lock.lock();
        try {
            if (inputClosed) {
                content.release();
                return;
            }
            queue.add(content);
            queuedBytes += content.readableBytes();
            if (queuedBytes > HIGH_WATER) {
                pauseReading();
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The current body ended. */
    void offerEnd() {
        offerMark(END);
    }

    /** The current body is malformed (a bad chunk): {@code rfile} fails with 400 where it would go on. */
    void offerMalformed() {
        offerMark(MALFORMED);
    }

    /** The current body grew past {@code max}: {@code rfile} fails with 413 where it would go on. */
    void offerTooLarge(long max) {
        offerMark(new TooLarge(max));
    }

    private void offerMark(Object mark) {
        lock.lock();
        try {
            if (!inputClosed) {
                queue.add(mark);
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The client shut its sending side (a half-close): what it sent is still answered. True when
     * nothing is left to answer, so the channel may close once its writes are done.
     */
    boolean inputShutdown() {
        lock.lock();
        try {
            inputShut = true;
            inputClosed = true;
            changed.signalAll();
            return !running && queuedHeads == 0;
        } finally {
            lock.unlock();
        }
    }

    /** The channel closed: whatever waits is released, and the handler thread sees the end. */
    void close() {
        lock.lock();
        try {
            inputClosed = true;
            for (Object o; (o = queue.poll()) != null; ) {
                ReferenceCountUtil.release(o);
            }
            queuedHeads = 0;
            queuedBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the handler thread is idle with nothing queued and the input open: only then may the
     * event loop answer a request itself without overtaking a response.
     */
    boolean idle() {
        lock.lock();
        try {
            return !running && queue.isEmpty() && !inputClosed;
        } finally {
            lock.unlock();
        }
    }

    private void pauseReading() {
        if (!readPaused) {
            readPaused = true;
            channel.config().setAutoRead(false);
        }
    }

    // ---- handler thread ----

    /** {@code rfile}: the current request's body. */
    InputStream body() {
        return body;
    }

    /**
     * The next request head, waiting for it; null when the input has ended. The rest of a body that
     * nobody read is skipped.
     */
    RequestHead nextHead() {
        lock.lock();
        try {
            while (true) {
                Object o = queue.peek();
                if (o instanceof Head) {
                    queue.poll();
                    queuedHeads--;
                    resumeIfDrained();
                    bodyState = BodyState.OPEN;
                    return ((Head) o).head();
                }
                if (o != null) {
                    queue.poll();
                    dequeued(o);
                    continue;
                }
                if (inputClosed) {
                    return null;
                }
                awaitChange();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether another request head is waiting. */
    boolean hasQueuedHead() {
        lock.lock();
        try {
            return queuedHeads > 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the handler task if nothing is queued: {@link Park#PARKED} (the next head starts a new
     * task), {@link Park#MORE} (serve on), or {@link Park#INPUT_SHUT} (the client half-closed and
     * everything it sent is answered).
     */
    Park park() {
        lock.lock();
        try {
            if (queuedHeads > 0) {
                return Park.MORE;
            }
            if (inputShut) {
                return Park.INPUT_SHUT;
            }
            running = false;
            return Park.PARKED;
        } finally {
            lock.unlock();
        }
    }

    /** The connection is closing after this exchange: reading from the socket stays paused. */
    void closing() {
        closing = true;
    }

    /**
     * Whether the current body has ended without the handler reading it (a GET: nothing but its end
     * is queued), taking that end as {@code rfile} would.
     */
    boolean takeEndOfBody() {
        if (bodyState != BodyState.OPEN) {
            return true;
        }
        if (reading != null && reading.isReadable()) {
            return false;
        }
        lock.lock();
        try {
            if (queue.peek() == END) {
                queue.poll();
                bodyState = BodyState.ENDED;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the current request. Unless the connection is {@code closing} anyway, what is left of the
     * body is skipped, waiting for it if need be. Returns false when the connection cannot go on
     * (the body was too large or malformed).
     */
    boolean finishBody(boolean closing) {
        boolean reusable = closing || bodyState != BodyState.OPEN || discardRestOfBody();
        bodyState = BodyState.NO_REQUEST;
        releaseReading();
        return reusable;
    }

    private boolean discardRestOfBody() {
        lock.lock();
        try {
            while (true) {
                Object o = queue.peek();
                if (o == END) {
                    queue.poll();
                    return true;
                }
                if (o instanceof TooLarge || o == MALFORMED) {
                    return false;
                }
                if (o instanceof Head || (o == null && inputClosed)) {
                    return true;
                }
                if (o != null) {
                    queue.poll();
                    dequeued(o);
                    continue;
                }
                awaitChange();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Gives back the buffer being read, if any. */
    void releaseReading() {
        if (reading != null) {
            reading.release();
            reading = null;
        }
    }

    /** Called with the lock held: accounts for a queue entry the handler thread took. */
    private void dequeued(Object o) {
        if (o instanceof ByteBuf) {
            ByteBuf buf = (ByteBuf) o;
            queuedBytes -= buf.readableBytes();
            buf.release();
            resumeIfDrained();
        }
    }

    private void resumeIfDrained() {
        if (readPaused && queuedBytes < LOW_WATER && queuedHeads < maxPipelined && !closing) {
            readPaused = false;
            channel.eventLoop().execute(() -> {
                channel.config().setAutoRead(true);
                channel.read();
            });
        }
    }

    private void awaitChange() {
        try {
            changed.await(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("handler thread interrupted", e);
        }
    }

    /** {@code rfile}: the current request's body, de-chunked by the codec, then end of stream. */
    private final class RequestBody extends BlockInputStream {

        @Override
        protected int readSome(byte[] b, int off, int len) throws IOException {
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, reading.readableBytes());
            reading.readBytes(b, off, n);
            if (!reading.isReadable()) {
                releaseReading();
            }
            return n;
        }

        @Override
        public int available() {
            return reading == null ? 0 : reading.readableBytes();
        }

        /** Makes {@code reading} readable; false at the end of the body. */
        private boolean fill() throws IOException {
            if (reading != null && reading.isReadable()) {
                return true;
            }
            releaseReading();
            if (bodyState != BodyState.OPEN) {
                return false;
            }
            lock.lock();
            try {
                while (true) {
                    Object o = queue.peek();
                    if (o == END || o instanceof Head) {
                        if (o == END) {
                            queue.poll();
                        }
                        bodyState = BodyState.ENDED;
                        return false;
                    }
                    if (o instanceof TooLarge) {
                        refused.run();
                        throw new BadBodyException.TooLarge(((TooLarge) o).max());
                    }
                    if (o == MALFORMED) {
                        refused.run();
                        throw new BadBodyException(400, "Bad request body: the chunked encoding is malformed");
                    }
                    if (o instanceof ByteBuf) {
                        queue.poll();
                        ByteBuf buf = (ByteBuf) o;
                        queuedBytes -= buf.readableBytes();
                        resumeIfDrained();
                        reading = buf;
                        if (buf.isReadable()) {
                            return true;
                        }
                        releaseReading();
                        continue;
                    }
                    if (inputClosed) {
                        // The client's fault: after a half-close the connection can still carry a 400.
                        refused.run();
                        throw new BadBodyException(400,
                                "Bad request body: the client closed its side before the end of the body");
                    }
                    awaitChange();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
