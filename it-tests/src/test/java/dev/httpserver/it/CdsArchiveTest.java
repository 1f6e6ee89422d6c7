package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The class-data sharing archive the build makes beside the runnable jar (a training run of the
 * server): it exists, is newer than the jar (as bin/http-server requires to use it), and a JVM
 * started with it takes the command line's classes from it, mapped rather than parsed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CdsArchiveTest {

    @Test
    void theJarsArchiveHoldsTheServersClassesAndIsUsed() throws Exception {
        Path jar = CliProcess.jar();
        String name = jar.getFileName().toString();
        Path archive = jar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + ".jsa");
        // the build makes it unless told not to (-Dcds.skip), and then the jar is newer than any old one
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(archive)
                && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) > 0,
                "no archive newer than the jar beside it: built with -Dcds.skip");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // -Xshare:on: a mismatched archive fails the JVM here instead of being ignored
        Process p = new ProcessBuilder(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info", "-jar", jar.toString(), "--version")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().anyMatch(l -> l.contains(" dev.httpserver.cli.Cli source: shared objects file")),
                "the command line's classes come from the archive:\n" + out.lines().filter(l -> l.contains("dev.httpserver"))
                        .limit(5).reduce("", (a, b) -> a + b + "\n"));
    }
}
