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

    /**
     * The program that starts each script as the leader of a process group of its own, so that a
     * kill reaches every process the script started, even one its parent left behind (util-linux,
     * beside {@code setpriv}); without it, only the processes found below the script are killed.
     */
    static final String SETSID = "/usr/bin/setsid";

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
    static void killTree(Process process, boolean grouped) {
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
        if (grouped) {
            killGroup(process.pid());
        }
    }

    /**
     * Kills every live process of the process group {@code pgid} (the script's: it was started as its
     * leader), found in {@code /proc}: a process its parent left behind is no longer below the script,
     * but it is still in its group. A few passes, as a process may start another until it is killed.
     */
    static void killGroup(long pgid) {
        for (int pass = 0; pass < 8; pass++) {
            List<Long> members = groupMembers(pgid);
            if (members.isEmpty()) {
                return;
            }
            for (long pid : members) {
                try {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                } catch (RuntimeException e) {
                    // gone meanwhile, or not ours
                }
            }
        }
    }

    /** The live (not zombie) processes whose process group is {@code pgid}, from {@code /proc/PID/stat}. */
    static List<Long> groupMembers(long pgid) {
        List<Long> members = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                String stat;
                try {
                    stat = Files.readString(proc.resolve("stat"), StandardCharsets.ISO_8859_1);
                } catch (IOException | RuntimeException e) {
                    continue; // ended meanwhile
                }
                // pid (comm) state ppid pgrp ...: the name may hold spaces and parentheses, so after the last ')'
                int close = stat.lastIndexOf(')');
                String[] f = close < 0 ? new String[0] : stat.substring(close + 1).trim().split(" ");
                if (f.length > 2 && !f[0].equals("Z") && !f[0].equals("X") && f[2].equals(Long.toString(pgid))) {
                    members.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the processes below the script were killed, which is all that can be done
        }
        return members;
    }
}
