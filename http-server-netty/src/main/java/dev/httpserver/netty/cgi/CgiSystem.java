package dev.httpserver.netty.cgi;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/** What {@link CgiHttpRequestHandler} needs of the operating system: users, programs, process trees. */
final class CgiSystem {

    /** The program that runs scripts as {@code nobody} when the server runs as root. */
    static final String SETPRIV = "/usr/bin/setpriv";

    /** The PATH given to scripts when the server has none. */
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Kills scripts that run past their time; one daemon thread, whose tasks only send signals. */
    static final ScheduledExecutorService WATCHDOG = watchdog();

    private static volatile Boolean root;
    private static volatile long[] nobody;

    private CgiSystem() {
    }

    private static ScheduledExecutorService watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "cgi-watchdog"));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** A daemon platform thread, not started. */
    static Thread daemon(Runnable task, String name) {
        Thread t = new Thread(task, name + "-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    /** Whether this process runs as root: user {@code root}, or effective uid 0 in {@code /proc/self/status}. */
    static boolean isRoot() {
        Boolean r = root;
        if (r == null) {
            r = "root".equals(System.getProperty("user.name")) || effectiveUid() == 0;
            root = r;
        }
        return r;
    }

    private static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return Long.parseLong(ids.length > 1 ? ids[1] : ids[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: user.name decides
        }
        return -1;
    }

    /**
     * The uid and gid of {@code nobody} from {@code /etc/passwd}; 65534 for both when there is no
     * such entry (CPython's {@code nobody_uid()} falls back to one more than the largest uid).
     */
    static long[] nobody() {
        long[] ids = nobody;
        if (ids == null) {
            ids = new long[] {65534, 65534};
            try {
                for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.ISO_8859_1)) {
                    String[] f = line.split(":", -1);
                    if (f.length >= 4 && f[0].equals("nobody")) {
                        ids = new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])};
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // keep 65534
            }
            nobody = ids;
        }
        return ids.clone();
    }

    /** The first executable regular file named {@code name} in the directories of {@code path}, or null. */
    static Path findOnPath(String name, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            } catch (RuntimeException e) {
                // an unusable PATH entry
            }
        }
        return null;
    }

    /**
     * Kills {@code process} and every process below it: the descendants are listed first (a child
     * whose parent died is no longer below anything), then the process and each of them are killed
     * with SIGKILL.
     */
    static void killTree(Process process) {
        List<ProcessHandle> descendants;
        try {
            descendants = process.descendants().toList();
        } catch (RuntimeException e) {
            descendants = List.of();
        }
        process.destroyForcibly();
        for (ProcessHandle p : descendants) {
            try {
                p.destroyForcibly();
            } catch (RuntimeException e) {
                // already gone, or not ours
            }
        }
    }
}
