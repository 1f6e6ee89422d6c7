package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.httpserver.it.Curl.Result;
import dev.httpserver.it.Servers.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a scenario works with: the mode's {@link Curl}, the {@link Servers}, and the row's target;
 * plus the parsing and assertions several scenarios share. Every assertion message carries curl's
 * command, exit code, stdout and stderr.
 *
 * <p>Convention: {@code -w} output lines start with {@value #W}, so they are told apart from the
 * headers ({@code -D -}) and bodies on stdout.
 */
final class Probe {

    /** The prefix of curl's {@code -w} lines. */
    static final String W = "w:";

    final Curl curl;
    final Servers servers;
    final Target target;

    Probe(Curl curl, Servers servers, Target target) {
        this.curl = curl;
        this.servers = servers;
        this.target = target;
    }

    /**
     * {@code --cacert <the servers' certificate, where this curl can read it>} for an HTTPS target, as a
     * user trusts a self-signed certificate; nothing for the others.
     */
    List<String> trust() throws IOException {
        return target.tls ? List.of("--cacert", curl.stage(servers.tlsCert)) : List.of();
    }

    /** The URL of {@code path} ({@code /x}) on the row's server. */
    String url(String path) {
        return servers.baseUrl(target) + path;
    }

    /** Runs curl; fails, with curl's output, unless it exits 0. */
    Result ok(String... args) throws IOException, InterruptedException {
        Result r = curl.run(args);
        if (r.exitCode() != 0) {
            fail(curl.describe() + " failed against the " + target.label + " server" + r.describe());
        }
        return r;
    }

    /** The {@code -w} lines of stdout, without their prefix. */
    static List<String> writeOut(Result r) {
        List<String> lines = new ArrayList<>();
        for (String line : r.stdout().split("\r?\n")) {
            if (line.startsWith(W)) {
                lines.add(line.substring(W.length()));
            }
        }
        return lines;
    }

    /** stdout up to the first {@code -w} line: the body (when not written elsewhere with {@code -o}). */
    static String body(Result r) {
        String out = r.stdout();
        if (out.startsWith(W)) {
            return "";
        }
        int i = out.indexOf("\n" + W);
        return i < 0 ? out : out.substring(0, i + 1);
    }

    /** The response heads curl wrote on stdout ({@code -D -} or {@code -I}), in order. */
    static List<Head> heads(Result r) {
        List<Head> heads = new ArrayList<>();
        Head current = null;
        for (String line : r.stdout().split("\n", -1)) {
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (current == null) {
                if (line.startsWith("HTTP/")) {
                    current = new Head(line, new LinkedHashMap<>());
                    heads.add(current);
                }
            } else if (line.isEmpty()) {
                current = null;
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    current.headers().put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).trim());
                }
            }
        }
        return heads;
    }

    /** The only head on stdout; fails when there is not exactly one. */
    static Head onlyHead(Result r) {
        List<Head> heads = heads(r);
        assertEquals(1, heads.size(), () -> "expected exactly one response head on stdout" + r.describe());
        return heads.get(0);
    }

    /** A response's status line and headers (names lower-cased). */
    record Head(String statusLine, Map<String, String> headers) {
        int status() {
            return Integer.parseInt(statusLine.split(" ", 3)[1]);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * GETs {@code path} into a file ({@code -o}) with {@code extra} options and checks the status is
     * 200 and the bytes are exactly those of {@code source}.
     */
    void assertDownloadMatches(String path, Path source, String... extra) throws IOException, InterruptedException {
        String out = curl.outputPath(source.getFileName().toString());
        List<String> args = new ArrayList<>(List.of(extra));
        args.addAll(List.of("-o", out, "-w", W + "%{http_code} %{size_download}\\n", url(path)));
        Result r = ok(args.toArray(String[]::new));
        long size = Files.size(source);
        assertEquals(List.of("200 " + size), writeOut(r), () -> "status and downloaded size" + r.describe());
        assertSameBytes(source, curl.retrieve(out), r);
    }

    /** Fails, saying where, unless {@code got} holds exactly the bytes of {@code expected}. */
    static void assertSameBytes(Path expected, Path got, Result r) throws IOException {
        long at = Files.mismatch(expected, got);
        if (at != -1) {
            fail("the bytes curl received differ from " + expected.getFileName() + " from byte " + at + " on (received "
                    + Files.size(got) + " bytes, expected " + Files.size(expected) + ")" + r.describe());
        }
    }
}
