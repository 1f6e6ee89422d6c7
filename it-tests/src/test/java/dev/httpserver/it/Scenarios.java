package dev.httpserver.it;

import static dev.httpserver.it.Probe.W;
import static dev.httpserver.it.Probe.body;
import static dev.httpserver.it.Probe.heads;
import static dev.httpserver.it.Probe.onlyHead;
import static dev.httpserver.it.Probe.writeOut;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpserver.it.Curl.Result;
import dev.httpserver.it.Probe.Head;
import dev.httpserver.it.Servers.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The scenario table both curl modes run ({@link HostCurlTest}, {@link ContainerCurlTest}): what
 * curl does against the real CLI process and the in-process library, and what must come back.
 */
final class Scenarios {

    private Scenarios() {
    }

    /** Every row, in order. */
    static List<Scenario> table() {
        List<Scenario> rows = new ArrayList<>();
        for (Target t : List.of(Target.CLI, Target.LIBRARY)) {
            rows.add(new Scenario(t, "GET of a 1 KiB file returns exactly its bytes",
                    p -> p.assertDownloadMatches("/small.bin", p.servers.small)));
            rows.add(new Scenario(t, "GET of a 16 MiB file returns exactly its bytes",
                    p -> p.assertDownloadMatches("/big.bin", p.servers.big)));
            rows.add(new Scenario(t, "HEAD (curl -I) sends headers only, with Content-Length the file size",
                    Scenarios::headSendsHeadersOnly));
            rows.add(new Scenario(t, "a directory listing links each entry, quoted, folders with a slash",
                    Scenarios::directoryListingLinksEachEntry));
            rows.add(new Scenario(t, "a directory without its slash redirects 301 to it with the query kept",
                    Scenarios::directoryWithoutSlashRedirects));
            rows.add(new Scenario(t, "If-Modified-Since after the file's mtime gives 304 without body, before it 200",
                    Scenarios::ifModifiedSinceGives304));
            rows.add(new Scenario(t, "a missing file gives 404 File not found",
                    Scenarios::missingFileGives404));
            rows.add(new Scenario(t, "an unknown method (curl -X BREW) gives 501 Unsupported method",
                    Scenarios::unknownMethodGives501));
            rows.add(new Scenario(t, "two URLs in one curl run reuse one kept-alive connection",
                    Scenarios::keepAliveReusesTheConnection));
        }
        rows.add(new Scenario(Target.LIBRARY, "POST of 200 KiB to a handler's doPOST comes back byte for byte",
                Scenarios::postBodyIsEchoed));
        rows.add(new Scenario(Target.LIBRARY,
                "PUT of 64 MiB (curl -T) gets 100 Continue, then doPUT reads every byte (count and SHA-256)",
                Scenarios::largePutGets100ContinueAndIsReadWhole));
        rows.add(new Scenario(Target.CLI_IPV6, "GET over IPv6 (curl -g http://[::1]:PORT/) returns the file",
                Scenarios::ipv6Get));
        rows.add(new Scenario(Target.LIBRARY_IPV6, "GET over IPv6 (curl -g http://[::1]:PORT/) returns the file",
                Scenarios::ipv6Get));
        // HTTPS: the CLI with --tls-cert, an encrypted --tls-key and --tls-password-file, and ThreadingHttpsServer;
        // curl trusts the self-signed certificate with --cacert (copied into the container in that mode).
        for (Target t : List.of(Target.CLI_HTTPS, Target.LIBRARY_HTTPS)) {
            rows.add(new Scenario(t, "HTTPS (curl --cacert --http1.1): the 16 MiB file arrives byte-identical over HTTP/1.1",
                    p -> downloadOver(p, "1.1", "--http1.1")));
            rows.add(new Scenario(t, "HTTPS with curl --http2: ALPN picks h2, the 16 MiB file arrives byte-identical over HTTP/2",
                    p -> downloadOver(p, "2", "--http2")));
            rows.add(new Scenario(t, "HTTPS with curl --http2: HEAD, a listing and a 404 on streams of one connection",
                    Scenarios::http2HeadListingAndErrorShareAConnection));
        }
        rows.add(new Scenario(Target.LIBRARY_HTTPS, "HTTPS with curl --http2: POST of 200 KiB to doPOST comes back byte for byte",
                p -> postOver(p, "--http2")));
        // Cleartext HTTP/2 (h2c), with the CLI's --h2c and the library's h2c(true).
        for (Target t : List.of(Target.CLI_H2C, Target.LIBRARY_H2C)) {
            rows.add(new Scenario(t, "h2c with curl --http2-prior-knowledge: the 16 MiB file arrives byte-identical over HTTP/2",
                    p -> downloadOver(p, "2", "--http2-prior-knowledge")));
            rows.add(new Scenario(t, "h2c with curl --http2: Upgrade: h2c gets 101, then HTTP/2 on the same connection",
                    Scenarios::h2cUpgrade));
            rows.add(new Scenario(t, "h2c server: curl without --http2 is still answered in HTTP/1.1, with keep-alive",
                    Scenarios::keepAliveReusesTheConnection));
        }
        rows.add(new Scenario(Target.LIBRARY_H2C, "h2c with curl --http2-prior-knowledge: POST of 200 KiB comes back byte for byte",
                p -> postOver(p, "--http2-prior-knowledge")));
        rows.add(new Scenario(Target.CLI_CGI, "CGI (--cgi): GET and POST run cgi-bin/echo.sh, its headers and output come back",
                Scenarios::cgiScriptRuns));
        // Ranges, resumed and segmented downloads, and compression, with real download tools.
        for (Target t : List.of(Target.CLI, Target.LIBRARY)) {
            rows.add(new Scenario(t, "curl -r 100-199 gets 206 with Content-Range and exactly those 100 bytes",
                    Scenarios::curlRangeGetsThoseBytes));
            rows.add(new Scenario(t, "curl -r past the end gets 416 with Content-Range: bytes */LEN",
                    Scenarios::curlRangePastTheEndGets416));
            rows.add(new Scenario(t, "curl -C - resumes a 16 MiB download cut at 5 MiB: 206 for the rest, byte-identical",
                    Scenarios::curlResumes));
            rows.add(new Scenario(t, "curl --compressed gets page.txt.gz's bytes for page.txt (Content-Encoding: gzip),"
                    + " byte-identical once decompressed", p -> curlCompressed(p, "/page.txt", p.servers.page)));
            rows.add(new Scenario(t, "wget -c resumes a 16 MiB download cut at 5 MiB: 206 for the rest, byte-identical",
                    Scenarios::wgetResumes));
            rows.add(new Scenario(t, "aria2c -x4 -s4 fetches a 64 MiB file in four segments (three 206s beside the first 200), byte-identical",
                    Scenarios::aria2cSegments));
        }
        rows.add(new Scenario(Target.CLI_COMPRESS, "curl --compressed: --compress gzips text.txt on the fly,"
                + " byte-identical once decompressed", p -> curlCompressed(p, "/text.txt", p.servers.text)));
        return rows;
    }

    /** The 16 MiB file with {@code options} (and --cacert for HTTPS), spoken in {@code httpVersion} (curl's %{http_version}). */
    static void downloadOver(Probe p, String httpVersion, String... options) throws Exception {
        CliProcess cli = p.servers.cli(p.target);
        if (cli != null && p.target.tls) {
            String line = "Serving HTTPS on 127.0.0.1 port " + cli.port() + " (https://127.0.0.1:" + cli.port() + "/) ...";
            assertTrue(cli.stdout().contains(line), () -> "the CLI announces itself as CPython 3.14 does: " + line + cli.describe());
        }
        String out = p.curl.outputPath("big.bin");
        List<String> args = new ArrayList<>(p.trust());
        args.addAll(List.of(options));
        args.addAll(List.of("-o", out, "-w", W + "%{http_code} %{size_download} %{http_version}\\n", p.url("/big.bin")));
        Result r = p.ok(args.toArray(String[]::new));
        assertEquals(List.of("200 " + Servers.BIG_SIZE + " " + httpVersion), writeOut(r),
                () -> "status, downloaded size, HTTP version" + r.describe());
        Probe.assertSameBytes(p.servers.big, p.curl.retrieve(out), r);
    }

    static void http2HeadListingAndErrorShareAConnection(Probe p) throws Exception {
        List<String> args = new ArrayList<>(p.trust());
        args.addAll(List.of("--http2", "-I", "-w", W + "%{http_code} %{http_version} %{num_connects}\\n", p.url("/big.bin")));
        Result head = p.ok(args.toArray(String[]::new));
        Head h = onlyHead(head);
        assertEquals("HTTP/2 200", h.statusLine().strip(), () -> "HEAD's status line" + head.describe());
        assertEquals(Long.toString(Servers.BIG_SIZE), h.header("content-length"), () -> "HEAD's content-length" + head.describe());
        assertEquals(null, h.header("connection"), () -> "no connection-specific field on HTTP/2" + head.describe());

        List<String> two = new ArrayList<>(p.trust());
        two.addAll(List.of("--http2", "-o", "/dev/null", "-o", "/dev/null", "-w", W + "%{http_code} %{http_version} %{num_connects}\\n",
                p.url("/docs/"), p.url("/missing.txt")));
        Result r = p.ok(two.toArray(String[]::new));
        assertEquals(List.of("200 2 1", "404 2 0"), writeOut(r),
                () -> "status, version, new connections: the 404 on a second stream of the same connection" + r.describe());
    }

    static void h2cUpgrade(Probe p) throws Exception {
        Result r = p.ok("--http2", "-v", "-o", "/dev/null", "-o", "/dev/null",
                "-w", W + "%{http_code} %{http_version} %{num_connects}\\n", p.url("/small.bin"), p.url("/docs/"));
        assertTrue(r.stderr().contains("Upgrade: h2c"), () -> "curl asked to upgrade" + r.describe());
        assertTrue(r.stderr().contains("< HTTP/1.1 101"), () -> "the server switched protocols" + r.describe());
        assertEquals(List.of("200 2 1", "200 2 0"), writeOut(r),
                () -> "status, version, new connections: both on HTTP/2, on one connection" + r.describe());
    }

    static void postOver(Probe p, String option) throws Exception {
        String in = p.curl.stage(p.servers.postBody);
        String out = p.curl.outputPath("echo.bin");
        List<String> args = new ArrayList<>(p.trust());
        args.addAll(List.of(option, "--data-binary", "@" + in, "-H", "Content-Type: application/octet-stream", "-o", out,
                "-w", W + "%{http_code} %{size_upload} %{size_download} %{http_version}\\n", p.url("/echo")));
        Result r = p.ok(args.toArray(String[]::new));
        assertEquals(List.of("200 " + Servers.POST_SIZE + " " + Servers.POST_SIZE + " 2"), writeOut(r),
                () -> "status, bytes sent, bytes received, HTTP version" + r.describe());
        Probe.assertSameBytes(p.servers.postBody, p.curl.retrieve(out), r);
    }

    static void headSendsHeadersOnly(Probe p) throws Exception {
        // Twice on one connection: a body sent after the first head would garble the second response.
        String url = p.url("/big.bin");
        Result r = p.ok("-I", "-w", W + "%{exitcode} %{http_code} %{num_connects} %{size_download}\\n", url, url);
        List<Head> heads = heads(r);
        assertEquals(2, heads.size(), () -> "two response heads" + r.describe());
        for (Head h : heads) {
            assertEquals(200, h.status(), () -> "status" + r.describe());
            assertEquals(Long.toString(Servers.BIG_SIZE), h.header("Content-Length"),
                    () -> "Content-Length of HEAD is the file size" + r.describe());
            assertNotNull(h.header("Last-Modified"), () -> "Last-Modified" + r.describe());
        }
        assertEquals(List.of("0 200 1 0", "0 200 0 0"), writeOut(r),
                () -> "curl's exit code, status, new connections, body bytes of each HEAD (the second on the same"
                        + " connection)" + r.describe());
    }

    static void directoryListingLinksEachEntry(Probe p) throws Exception {
        Result r = p.ok("-w", "\\n" + W + "%{http_code} %{content_type}\\n", p.url("/docs/"));
        assertEquals(List.of("200 text/html; charset=utf-8"), writeOut(r), () -> "status and type" + r.describe());
        String html = body(r);
        int at = 0;
        for (String expected : List.of(
                "<title>Directory listing for /docs/</title>",
                "<li><a href=\"a.txt\">a.txt</a></li>",
                "<li><a href=\"b%20c.txt\">b c.txt</a></li>",
                "<li><a href=\"sub/\">sub/</a></li>")) {
            int found = html.indexOf(expected, at);
            assertTrue(found >= 0, () -> "the listing has, in this order: " + expected + r.describe());
            at = found + expected.length();
        }
    }

    static void directoryWithoutSlashRedirects(Probe p) throws Exception {
        Result r = p.ok("-o", "/dev/null", "-D", "-", "-w", W + "%{http_code}\\n", p.url("/docs?x=1&y=2"));
        Head h = onlyHead(r);
        assertEquals(301, h.status(), () -> "status" + r.describe());
        assertEquals("/docs/?x=1&y=2", h.header("Location"),
                () -> "Location: the folder with its slash, the query kept" + r.describe());
    }

    static void ifModifiedSinceGives304(Probe p) throws Exception {
        DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
        String after = http.format(Servers.SMALL_MTIME.plus(Duration.ofHours(1)));
        String before = http.format(Servers.SMALL_MTIME.minus(Duration.ofDays(1)));
        String url = p.url("/small.bin");
        Result notModified = p.ok("-z", after, "-o", "/dev/null", "-D", "-", "-w", W + "%{http_code} %{size_download}\\n", url);
        assertEquals(List.of("304 0"), writeOut(notModified),
                () -> "If-Modified-Since " + after + " (after the mtime): status and body bytes" + notModified.describe());
        assertEquals(304, onlyHead(notModified).status(), notModified::describe);
        Result modified = p.ok("-z", before, "-o", "/dev/null", "-w", W + "%{http_code} %{size_download}\\n", url);
        assertEquals(List.of("200 " + Servers.SMALL_SIZE), writeOut(modified),
                () -> "If-Modified-Since " + before + " (before the mtime): status and body bytes" + modified.describe());
    }

    static void cgiScriptRuns(Probe p) throws Exception {
        Result get = p.ok("-i", p.url("/cgi-bin/echo.sh?a=1"));
        assertTrue(get.stdout().contains("X-Cgi: yes"), () -> "the script's header" + get.describe());
        assertTrue(get.stdout().contains("GET a=1 0"), () -> "the script's output" + get.describe());
        Result post = p.ok("--data-binary", "hello cgi", p.url("/cgi-bin/echo.sh"));
        assertTrue(post.stdout().contains("POST  9"), () -> "the body reached the script's stdin" + post.describe());
    }

    static void missingFileGives404(Probe p) throws Exception {
        Result r = p.ok("-w", "\\n" + W + "%{http_code}\\n", p.url("/missing.txt"));
        assertEquals(List.of("404"), writeOut(r), () -> "status" + r.describe());
        assertTrue(body(r).contains("<p>Message: File not found.</p>"), () -> "the error page" + r.describe());
    }

    static void unknownMethodGives501(Probe p) throws Exception {
        Result r = p.ok("-X", "BREW", "-w", "\\n" + W + "%{http_code}\\n", p.url("/small.bin"));
        assertEquals(List.of("501"), writeOut(r), () -> "status" + r.describe());
        assertTrue(body(r).contains("<p>Message: Unsupported method ('BREW').</p>"),
                () -> "the error page names the method" + r.describe());
    }

    static void keepAliveReusesTheConnection(Probe p) throws Exception {
        Result r = p.ok("-o", "/dev/null", "-o", "/dev/null", "-w", W + "%{exitcode} %{http_code} %{num_connects}\\n",
                p.url("/small.bin"), p.url("/docs/"));
        assertEquals(List.of("0 200 1", "0 200 0"), writeOut(r),
                () -> "curl's exit code, status and new connections of each transfer: the second must reuse the"
                        + " first's connection" + r.describe());
    }

    static void postBodyIsEchoed(Probe p) throws Exception {
        String in = p.curl.stage(p.servers.postBody);
        String out = p.curl.outputPath("echo.bin");
        Result r = p.ok("--data-binary", "@" + in, "-H", "Content-Type: application/octet-stream", "-o", out,
                "-w", W + "%{http_code} %{size_upload} %{size_download}\\n", p.url("/echo"));
        assertEquals(List.of("200 " + Servers.POST_SIZE + " " + Servers.POST_SIZE), writeOut(r),
                () -> "status, bytes sent, bytes received" + r.describe());
        Probe.assertSameBytes(p.servers.postBody, p.curl.retrieve(out), r);
    }

    static void largePutGets100ContinueAndIsReadWhole(Probe p) throws Exception {
        String in = p.curl.stage(p.servers.upload);
        Result r = p.ok("-v", "-T", in, "-w", W + "%{http_code} %{size_upload}\\n", p.url("/upload"));
        assertEquals(List.of("200 " + Servers.UPLOAD_SIZE), writeOut(r), () -> "status and bytes sent" + r.describe());
        assertEquals("bytes=" + Servers.UPLOAD_SIZE + " sha256=" + HexFormat.of().formatHex(p.servers.uploadSha256) + "\n",
                body(r), () -> "what doPUT read: length and SHA-256" + r.describe());
        assertTrue(r.stderr().contains("> Expect: 100-continue"),
                () -> "curl sent Expect: 100-continue (else this scenario tests nothing)" + r.describe());
        assertTrue(r.stderr().contains("< HTTP/1.1 100 Continue"),
                () -> "the server answered 100 Continue before the body" + r.describe());
    }

    /** Where a download is cut before it is resumed. */
    static final int CUT_AT = 5 << 20;

    static void curlRangeGetsThoseBytes(Probe p) throws Exception {
        String out = p.curl.outputPath("range.bin");
        Result r = p.ok("-r", "100-199", "-D", "-", "-o", out, "-w", W + "%{http_code} %{size_download}\\n", p.url("/small.bin"));
        assertEquals(List.of("206 100"), writeOut(r), () -> "status and downloaded size" + r.describe());
        Head h = onlyHead(r);
        assertEquals("bytes 100-199/" + Servers.SMALL_SIZE, h.header("Content-Range"), () -> "Content-Range" + r.describe());
        assertEquals("bytes", h.header("Accept-Ranges"), () -> "Accept-Ranges" + r.describe());
        byte[] expected = Arrays.copyOfRange(Files.readAllBytes(p.servers.small), 100, 200);
        assertArrayEquals(expected, Files.readAllBytes(p.curl.retrieve(out)), () -> "bytes 100-199 of small.bin" + r.describe());
    }

    static void curlRangePastTheEndGets416(Probe p) throws Exception {
        Result r = p.ok("-r", "5000-6000", "-D", "-", "-o", "/dev/null", "-w", W + "%{http_code}\\n", p.url("/small.bin"));
        assertEquals(List.of("416"), writeOut(r), () -> "status" + r.describe());
        assertEquals("bytes */" + Servers.SMALL_SIZE, onlyHead(r).header("Content-Range"), () -> "Content-Range" + r.describe());
    }

    /** The first {@link #CUT_AT} bytes of big.bin, as a download cut short leaves them. */
    static byte[] cutBig(Probe p) throws IOException {
        return Arrays.copyOf(Files.readAllBytes(p.servers.big), CUT_AT);
    }

    static void curlResumes(Probe p) throws Exception {
        String out = p.curl.outputPathHolding("big.bin", cutBig(p));
        Result r = p.ok("-C", "-", "-D", "-", "-o", out, "-w", W + "%{http_code} %{size_download}\\n", p.url("/big.bin"));
        assertEquals(List.of("206 " + (Servers.BIG_SIZE - CUT_AT)), writeOut(r),
                () -> "status and bytes downloaded: only the rest" + r.describe());
        assertEquals("bytes " + CUT_AT + "-" + (Servers.BIG_SIZE - 1) + "/" + Servers.BIG_SIZE, onlyHead(r).header("Content-Range"),
                () -> "Content-Range" + r.describe());
        Probe.assertSameBytes(p.servers.big, p.curl.retrieve(out), r);
    }

    static void curlCompressed(Probe p, String path, Path original) throws Exception {
        String out = p.curl.outputPath(original.getFileName().toString());
        Result r = p.ok("--compressed", "-D", "-", "-o", out, "-w", W + "%{http_code}\\n", p.url(path));
        assertEquals(List.of("200"), writeOut(r), () -> "status" + r.describe());
        Head h = onlyHead(r);
        assertEquals("gzip", h.header("Content-Encoding"), () -> "sent gzipped (else this tests nothing)" + r.describe());
        assertTrue(h.header("Vary") != null && h.header("Vary").toLowerCase(java.util.Locale.ROOT).contains("accept-encoding"),
                () -> "Vary: Accept-Encoding" + r.describe());
        assertEquals("text/plain", h.header("Content-type"), () -> "the text's own type" + r.describe());
        Probe.assertSameBytes(original, p.curl.retrieve(out), r);
    }

    /** Skips the scenario, saying why, when {@code tool} cannot run here or is not the expected one. */
    static void assumeTool(Probe p, String tool, String versionMark) throws Exception {
        String missing = p.curl.missingTool(tool);
        assumeTrue(missing == null, missing);
        Result v = p.curl.runTool(tool, "--version");
        assumeTrue(v.exitCode() == 0 && v.stdout().contains(versionMark),
                () -> tool + " here is not " + versionMark + " (" + p.curl.describe() + ")" + v.describe());
    }

    static void wgetResumes(Probe p) throws Exception {
        assumeTool(p, "wget", "GNU Wget");
        String out = p.curl.outputPathHolding("big.bin", cutBig(p));
        Result r = p.curl.runTool("wget", "--no-config", "--no-proxy", "--tries=1", "--timeout=30", "-nv", "-S",
                "-c", "-O", out, p.url("/big.bin"));
        assertEquals(0, r.exitCode(), () -> "wget's exit code" + r.describe());
        assertTrue(r.stderr().contains("HTTP/1.1 206 Partial Content"), () -> "the server answered 206" + r.describe());
        assertTrue(r.stderr().contains("Content-Range: bytes " + CUT_AT + "-" + (Servers.BIG_SIZE - 1) + "/" + Servers.BIG_SIZE),
                () -> "for the rest of the file" + r.describe());
        Probe.assertSameBytes(p.servers.big, p.curl.retrieve(out), r);
    }

    static void aria2cSegments(Probe p) throws Exception {
        assumeTool(p, "aria2c", "aria2 version");
        String out = p.curl.outputPath("huge.bin");
        int slash = out.lastIndexOf('/');
        CliProcess cli = p.servers.cli(p.target);
        int logged = cli == null ? 0 : count(cli.stderr(), "\"GET /huge.bin HTTP/1.1\" 206");
        Result r = p.curl.runTool("aria2c", "--no-conf", "-x4", "-s4", "--min-split-size=1M", "--file-allocation=none",
                "--allow-overwrite=true", "--auto-file-renaming=false", "--summary-interval=0", "--console-log-level=warn",
                "--log=-", "--log-level=info", "--max-tries=1", "--connect-timeout=10", "--timeout=30", "--stop=60",
                "--no-proxy=127.0.0.1,::1,localhost", "-d", out.substring(0, slash), "-o", out.substring(slash + 1),
                p.url("/huge.bin"));
        assertEquals(0, r.exitCode(), () -> "aria2c's exit code" + r.describe());
        // aria2c's first request has no Range: it learns the size from that 200 and reads the first segment
        // from it, while three more connections ask for the other segments with a Range each, answered 206.
        int responses = count(r.stdout(), "Response received:");
        int whole = count(r.stdout(), "HTTP/1.1 200 OK");
        int partial = count(r.stdout(), "HTTP/1.1 206 Partial Content");
        assertTrue(partial >= 3 && whole <= 1 && responses == whole + partial,
                () -> "at least three 206s, at most one 200, nothing else; aria2c logged " + responses + " responses, "
                        + whole + " 200s, " + partial + " 206s" + r.describe());
        if (cli != null) {
            // The CLI logs each request; the in-process library's log is this JVM's stderr.
            String log = cli.awaitStderr(err -> count(err, "\"GET /huge.bin HTTP/1.1\" 206") - logged >= 3, 10);
            int more = count(log, "\"GET /huge.bin HTTP/1.1\" 206") - logged;
            assertTrue(more >= 3, () -> "the CLI logged " + more + " answers 206 for huge.bin" + cli.describe());
        }
        Probe.assertSameBytes(p.servers.huge, p.curl.retrieve(out), r);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    static void ipv6Get(Probe p) throws Exception {
        CliProcess cli = p.servers.cli(p.target);
        if (cli != null) {
            String line = "Serving HTTP on ::1 port " + cli.port() + " (http://[::1]:" + cli.port() + "/) ...";
            assertTrue(cli.stdout().contains(line), () -> "the CLI announces itself as: " + line + cli.describe());
        }
        assertTrue(p.url("/").startsWith("http://[::1]:"), () -> "an IPv6 URL: " + p.url("/"));
        p.assertDownloadMatches("/small.bin", p.servers.small, "-g");
    }
}
