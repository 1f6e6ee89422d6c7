package dev.httpserver.netty;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads handlers run on: never an event loop. */
final class HandlerExecutors {

    private HandlerExecutors() {
    }

    /** A new thread per task: virtual threads where the JVM has them (21+), daemon platform threads otherwise. */
    static ExecutorService threadPerTask() {
        try {
            Object exec = MethodHandles.publicLookup()
                    .findStatic(Executors.class, "newVirtualThreadPerTaskExecutor", MethodType.methodType(ExecutorService.class))
                    .invoke();
            return (ExecutorService) exec;
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return Executors.newCachedThreadPool(daemonThreads("http-handler-"));
        } catch (Throwable t) {
            return Executors.newCachedThreadPool(daemonThreads("http-handler-"));
        }
    }

    /** One handler thread for the whole server, as Python's non-threading {@code HTTPServer}. */
    static ExecutorService singleThread() {
        return Executors.newSingleThreadExecutor(daemonThreads("http-handler-"));
    }

    /** Whether {@link #threadPerTask()} gives virtual threads on this JVM. */
    static boolean virtualThreads() {
        return Runtime.version().feature() >= 21;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
