package dev.httpserver.netty.cgi;

/**
 * Kills a script, with its descendants, when its client goes away (see
 * {@code Transport.onClientGone}): registered before the script starts, so that a client already
 * gone (a reset HTTP/2 stream) starts none. Runs on an I/O thread: the killing itself, which lists
 * the process tree, is handed to the CGI watchdog thread.
 */
final class CgiClientWatch implements Runnable {

    private boolean gone;
    private CgiProcess run;

    @Override
    public void run() {
        CgiProcess r;
        synchronized (this) {
            gone = true;
            r = run;
        }
        if (r != null) {
            kill(r);
        }
    }

    /** Whether the client has gone. */
    synchronized boolean gone() {
        return gone;
    }

    /** The script started for the client; killed at once if the client went meanwhile. */
    void started(CgiProcess r) {
        boolean kill;
        synchronized (this) {
            run = r;
            kill = gone;
        }
        if (kill) {
            kill(r);
        }
    }

    private static void kill(CgiProcess r) {
        r.clientGone.set(true);
        CgiSystem.WATCHDOG.execute(r::kill);
    }
}
