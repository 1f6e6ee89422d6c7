package dev.httpserver.api.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request log's writer when standard error stops being read. */
@Timeout(60)
class LogSinkTest {

    @Test
    void aThreadThatMustNotWaitDropsLinesInsteadOfWaitingForAStalledStderr() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                try {
                    release.await(); // a terminal paused with Ctrl-S, a pipe nobody reads
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8));
        Thread logger = new Thread(() -> {
            for (int i = 0; i < 30_000; i++) {
                LogSink.write("line " + i + "\n");
            }
        });
        LogSink.neverWaitWhen(() -> Thread.currentThread() == logger);
        try {
            logger.start();
            // Waiting, each line past the 10,000th would hold the thread for up to 5 s: it would not end.
            logger.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!logger.isAlive(), "the logging thread never waited for the stalled stderr");
        } finally {
            LogSink.neverWaitWhen(() -> false);
            release.countDown();
            LogSink.drain();
            System.setErr(saved);
        }
        LogSink.write("after\n");
        LogSink.drain();
        String out = written.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("log lines dropped: standard error was not being read"), "the loss is reported");
        assertTrue(out.contains("line 0\n"), "the lines before the queue filled are kept");
    }
}
