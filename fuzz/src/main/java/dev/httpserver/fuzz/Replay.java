package dev.httpserver.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs saved inputs (files, or directories of them) through the fuzz target without Jazzer, one after
 * the other on the same server, and says which ones give a finding; exits 1 if any does.
 *
 * <pre>
 *   java -cp "fuzz/target/classes:$(cat fuzz/target/fuzz.classpath)" dev.httpserver.fuzz.Replay crash-123abc
 * </pre>
 */
public final class Replay {

    private Replay() {
    }

    public static void main(String[] args) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        int failed = 0;
        PrintStream out = System.out;
        for (Path f : files) {
            byte[] data = Files.readAllBytes(f);
            try {
                HttpRequestFuzzer.fuzzerTestOneInput(data);
                out.println("ok       " + f + "  " + HttpRequestFuzzer.lastSummary);
            } catch (ServerFinding e) {
                failed++;
                out.println("FINDING  " + f + "\n" + e.getMessage() + "\n");
            }
        }
        out.println(files.size() + " input(s), " + failed + " finding(s)");
        System.exit(failed == 0 ? 0 : 1);
    }
}
