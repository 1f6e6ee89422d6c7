package dev.httpserver.netty.cgi;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One running script of a {@link CgiHttpRequestHandler}: its process, the threads around it (the
 * request body to its stdin, its stderr to the log) and the watchdog of its deadline.
 */
final class CgiProcess {

    /** The size of the buffers that copy the request body to the script and its output to the client. */
    static final int BUFFER = 64 * 1024;

    private static final int MAX_LOG_LINE = 8 * 1024;
    private static final String ENV = "/usr/bin/env";

    final Process process;
    final String scriptname;
    /** Whether the script leads a process group of its own ({@link CgiSystem#SETSID}). */
    final boolean grouped;
    final AtomicBoolean timedOut = new AtomicBoolean();
    /** The client went away and the script was killed for it ({@link CgiClientWatch}). */
    final AtomicBoolean clientGone = new AtomicBoolean();
    /** Why reading the request body failed, if it did; read by the handler thread after the script ended. */
    volatile IOException bodyError;
    private final CgiHttpRequestHandler handler;
    private Thread pump;
    private Thread errors;
    private ScheduledFuture<?> watchdog;

    CgiProcess(CgiHttpRequestHandler handler, Process process, String scriptname, boolean grouped) {
        this.handler = handler;
        this.process = process;
        this.scriptname = scriptname;
        this.grouped = grouped;
    }

    /**
     * The command that runs {@code script} with the arguments of {@code query} (RFC 3875 4.4): as
     * {@code nobody} through {@code setpriv} when it is not null, and with {@code python3 -u} (found on
     * {@code path}, or by {@code env} as {@code nobody}) when {@code withPython}; through
     * {@link CgiSystem#SETSID} first where it is installed.
     */
    static List<String> commandLine(String setpriv, boolean withPython, Path script, String path, String query) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of(CgiSystem.SETSID))) {
            cmd.add(CgiSystem.SETSID); // it execs the rest: the script keeps the pid, as its group's leader
        }
        if (setpriv != null) {
            long[] nobody = CgiSystem.nobody();
            cmd.addAll(List.of(setpriv, "--reuid=" + nobody[0], "--regid=" + nobody[1], "--clear-groups",
                    "--inh-caps=-all", "--no-new-privs", "--"));
        }
        if (withPython) {
            if (!cmd.isEmpty() && Files.isExecutable(Path.of(ENV))) {
                // setpriv searches PATH while it still holds root's capabilities: let env search it as nobody.
                cmd.add(ENV);
                cmd.add("python3");
            } else {
                cmd.add(CgiSystem.findOnPath("python3", path).toString());
            }
            cmd.add("-u");
        }
        cmd.add(script.toString());
        cmd.addAll(CgiPaths.searchArguments(query));
        return cmd;
    }

    /** Starts {@code cmd} with {@code env} as its whole environment, in {@code workdir} unless it is null. */
    static Process spawn(List<String> cmd, Map<String, String> env, Path workdir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().clear();
        builder.environment().putAll(env); // refuses a name or value no environment can hold (NUL, '=')
        if (workdir != null) {
            builder.directory(workdir.toFile());
        }
        return builder.start();
    }

    /** Starts the threads (the body pump when the request has a {@code body}) and the watchdog. */
    void start(boolean body) {
        errors = CgiSystem.daemon(this::logStderr, "cgi-stderr");
        errors.start();
        if (body) {
            pump = CgiSystem.daemon(this::pumpBody, "cgi-stdin");
            pump.start();
        } else {
            closeQuietly(process.getOutputStream());
        }
        Duration timeout = handler.cgiTimeout;
        if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
            watchdog = CgiSystem.WATCHDOG.schedule(() -> {
                timedOut.set(true);
                CgiSystem.killTree(process, grouped);
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The request body to the script's stdin, then end of file; on its own thread. */
    private void pumpBody() {
        OutputStream stdin = process.getOutputStream();
        InputStream rfile = handler.requestBody();
        byte[] buf = new byte[BUFFER];
        try {
            while (true) {
                int n;
                try {
                    n = rfile.read(buf);
                } catch (IOException e) {
                    // The client went away mid-body, or the body broke a server limit: the script must
                    // not take a truncated body for a whole one.
                    bodyError = e;
                    handler.logError("CGI script %s: request body cut short (%s): killing the script", scriptname,
                            e.getMessage());
                    kill();
                    return;
                }
                if (n < 0) {
                    break;
                }
                try {
                    stdin.write(buf, 0, n);
                    stdin.flush();
                } catch (IOException e) {
                    return; // the script closed its stdin or ended: the rest of the body is discarded
                }
            }
        } catch (RuntimeException e) {
            return; // interrupted by finish(), once the script has ended
        } finally {
            closeQuietly(stdin);
        }
    }

    /** Each line of the script's stderr to the log; on its own thread. */
    private void logStderr() {
        try (InputStream err = process.getErrorStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = err.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n' || line.size() >= MAX_LOG_LINE) {
                        logLine(line);
                        if (b == '\n') {
                            continue;
                        }
                    }
                    line.write(b);
                }
            }
            if (line.size() > 0) {
                logLine(line);
            }
        } catch (IOException | RuntimeException e) {
            // the stream ended with the process
        }
    }

    private void logLine(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        line.reset();
        handler.logError("%s: %s", scriptname, text);
    }

    /** Kills the script with all its descendants. */
    void kill() {
        CgiSystem.killTree(process, grouped);
    }

    /** The exit code, waiting for it (the watchdog bounds the wait). */
    int waitFor() throws InterruptedIOException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new InterruptedIOException("interrupted while waiting for CGI script " + scriptname);
        }
    }

    /** Logs the exit code of a script whose response was sent. */
    void exited(int code) {
        if (timedOut.get()) {
            handler.logError("CGI script %s timed out after %s: killed", scriptname, handler.cgiTimeout);
        } else if (code != 0) {
            handler.logError("CGI script %s exit code %d", scriptname, code);
        }
    }

    /** Ends the run, however it went: no process, watchdog or thread on the body outlives it. */
    void finish() {
        if (process.isAlive()) {
            kill();
        }
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        closeQuietly(process.getInputStream());
        if (pump != null && pump.isAlive()) {
            pump.interrupt(); // it may wait for body bytes the script will never read
            interrupted |= join(pump, 5000);
            if (pump.isAlive()) {
                // Still writing to a pipe that something outside the script's tree holds open.
                handler.logError("CGI script %s: its stdin is held open by another process; closing the connection",
                        scriptname);
                handler.abortConnectionQuietly();
            }
        }
        interrupted |= join(errors, 2000);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Joins {@code t} for at most {@code millis}; true when this thread was interrupted meanwhile. */
    private static boolean join(Thread t, long millis) {
        try {
            t.join(millis);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
