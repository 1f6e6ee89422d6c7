package dev.httpserver.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The messages a handler thread writes to one channel, handed to the event loop in batches: what is
 * queued between two flushes goes in one event-loop task (one wake-up, one flush; a whole small
 * response is one task). Back-pressure counts both the channel's own outbound buffer (its
 * writability) and the bytes in tasks the event loop has not run yet, which the channel cannot see.
 */
final class OutboundBatches {

    /** Bytes handed to the event loop in tasks it has not run yet, beyond which the writer waits. */
    private static final long MAX_SUBMITTED = 128 * 1024;

    private final Channel channel;

    // ---- shared with the event loop ----
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private final AtomicLong submittedBytes = new AtomicLong();
    /** Batches handed to the event loop and not yet written there. */
    private final AtomicInteger pendingBatches = new AtomicInteger();
    private volatile boolean writerWaiting;
    /** The future of the last write the event loop performed for this channel. */
    private volatile ChannelFuture lastLoopWrite;

    // ---- handler thread only ----
    private final ArrayList<Object> queued = new ArrayList<>(4);
    private int queuedBytes;
    private ChannelFuture lastWrite;

    OutboundBatches(Channel channel) {
        this.channel = channel;
    }

    /** Queues a message of {@code bytes} bytes (0 for files, counted by the channel as they go). */
    void enqueue(Object message, int bytes) {
        queued.add(message);
        queuedBytes += bytes;
    }

    /** The bytes queued since the last batch. */
    int queuedBytes() {
        return queuedBytes;
    }

    /** The last message queued since the last batch, or null. */
    Object last() {
        return queued.isEmpty() ? null : queued.get(queued.size() - 1);
    }

    /** Replaces {@link #last()}. */
    void replaceLast(Object message) {
        queued.set(queued.size() - 1, message);
    }

    /**
     * Hands the queued messages to the event loop in one task, which writes and flushes them, keeping
     * the future of the last write so that a close can wait for it; {@code after} runs on the event
     * loop once the last of them has been written to the socket (or failed). On the event loop itself
     * the messages are written at once.
     */
    void submit(Runnable after) {
        if (queued.isEmpty()) {
            return;
        }
        Object[] batch = queued.toArray();
        long bytes = queuedBytes;
        queued.clear();
        queuedBytes = 0;
        ChannelPromise promise = channel.newPromise();
        lastWrite = promise;
        if (channel.eventLoop().inEventLoop()) {
            // Answered on the event loop itself (the file stage): written now, in order.
            pendingBatches.incrementAndGet();
            submittedBytes.addAndGet(bytes);
            write(batch, bytes, promise, after);
            return;
        }
        pendingBatches.incrementAndGet();
        submittedBytes.addAndGet(bytes);
        try {
            channel.eventLoop().execute(() -> write(batch, bytes, promise, after));
        } catch (RejectedExecutionException e) {
            pendingBatches.decrementAndGet();
            submittedBytes.addAndGet(-bytes);
            for (Object o : batch) {
                if (o instanceof FileChunks) {
                    ((FileChunks) o).close(); // closes its file, or gives back the shared one
                } else {
                    ReferenceCountUtil.release(o);
                }
            }
            promise.tryFailure(e);
        }
    }

    /** On the event loop: writes a batch the handler thread submitted. */
    private void write(Object[] batch, long bytes, ChannelPromise promise, Runnable after) {
        pendingBatches.decrementAndGet();
        // From here the channel's own outbound buffer (and its writability) counts these bytes.
        if (submittedBytes.addAndGet(-bytes) <= MAX_SUBMITTED && writerWaiting) {
            wakeWriter();
        }
        int last = batch.length - 1;
        for (int i = 0; i < last; i++) {
            channel.write(batch[i], channel.voidPromise());
        }
        channel.write(batch[last], promise);
        lastLoopWrite = promise;
        if (after != null) {
            // A response is finished when its last byte is written, not when it is queued: a drain for
            // shutdown must not close the channel over the rest of a file.
            promise.addListener(f -> after.run());
        }
        channel.flush();
    }

    /** Whether no batch waits for the event loop. */
    boolean noPendingBatches() {
        return pendingBatches.get() == 0;
    }

    /** The channel's writability changed, or it closed: a waiting writer looks again. */
    void wakeWriter() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the handler must wait before writing more: the client is behind. */
    private boolean backedUp() {
        return !channel.isWritable() || submittedBytes.get() > MAX_SUBMITTED;
    }

    /**
     * Waits while the client is behind, after handing over what is queued; fails if the channel
     * closes meanwhile.
     */
    void awaitWritable() throws IOException {
        if (!backedUp() || channel.eventLoop().inEventLoop()) {
            // On the event loop nothing may wait: the file stage stops reading instead (HandlerBridge).
            return;
        }
        submit(null);
        lock.lock();
        try {
            writerWaiting = true;
            while (backedUp() && channel.isActive()) {
                try {
                    writable.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the client to read", e);
                }
            }
        } finally {
            writerWaiting = false;
            lock.unlock();
        }
        if (!channel.isActive()) {
            throw new IOException("Broken pipe: the client closed the connection");
        }
    }

    /** On the handler thread: closes the channel once what was handed over so far is written. */
    void closeAfterWrites() {
        submit(null);
        closeAfter(lastWrite);
    }

    /** On the event loop: closes once every batch handed over so far has been written. */
    void closeWhenWritten() {
        if (pendingBatches.get() != 0) {
            channel.eventLoop().execute(this::closeWhenWritten);
            return;
        }
        closeAfter(lastLoopWrite);
    }

    private void closeAfter(ChannelFuture last) {
        if (last != null && !last.isDone()) {
            last.addListener(f -> {
                if (f.isSuccess()) {
                    LingeringClose.close(channel);
                } else {
                    channel.close();
                }
            });
        } else {
            LingeringClose.close(channel);
        }
    }
}
