package dev.httpserver.netty.cgi;

import dev.httpserver.api.Server;
import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.Limits;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Semaphore;

/**
 * The server-wide count of running CGI scripts: one semaphore per server, of
 * {@link Limits#maxCgiProcesses()} permits (the default limit for a server that is not an
 * {@link HttpServer}). A permit is taken before a script starts and given back once it has ended.
 */
final class CgiSlots {

    private static final Map<Object, Semaphore> SLOTS = new WeakHashMap<>();

    private CgiSlots() {
    }

    /** The permits of {@code server}'s scripts (shared by all its handlers). */
    static Semaphore of(Server server) {
        int max = server instanceof HttpServer s ? s.limits().maxCgiProcesses() : Limits.DEFAULT_MAX_CGI_PROCESSES;
        Object key = server != null ? server : CgiSlots.class;
        synchronized (SLOTS) {
            return SLOTS.computeIfAbsent(key, k -> new Semaphore(max));
        }
    }

    /** The scripts of {@code server} running now. */
    static int running(HttpServer server) {
        return server.limits().maxCgiProcesses() - of(server).availablePermits();
    }
}
