package dev.httpserver.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real command line ({@code java -jar <cli.jar> 0 --bind ADDRESS --directory DIR}) as a separate
 * process. {@link #start} returns once the process has printed its {@code Serving HTTP on ...} line
 * (bounded wait), with the port taken from that line; its stdout and stderr are drained all along
 * (the per-request log lines go to stderr) and kept for messages.
 */
final class CliProcess implements AutoCloseable {

    /**
     * {@code Serving HTTP on 127.0.0.1 port 8000 (http://127.0.0.1:8000/) ...}, as CPython prints it
     * ({@code Serving HTTPS ... (https://...)} with TLS, as CPython 3.14).
     */
    static final Pattern SERVING = Pattern.compile(
            "^Serving HTTPS? on (\\S+) port (\\d+) \\(https?://(\\S+):(\\d+)/\\) \\.\\.\\.$");

    static final long START_TIMEOUT_SECONDS = 30;
    static final long STOP_TIMEOUT_SECONDS = 15;

    private final Process process;
    private final List<String> command;
    private final StringBuffer stdout = new StringBuffer();
    private final StringBuffer stderr = new StringBuffer();
    private final CompletableFuture<Matcher> serving = new CompletableFuture<>();
    private final Thread outReader;
    private final Thread errReader;
    private final Thread killOnExit;
    private int port;
    private String printedUrlHost;

    private CliProcess(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        this.outReader = drain(process.getInputStream(), stdout, true, "cli-stdout");
        this.errReader = drain(process.getErrorStream(), stderr, false, "cli-stderr");
        // Should this JVM exit without the tests' @AfterAll (a surefire timeout), take the process along.
        this.killOnExit = new Thread(process::destroyForcibly, "kill-cli-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        process.onExit().thenRun(() -> {
            try {
                outReader.join(5_000); // a Serving line printed just before the exit still counts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            serving.completeExceptionally(new IllegalStateException(
                    "the CLI exited with code " + process.exitValue() + " before printing its Serving line"));
        });
    }

    /** The jar given to the tests by the build ({@code -Dcli.jar}, fed from {@code it.cli.jar}). */
    static Path jar() {
        String jar = System.getProperty("cli.jar");
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property cli.jar is not set: run the tests through Maven "
                    + "(./mvnw -B verify -pl it-tests -am) or pass -Dit.cli.jar=<http-server-cli-*-all.jar>");
        }
        Path p = Path.of(jar);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("cli.jar " + p + " does not exist: build http-server-cli first "
                    + "(./mvnw -B verify -pl it-tests -am builds it)");
        }
        return p;
    }

    /**
     * Starts {@code java -jar <cli.jar> 0 --bind bind --directory directory [extra...]} and waits for
     * its Serving line.
     */
    static CliProcess start(String bind, Path directory, String... extra) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dio.netty.leakDetection.level=paranoid", "-jar",
                jar().toString(), "0", "--bind", bind, "--directory", directory.toString()));
        command.addAll(List.of(extra));
        CliProcess cli = new CliProcess(new ProcessBuilder(command).start(), command);
        try {
            cli.process.getOutputStream().close();
            Matcher m = cli.serving.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            cli.port = Integer.parseInt(m.group(2));
            cli.printedUrlHost = m.group(3);
            if (Integer.parseInt(m.group(4)) != cli.port) {
                throw new IllegalStateException("the Serving line names two ports: " + m.group());
            }
            return cli;
        } catch (ExecutionException | TimeoutException e) {
            cli.close();
            String why = e instanceof TimeoutException ? "no Serving line within " + START_TIMEOUT_SECONDS + " s"
                    : e.getCause().getMessage();
            throw new IllegalStateException(why + cli.describe(), e);
        } catch (RuntimeException | InterruptedException e) {
            cli.close();
            throw e;
        }
    }

    private Thread drain(InputStream in, StringBuffer into, boolean watchServing, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (into) {
                        into.append(line).append('\n');
                        into.notifyAll();
                    }
                    if (watchServing && !serving.isDone()) {
                        Matcher m = SERVING.matcher(line);
                        if (m.matches()) {
                            serving.complete(m);
                        }
                    }
                }
            } catch (IOException e) {
                into.append("[reading failed: ").append(e).append("]\n");
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    int port() {
        return port;
    }

    /** The host as written in the URL of the Serving line ({@code 127.0.0.1}, {@code [::1]}). */
    String printedUrlHost() {
        return printedUrlHost;
    }

    String stdout() {
        return stdout.toString();
    }

    /**
     * The stdout once it holds {@code text}, or as it stands after {@code seconds}: lines printed
     * after the Serving line (the certificate's) may still be on their way when {@link #start}
     * returns.
     */
    String awaitStdout(String text, long seconds) throws InterruptedException {
        return await(stdout, out -> out.contains(text), seconds);
    }

    /**
     * The stderr once {@code test} holds for it, or as it stands after {@code seconds}: the CLI
     * writes its request log from a background thread, a moment after the answer.
     */
    String awaitStderr(java.util.function.Predicate<String> test, long seconds) throws InterruptedException {
        return await(stderr, test, seconds);
    }

    private static String await(StringBuffer buffer, java.util.function.Predicate<String> test, long seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (buffer) {
            for (long left; !test.test(buffer.toString()) && (left = deadline - System.nanoTime()) > 0; ) {
                TimeUnit.NANOSECONDS.timedWait(buffer, left);
            }
            return buffer.toString();
        }
    }

    String stderr() {
        return stderr.toString();
    }

    Process process() {
        return process;
    }

    /**
     * Sends SIGTERM (the CLI treats it as Ctrl-C) and waits for the exit; returns the exit code, or
     * throws when the process had to be killed. The signal goes through {@link ProcessHandle#destroy()}:
     * {@link Process#destroy()} sends the same SIGTERM but also closes our end of the process's
     * stdout, and what it prints while exiting would be lost.
     */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();
        boolean exited = process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        // the output is complete once both streams have ended
        outReader.join(5_000);
        errReader.join(5_000);
        if (!exited) {
            throw new AssertionError("the CLI did not exit within " + STOP_TIMEOUT_SECONDS
                    + " s of SIGTERM and was killed" + describe());
        }
        return process.exitValue();
    }

    /** The command, and what the process printed so far, for messages. */
    String describe() {
        return "\n$ " + String.join(" ", command) + "\n--- CLI stdout ---\n" + stdout + "--- CLI stderr (last 4000 chars) ---\n"
                + tail(stderr.toString(), 4000) + "---";
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "[...]" + s.substring(s.length() - n);
    }

    /** Makes sure the process is gone (SIGTERM, then SIGKILL); never throws. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.toHandle().destroy();
                if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException e) {
                // the JVM is exiting: the hook runs anyway
            }
        }
    }

    /** Netty leak reports the process printed (it runs with the leak detector at paranoid). */
    List<String> leakReports() {
        List<String> leaks = new ArrayList<>();
        for (String line : stderr.toString().split("\n")) {
            if (line.contains("LEAK:")) {
                leaks.add(line);
            }
        }
        return leaks;
    }
}
