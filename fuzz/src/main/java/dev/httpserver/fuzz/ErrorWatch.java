package dev.httpserver.fuzz;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Catches what the server reports about itself while it is fuzzed. The server writes two kinds of
 * text to standard error: the request log (from its log thread, {@code http-server-log}), which is
 * discarded here, and reports of failures: a handler's exception ({@code Exception occurred during
 * processing of request}), an unexpected error on a connection, warnings from Netty. Those come from
 * the server's own threads; everything such a thread writes is kept and becomes a finding. Netty's
 * log records of level WARNING and above are kept as well, whatever the stream they would go to.
 *
 * <p>The fuzz target's own messages go to {@link #out()}, the original standard error; so does what
 * Jazzer writes, from whatever thread.
 */
final class ErrorWatch {

    private static final PrintStream ORIGINAL = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);
    private static final StringBuilder SEEN = new StringBuilder();
    private static final Set<Thread> CLIENT_THREADS = ConcurrentHashMap.newKeySet();
    private static final int MAX_KEPT = 64 * 1024;
    private static boolean installed;

    private ErrorWatch() {
    }

    /** Standard error as it was: for the fuzz target's own messages. */
    static PrintStream out() {
        return ORIGINAL;
    }

    /** Replaces {@code System.err} and hooks the root logger; before the server starts. */
    static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setErr(new PrintStream(new Filter(), true, StandardCharsets.UTF_8));
        Logger root = Logger.getLogger("");
        root.addHandler(new Handler() {
            @Override
            public void publish(LogRecord r) {
                String name = r.getLoggerName() == null ? "" : r.getLoggerName();
                if (r.getLevel().intValue() >= Level.WARNING.intValue()
                        && (name.startsWith("io.netty") || name.startsWith("dev.httpserver"))) {
                    StringBuilder sb = new StringBuilder()
                            .append(r.getLevel()).append(' ').append(name).append(": ").append(r.getMessage());
                    if (r.getThrown() != null) {
                        sb.append('\n').append(StackTraces.of(r.getThrown()));
                    }
                    keep(sb.append('\n').toString());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    /** A thread of the fuzz target (its output is the target's, not the server's). */
    static void clientThread(Thread t) {
        CLIENT_THREADS.add(t);
    }

    /** What the server reported since the last call (and forgets it); empty when nothing. */
    static String drain() {
        synchronized (SEEN) {
            String s = SEEN.toString();
            SEEN.setLength(0);
            return s;
        }
    }

    private static void keep(String text) {
        synchronized (SEEN) {
            if (SEEN.length() < MAX_KEPT) {
                SEEN.append(text, 0, Math.min(text.length(), MAX_KEPT - SEEN.length()));
            }
        }
    }

    /** System.err: drops the request log, keeps (and shows) what the server's threads write. */
    private static final class Filter extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Thread t = Thread.currentThread();
            if ("http-server-log".equals(t.getName())) {
                return; // the request log: "127.0.0.1 - - [date] "GET / HTTP/1.1" 200 -"
            }
            if (CLIENT_THREADS.contains(t) || fromJazzer()) {
                ORIGINAL.write(b, off, len); // the fuzz target's or Jazzer's own output (class instrumented...)
                return;
            }
            keep(new String(b, off, len, StandardCharsets.UTF_8));
            ORIGINAL.write(b, off, len);
        }

        @Override
        public void flush() {
            ORIGINAL.flush();
        }

        /** Whether Jazzer itself is writing (it logs from whatever thread loads a class it instruments). */
        private static boolean fromJazzer() {
            return WALKER.walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith("com.code_intelligence.jazzer.")));
        }

        private static final StackWalker WALKER = StackWalker.getInstance();
    }
}
