package dev.httpserver.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The entry point of the runnable jar: {@code java -jar http-server-cli-all.jar [port] [options]}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        AtomicReference<Runnable> stop = new AtomicReference<>();
        // Ctrl-C and SIGTERM stop the server cleanly; the command then exits 0, as CPython's does.
        SignalHandler handler = sig -> {
            Runnable r = stop.get();
            if (r != null) {
                new Thread(r, "http-server-stop").start();
            } else {
                System.exit(130);
            }
        };
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // a signal this platform does not have
            }
        }
        int code = Cli.run(args, out, err, server -> stop.set(() -> {
            out.println();
            out.println("Keyboard interrupt received, exiting.");
            out.flush();
            server.shutdown();
        }));
        System.exit(code);
    }
}
