package dev.httpserver.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** The entry point of the runnable jar: {@code java -jar http-server-cli-all.jar [port] [options]}. */
public final class Main {

    private Main() {
    }

    /**
     * Runs the command line and exits the JVM with its code: 0 after a clean stop (Ctrl-C or
     * {@code SIGTERM} shut the server down; Ctrl-C prints CPython's "Keyboard interrupt received,
     * exiting.", {@code SIGTERM} nothing), 1 when the server cannot start, 2 for a usage error.
     *
     * @param args the port and options, as {@code python -m http.server} takes them ({@code --help})
     */
    public static void main(String[] args) {
        warmUp();
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        AtomicReference<Consumer<Boolean>> stop = new AtomicReference<>();
        // Ctrl-C and SIGTERM stop the server cleanly; the command then exits 0, as CPython's does.
        // sun.misc is named here rather than imported: javadoc reads imports (not method bodies) and
        // warns of an internal API, which would fail the release build's javadoc.
        // Ctrl-C (SIGINT) prints CPython's KeyboardInterrupt line; SIGTERM (kill, docker stop) stops as
        // quietly as CPython's default SIGTERM does, but cleanly.
        sun.misc.SignalHandler handler = sig -> {
            Consumer<Boolean> r = stop.get();
            boolean interrupt = "INT".equals(sig.getName());
            if (r != null) {
                new Thread(() -> r.accept(interrupt), "http-server-stop").start();
            } else {
                System.exit(interrupt ? 130 : 143);
            }
        };
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // a signal this platform does not have
            }
        }
        int code = Cli.run(args, out, err, server -> stop.set(interrupt -> {
            if (interrupt) {
                out.println();
                out.println("Keyboard interrupt received, exiting.");
                out.flush();
            }
            server.shutdown();
        }));
        System.exit(code);
    }

    /**
     * While the main thread parses the arguments, a second one initialises the classes a plain run
     * initialises next (the server, Netty's transport and codec, the file handler: warm-up.txt, in the
     * order a run takes them): the same work, done earlier and on the other core. A class that is
     * missing or fails here is left to the server, which meets it as it would have.
     * {@code -Ddev.httpserver.warmup=false} turns it off.
     */
    private static void warmUp() {
        if ("false".equalsIgnoreCase(System.getProperty("dev.httpserver.warmup"))) {
            return;
        }
        Thread t = new Thread(() -> {
            try (java.io.InputStream in = Main.class.getResourceAsStream("warm-up.txt")) {
                if (in == null) {
                    return;
                }
                ClassLoader loader = Main.class.getClassLoader();
                for (String name : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                    if (!name.isBlank()) {
                        try {
                            Class.forName(name.trim(), true, loader);
                        } catch (ClassNotFoundException | LinkageError e) {
                            // only slower: the server initialises it when it needs it
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // only slower
            }
        }, "http-server-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
