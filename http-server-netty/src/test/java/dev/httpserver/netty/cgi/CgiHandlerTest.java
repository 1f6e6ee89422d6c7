package dev.httpserver.netty.cgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.ThreadingHttpServer;
import dev.httpserver.netty.testing.RawHttp;
import dev.httpserver.netty.testing.RawHttp.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CgiHttpRequestHandler} through a real server and real scripts ({@code sh} and
 * {@code python3}) written at test time. The tests may run as root, and scripts then run as
 * {@code nobody}: every folder and script is given explicit permissions.
 */
@Timeout(120)
class CgiHandlerTest {

    @TempDir
    static Path temp;
    static Path root;
    static Path cgiBin;
    static Path marks;
    static HttpServer server;
    static HttpServer quick;
    static HttpServer noSetpriv;
    static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());

    static class Handler extends CgiHttpRequestHandler {
        Handler(Path dir, Duration timeout) {
            super(dir);
            protocolVersion = "HTTP/1.1";
            cgiTimeout = timeout;
        }

        @Override
        public void logMessage(String format, Object... args) {
            LOG.add(args.length == 0 ? format : String.format(format, args));
        }
    }

    @BeforeAll
    static void start() throws IOException {
        chmod(temp, "rwxr-xr-x");
        root = dir(temp.resolve("www"));
        cgiBin = dir(root.resolve("cgi-bin"));
        Path htbin = dir(root.resolve("htbin"));
        Path sub = dir(cgiBin.resolve("sub"));
        marks = dir(temp.resolve("marks"));
        chmod(marks, "rwxrwxrwx");
        Files.writeString(root.resolve("hello.txt"), "hello world\n");
        chmod(root.resolve("hello.txt"), "rw-r--r--");

        script(cgiBin, "env.sh", "#!/bin/sh\n"
                + "printf 'Content-Type: text/plain\\n\\n'\n"
                + "env\n"
                + "for a in \"$@\"; do printf 'ARG:%s\\n' \"$a\"; done\n"
                + "printf 'UID:%s\\n' \"$(id -u)\"\n"
                + "printf 'CWD:%s\\n' \"$(pwd)\"\n");
        script(htbin, "env.sh", Files.readString(cgiBin.resolve("env.sh")));
        script(sub, "nested.sh", Files.readString(cgiBin.resolve("env.sh")));
        script(cgiBin, "echo.sh", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\r\\n\\r\\n'\nexec cat\n");
        script(cgiBin, "count.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nwc -c | tr -d ' '\n");
        script(cgiBin, "zeros.sh", "#!/bin/sh\nprintf 'Content-Type: application/octet-stream\\n\\n'\nexec head -c 67108864 /dev/zero\n");
        script(cgiBin, "endless.sh", "#!/bin/sh\necho $$ > " + marks.resolve("endless.pid")
                + "\nprintf 'Content-Type: text/plain\\n\\n'\nexec yes\n");
        script(cgiBin, "status.sh", "#!/bin/sh\nprintf 'Status: 404 Not Here\\nContent-Type: text/plain\\n\\ngone\\n'\n");
        script(cgiBin, "redirect.sh", "#!/bin/sh\nprintf 'Location: https://example.com/elsewhere?x=1\\n\\n'\n");
        script(cgiBin, "local.sh", "#!/bin/sh\nprintf 'Location: /hello.txt\\n\\nignored body\\n'\n");
        script(cgiBin, "local-cgi.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/env.sh/via?redirected\\n\\n'\n");
        script(cgiBin, "loop.sh", "#!/bin/sh\nprintf 'Location: /cgi-bin/loop.sh\\n\\n'\n");
        script(cgiBin, "fail.sh", "#!/bin/sh\necho 'oops on stderr' >&2\nexit 3\n");
        script(cgiBin, "late-fail.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\npartial\\n'\nexit 4\n");
        script(cgiBin, "crlf.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\nX-Extra: yes\\r\\n"
                + "Cache-Control: no-store\\r\\n\\r\\nbody'\n");
        script(cgiBin, "length.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\nContent-Length: 5\\n\\nhello'\n");
        script(cgiBin, "notype.sh", "#!/bin/sh\nprintf 'X-A: b\\n\\nbody'\n");
        script(cgiBin, "garbage.sh", "#!/bin/sh\nprintf 'this is not a header\\n\\nbody'\n");
        script(cgiBin, "huge.sh", "#!/bin/sh\ni=0\nwhile [ $i -lt 2000 ]; do\n"
                + "  printf 'X-Pad-%d: %s\\n' $i aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
                + "  i=$((i+1))\ndone\nprintf 'Content-Type: text/plain\\n\\nbody'\n");
        script(cgiBin, "sleep.sh", "#!/bin/sh\nsleep 30 &\necho $! > " + marks.resolve("sleep.pid") + "\nwait\n");
        script(cgiBin, "sleep-after.sh", "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\nstarted\\n'\n"
                + "sleep 30 &\necho $! > " + marks.resolve("sleep-after.pid") + "\nwait\n");
        script(cgiBin, "noexec.sh", "#!/bin/sh\ntouch " + marks.resolve("noexec-ran") + "\n", "rw-r--r--");
        script(cgiBin, "hello.py", "#!/usr/bin/env python3\n"
                + "import sys\n"
                + "sys.stdout.write('Content-Type: text/plain\\n\\n')\n"
                + "sys.stdout.write('py ' + ' '.join(sys.argv[1:]) + '\\n')\n");
        script(cgiBin, "plain.py", "import sys\n"
                + "data = sys.stdin.buffer.read()\n"
                + "sys.stdout.write('Content-Type: text/plain\\r\\n\\r\\n')\n"
                + "sys.stdout.write('plain %d %s\\n' % (len(data), ' '.join(sys.argv[1:])))\n", "rw-r--r--");
        // Outside the served folder: reaching it would run it and leave a mark.
        script(temp, "secret.sh", "#!/bin/sh\ntouch " + marks.resolve("secret-ran")
                + "\nprintf 'Content-Type: text/plain\\n\\nsecret\\n'\n");
        // In the served folder, outside the CGI folders: a file, never a script.
        script(root, "runme.sh", "#!/bin/sh\ntouch " + marks.resolve("runme-ran")
                + "\nprintf 'Content-Type: text/plain\\n\\nran\\n'\n");

        server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> new Handler(root, Duration.ofSeconds(60)));
        quick = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> new Handler(root, Duration.ofSeconds(1)));
        noSetpriv = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> {
            Handler h = new Handler(root, Duration.ofSeconds(60));
            h.setpriv = "/nonexistent/setpriv";
            return h;
        });
    }

    @AfterAll
    static void stop() {
        for (HttpServer s : new HttpServer[] {server, quick, noSetpriv}) {
            if (s != null) {
                s.close();
            }
        }
    }

    static Path dir(Path p) throws IOException {
        Files.createDirectories(p);
        chmod(p, "rwxr-xr-x");
        return p;
    }

    static void chmod(Path p, String perms) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
    }

    static void script(Path dir, String name, String text) throws IOException {
        script(dir, name, text, "rwxr-xr-x");
    }

    static void script(Path dir, String name, String text, String perms) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        chmod(p, perms);
    }

    static Response request(HttpServer s, String method, String target, String... headerLines) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", s.serverPort())) {
            StringBuilder sb = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: x\r\n");
            for (String h : headerLines) {
                sb.append(h).append("\r\n");
            }
            c.send(sb.append("\r\n").toString());
            return c.read(method.equals("HEAD"));
        }
    }

    static Response get(String target, String... headerLines) throws IOException {
        return request(server, "GET", target, headerLines);
    }

    static Response post(String target, String body, String... headerLines) throws IOException {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder sb = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + b.length + "\r\n");
            for (String h : headerLines) {
                sb.append(h).append("\r\n");
            }
            c.send(sb.append("\r\n").toString());
            c.send(b);
            return c.read();
        }
    }

    /** The variables a script printed with {@code env}, and its {@code ARG:}, {@code UID:} and {@code CWD:} lines. */
    static Map<String, String> env(Response r) {
        assertEquals(200, r.status(), r::toString);
        Map<String, String> env = new LinkedHashMap<>();
        List<String> args = new ArrayList<>();
        for (String line : r.text().split("\n")) {
            if (line.startsWith("ARG:")) {
                args.add(line.substring(4));
            } else if (line.startsWith("UID:") || line.startsWith("CWD:")) {
                env.put(line.substring(0, 3), line.substring(4));
            } else {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        }
        env.put("ARGS", String.join("|", args));
        return env;
    }

    static void awaitLog(String fragment) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            synchronized (LOG) {
                for (String line : LOG) {
                    if (line.contains(fragment)) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        synchronized (LOG) {
            throw new AssertionError("no log line contains " + fragment + " in " + LOG);
        }
    }

    /** Whether a process runs (a zombie does not count: its parent was killed and nobody reaps it). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    static long readPid(String name) throws Exception {
        return readPid(marks.resolve(name));
    }

    /** The pid written to {@code p}, waiting up to 5 s for it. */
    static long readPid(Path p) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (Files.exists(p)) {
                String s = Files.readString(p).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pid file " + p);
    }

    static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (running(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(running(pid), "process " + pid + " still runs");
    }

    // ---- the environment ----

    @Test
    void environmentHoldsTheCgiVariablesAndNothingOfTheServers() throws Exception {
        String basic = Base64.getEncoder().encodeToString("alice:pa:ss".getBytes(StandardCharsets.US_ASCII));
        Map<String, String> env = env(get("/cgi-bin/env.sh/extra/p%20ath?x=1&y=%2F",
                "Accept: text/html", "Accept: text/plain", "User-Agent: tester/1.0", "Cookie: a=1", "Cookie: b=2",
                "Referer: http://ref/", "X-Custom-Header: custom", "X-Custom-Header: twice", "Authorization: Basic " + basic,
                "Proxy: http://evil:8080/", "X_Custom_Header: sneaky"));
        assertEquals("CGI/1.1", env.get("GATEWAY_INTERFACE"));
        assertTrue(env.get("SERVER_SOFTWARE").startsWith("SimpleHTTP/0.6 Java/"), env.get("SERVER_SOFTWARE"));
        assertEquals(server.serverName(), env.get("SERVER_NAME"));
        assertEquals("HTTP/1.1", env.get("SERVER_PROTOCOL"));
        assertEquals(Integer.toString(server.serverPort()), env.get("SERVER_PORT"));
        assertEquals("GET", env.get("REQUEST_METHOD"));
        assertEquals("/extra/p ath", env.get("PATH_INFO"));
        assertEquals(root + "/extra/p ath", env.get("PATH_TRANSLATED"));
        assertEquals("/cgi-bin/env.sh", env.get("SCRIPT_NAME"));
        assertEquals("x=1&y=%2F", env.get("QUERY_STRING"));
        assertEquals("127.0.0.1", env.get("REMOTE_ADDR"));
        assertEquals("Basic", env.get("AUTH_TYPE"));
        assertEquals("alice", env.get("REMOTE_USER"));
        assertEquals("text/html,text/plain", env.get("HTTP_ACCEPT"));
        assertEquals("tester/1.0", env.get("HTTP_USER_AGENT"));
        assertEquals("a=1; b=2", env.get("HTTP_COOKIE"));
        assertEquals("http://ref/", env.get("HTTP_REFERER"));
        assertEquals("custom, twice", env.get("HTTP_X_CUSTOM_HEADER"), "X_Custom_Header may not pose as X-Custom-Header");
        assertEquals("x", env.get("HTTP_HOST"));
        assertNull(env.get("HTTP_PROXY"), "httpoxy");
        assertNull(env.get("HTTP_AUTHORIZATION"));
        assertNull(env.get("CONTENT_LENGTH"));
        assertNull(env.get("CONTENT_TYPE"));
        assertEquals("", env.get("ARGS"), "a query with '=' gives no arguments");
        assertEquals(cgiBin.toString(), env.get("CWD"));
        assertEquals(System.getenv("PATH") != null ? System.getenv("PATH") : CgiSystem.DEFAULT_PATH, env.get("PATH"));
        // Nothing of the server's own environment but PATH.
        Set<String> cgi = Set.of("PATH", "PWD", "SERVER_SOFTWARE", "SERVER_NAME", "GATEWAY_INTERFACE", "SERVER_PROTOCOL",
                "SERVER_PORT", "REQUEST_METHOD", "PATH_INFO", "PATH_TRANSLATED", "SCRIPT_NAME", "QUERY_STRING", "REMOTE_ADDR",
                "REMOTE_HOST", "AUTH_TYPE", "REMOTE_USER", "CONTENT_TYPE", "CONTENT_LENGTH", "UID", "CWD", "ARGS");
        for (String name : env.keySet()) {
            assertTrue(cgi.contains(name) || name.startsWith("HTTP_"), "unexpected variable " + name);
        }
        for (String name : new String[] {"HOME", "USER", "LOGNAME", "JAVA_HOME", "MAVEN_HOME", "MAVEN_OPTS", "LANG", "LC_ALL"}) {
            assertNull(env.get(name), name);
        }
        assertTrue(System.getenv().keySet().stream().anyMatch(k -> !cgi.contains(k)),
                "the server's own environment has variables the script must not see");
        assertFalse(env.keySet().stream().anyMatch(k -> k.startsWith("MAVEN") || k.startsWith("JAVA")));
    }

    @Test
    void queryWithoutEqualsSignIsPassedAsArguments() throws Exception {
        assertEquals("a|b c|+", env(get("/cgi-bin/env.sh?a+b%20c+%2B")).get("ARGS"));
        assertEquals("", env(get("/cgi-bin/env.sh")).get("ARGS"));
        assertEquals("", env(get("/cgi-bin/env.sh?k=v+w")).get("ARGS"));
        assertEquals("py one two", get("/cgi-bin/hello.py?one+two").text().trim());
    }

    @Test
    void postBodyAndItsTypeReachTheScript() throws Exception {
        Response r = post("/cgi-bin/echo.sh", "spam=1&eggs=python", "Content-Type: application/x-www-form-urlencoded");
        assertEquals(200, r.status());
        assertEquals("spam=1&eggs=python", r.text());
        assertEquals("application/octet-stream", r.header("Content-Type"));
        assertEquals("chunked", r.framing);
        Map<String, String> env = env(post("/cgi-bin/env.sh", "abc", "Content-Type: text/x-thing"));
        assertEquals("POST", env.get("REQUEST_METHOD"));
        assertEquals("3", env.get("CONTENT_LENGTH"));
        assertEquals("text/x-thing", env.get("CONTENT_TYPE"));
    }

    @Test
    void chunkedPostIsStreamedToTheScript() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST /cgi-bin/echo.sh HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n");
            Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("hello world", r.text());
            c.send("POST /cgi-bin/env.sh HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
            Map<String, String> env = env(c.read());
            assertNull(env.get("CONTENT_LENGTH"), "a chunked body has no length to announce");
        }
    }

    @Test
    void sixtyFourMebibytePostIsStreamed() throws Exception {
        long size = 64L << 20;
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST /cgi-bin/count.sh HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: " + size + "\r\n\r\n");
            OutputStream out = c.output();
            byte[] block = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += block.length) {
                block[0] = (byte) (sent >>> 16);
                out.write(block);
            }
            out.flush();
            Response r = c.read();
            assertEquals(200, r.status());
            assertEquals(Long.toString(size), r.text().trim());
        }
    }

    @Test
    void sixtyFourMebibyteOutputIsStreamed() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> r = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.serverPort() + "/cgi-bin/zeros.sh")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long total = 0;
        try (java.io.InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
            }
        }
        assertEquals(64L << 20, total);
    }

    @Test
    void echoStreamsBothWaysAtOnce() throws Exception {
        byte[] body = new byte[16 << 20];
        new java.util.Random(7).nextBytes(body);
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("POST /cgi-bin/echo.sh HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n");
            Thread writer = new Thread(() -> {
                try {
                    for (int off = 0; off < body.length; off += 8192) {
                        c.output().write(body, off, 8192);
                    }
                    c.output().flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            writer.start();
            Response r = c.read();
            writer.join();
            assertEquals(200, r.status());
            assertTrue(java.util.Arrays.equals(body, r.body), "the echo differs");
        }
    }

    @Test
    void clientGoingAwayKillsTheScript() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.serverPort())) {
            s.getOutputStream().write("GET /cgi-bin/endless.sh HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] some = s.getInputStream().readNBytes(256 * 1024);
            assertEquals(256 * 1024, some.length);
        }
        awaitGone(readPid("endless.pid"));
    }

    @Test
    void pythonScriptsRunWithOrWithoutTheExecutableBit() throws Exception {
        Response r = get("/cgi-bin/hello.py");
        assertEquals(200, r.status(), r::toString);
        assertEquals("py", r.text().trim());
        Response plain = post("/cgi-bin/plain.py?arg", "12345", "Content-Type: text/plain");
        assertEquals(200, plain.status(), plain::toString);
        assertEquals("plain 5 arg", plain.text().trim());
    }

    // ---- the script's response ----

    @Test
    void statusHeaderSetsTheStatusLine() throws Exception {
        Response r = get("/cgi-bin/status.sh");
        assertEquals(404, r.status());
        assertEquals("Not Here", r.reason());
        assertEquals("gone\n", r.text());
        assertNull(r.header("Status"));
    }

    @Test
    void plainResponseKeepsCpythonsReasonPhraseAndTheScriptsHeaders() throws Exception {
        Response r = get("/cgi-bin/crlf.sh");
        assertEquals(200, r.status());
        assertEquals("Script output follows", r.reason());
        assertEquals("text/plain", r.header("Content-Type"));
        assertEquals("yes", r.header("X-Extra"));
        assertEquals("no-store", r.header("Cache-Control"));
        assertNotNull(r.header("Server"));
        assertNotNull(r.header("Date"));
        assertEquals("body", r.text());
    }

    @Test
    void absoluteLocationRedirects() throws Exception {
        Response r = get("/cgi-bin/redirect.sh");
        assertEquals(302, r.status());
        assertEquals("https://example.com/elsewhere?x=1", r.header("Location"));
    }

    @Test
    void localLocationServesThatPath() throws Exception {
        Response r = get("/cgi-bin/local.sh");
        assertEquals(200, r.status());
        assertEquals("hello world\n", r.text());
        assertNull(r.header("Location"));
        // A POST redirected locally to a script runs it as a GET, without the body.
        Map<String, String> env = env(post("/cgi-bin/local-cgi.sh", "body", "Content-Type: text/plain"));
        assertEquals("GET", env.get("REQUEST_METHOD"));
        assertEquals("/via", env.get("PATH_INFO"));
        assertEquals("redirected", env.get("ARGS"));
        assertNull(env.get("CONTENT_LENGTH"));
        Response loop = get("/cgi-bin/loop.sh");
        assertEquals(500, loop.status());
        awaitLog("more than " + CgiHttpRequestHandler.MAX_LOCAL_REDIRECTS);
    }

    @Test
    void contentLengthFromTheScriptIsHonoured() throws Exception {
        Response r = get("/cgi-bin/length.sh");
        assertEquals("length", r.framing);
        assertEquals("hello", r.text());
    }

    @Test
    void badHeaderBlocksGive500() throws Exception {
        assertEquals(500, get("/cgi-bin/notype.sh").status());
        awaitLog("no Content-Type header");
        assertEquals(500, get("/cgi-bin/garbage.sh").status());
        awaitLog("not a header line");
        assertEquals(500, get("/cgi-bin/huge.sh").status());
        awaitLog("header block larger than 65536 bytes");
    }

    @Test
    void scriptFailingBeforeItsHeadersGives500AndItsExitCodeIsLogged() throws Exception {
        Response r = get("/cgi-bin/fail.sh");
        assertEquals(500, r.status());
        awaitLog("/cgi-bin/fail.sh exit code 3");
        awaitLog("/cgi-bin/fail.sh: oops on stderr");
        Response late = get("/cgi-bin/late-fail.sh");
        assertEquals(200, late.status());
        assertEquals("partial\n", late.text());
        awaitLog("/cgi-bin/late-fail.sh exit code 4");
    }

    @Test
    void scriptPastItsTimeIsKilledWithItsChildren() throws Exception {
        long t0 = System.nanoTime();
        Response r = request(quick, "GET", "/cgi-bin/sleep.sh");
        assertEquals(500, r.status());
        assertTrue(System.nanoTime() - t0 < 15_000_000_000L);
        awaitLog("/cgi-bin/sleep.sh timed out");
        awaitGone(readPid("sleep.pid"));
    }

    @Test
    void scriptPastItsTimeAfterItsHeadersHasItsConnectionClosed() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", quick.serverPort())) {
            c.send("GET /cgi-bin/sleep-after.sh HTTP/1.1\r\nHost: x\r\n\r\n");
            String all = c.readToEnd();
            assertTrue(all.startsWith("HTTP/1.1 200 "), all);
            assertTrue(all.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked"), all);
            assertTrue(all.contains("started\n"), all);
            assertFalse(all.endsWith("0\r\n\r\n"), "the response must not look complete: " + all);
        }
        awaitGone(readPid("sleep-after.pid"));
    }

    // ---- which scripts run ----

    @Test
    void missingDirectoryAndNotExecutableScriptsAreRefused() throws Exception {
        Response missing = get("/cgi-bin/nothere.sh");
        assertEquals(404, missing.status());
        assertEquals("No such CGI script ('/cgi-bin/nothere.sh')", missing.reason());
        Response directory = get("/cgi-bin/sub/");
        assertEquals(403, directory.status());
        Response noexec = get("/cgi-bin/noexec.sh");
        assertEquals(403, noexec.status());
        assertEquals("CGI script is not executable ('/cgi-bin/noexec.sh')", noexec.reason());
        assertFalse(Files.exists(marks.resolve("noexec-ran")));
        assertEquals(404, get("///////////nocgi.py/../cgi-bin/nothere.sh").status(), "CPython issue 19435");
    }

    @Test
    void cgiDirectoriesNestedFoldersAndEncodedSlashes() throws Exception {
        assertEquals("/htbin/env.sh", env(get("/htbin/env.sh")).get("SCRIPT_NAME"));
        Map<String, String> nested = env(get("/cgi-bin/sub/nested.sh/more"));
        assertEquals("/cgi-bin/sub/nested.sh", nested.get("SCRIPT_NAME"));
        assertEquals("/more", nested.get("PATH_INFO"));
        assertEquals("/cgi-bin/env.sh", env(get("/cgi-bin%2fenv.sh")).get("SCRIPT_NAME"));
        assertEquals("/cgi-bin/env.sh", env(get("/x/../cgi-bin/./env.sh")).get("SCRIPT_NAME"));
        // A target in absolute form is the script of its path: run, never shown as a file.
        Response absolute = get("http://x/cgi-bin/env.sh");
        assertFalse(absolute.text().startsWith("#!"), absolute::text);
        assertEquals("/cgi-bin/env.sh", env(absolute).get("SCRIPT_NAME"));
        assertEquals("/cgi-bin/env.sh", env(get("HTTPS://x:1/cgi-bin/env.sh")).get("SCRIPT_NAME"));
        // The folder itself, without a slash, is a listing: not below a CGI folder.
        Response listing = get("/cgi-bin");
        assertEquals(301, listing.status());
    }

    @Test
    void traversalNeverRunsAnything() throws Exception {
        for (String target : new String[] {"/cgi-bin/../secret.sh", "/cgi-bin/%2e%2e/secret.sh", "/cgi-bin/..%2fsecret.sh",
            "/cgi-bin/%2E%2E%2Fsecret.sh", "/htbin/..%2f..%2fsecret.sh", "/cgi-bin/../../secret.sh",
            "/cgi-bin/%252e%252e/%252e%252e/secret.sh", "/cgi-bin/%2e%2e/%2e%2e/secret.sh", "/../secret.sh"}) {
            for (String method : new String[] {"GET", "HEAD", "POST"}) {
                Response r = request(server, method, target, "Content-Length: 0");
                assertTrue(r.status() == 400 || r.status() == 404 || r.status() == 501, method + " " + target + ": " + r);
                assertFalse(r.text().contains("secret"), r::toString);
            }
        }
        assertEquals(400, get("/cgi-bin/../../secret.sh").status());
        assertEquals(404, get("/cgi-bin/../secret.sh").status());
        // Inside the served folder but outside the CGI folders: the file, not its output.
        Response file = get("/cgi-bin/../runme.sh");
        assertEquals(200, file.status());
        assertTrue(file.text().startsWith("#!/bin/sh"), file::text);
        assertEquals(501, post("/cgi-bin/../runme.sh", "x").status());
        assertEquals(501, post("/cgi-bin%2f..%2frunme.sh", "x").status());
        Thread.sleep(200);
        assertFalse(Files.exists(marks.resolve("secret-ran")), "secret.sh ran");
        assertFalse(Files.exists(marks.resolve("runme-ran")), "runme.sh ran");
    }

    // ---- the connection ----

    @Test
    void headSendsNoBody() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("HEAD /cgi-bin/env.sh HTTP/1.1\r\nHost: x\r\n\r\nHEAD /cgi-bin/length.sh HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /cgi-bin/length.sh HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = c.read(true);
            assertEquals(200, head.status());
            assertEquals("text/plain", head.header("Content-Type"));
            Response headLength = c.read(true);
            assertEquals("5", headLength.header("Content-Length"));
            Response get = c.read();
            assertEquals("hello", get.text(), "no body bytes were sent after the HEAD responses");
        }
    }

    @Test
    void keepAliveAcrossCgiRequests() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /cgi-bin/env.sh?first HTTP/1.1\r\nHost: x\r\n\r\n");
            Response first = c.read();
            assertEquals("chunked", first.framing);
            assertEquals("first", env(first).get("ARGS"));
            c.send("POST /cgi-bin/echo.sh HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond");
            Response second = c.read();
            assertEquals("second", second.text());
            c.send("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hello world\n", c.read().text());
        }
    }

    @Test
    void http10ResponseIsCloseDelimited() throws Exception {
        try (RawHttp c = new RawHttp("127.0.0.1", server.serverPort())) {
            c.send("GET /cgi-bin/crlf.sh HTTP/1.0\r\n\r\n");
            Response r = c.read();
            assertEquals("close", r.framing);
            assertEquals("body", r.text());
        }
    }

    @Test
    void postOutsideCgiDirectoriesIs501() throws Exception {
        Response r = post("/hello.txt", "x");
        assertEquals(501, r.status());
        assertEquals("Can only POST to CGI scripts", r.reason());
    }

    @Test
    void jdkClientSeesTheSameResponses() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.serverPort();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/echo.sh"))
                .POST(HttpRequest.BodyPublishers.ofString("via jdk")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertEquals("via jdk", r.body());
        HttpResponse<String> s = client.send(HttpRequest.newBuilder(URI.create(base + "/cgi-bin/status.sh")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, s.statusCode());
    }

    @Test
    void rootServerRunsScriptsAsNobody() throws Exception {
        assumeTrue(CgiSystem.isRoot(), () -> "not run as root (user " + System.getProperty("user.name")
                + "): only a root server switches scripts to nobody; CI runs this as root");
        Map<String, String> env = env(get("/cgi-bin/env.sh"));
        assertEquals(Long.toString(CgiSystem.nobody()[0]), env.get("UID"), "a root server runs scripts as nobody");
    }

    @Test
    void credentialsAreNeverPassedToScripts() throws Exception {
        String secret = "s3cr3t-" + System.nanoTime();
        Map<String, String> env = env(get("/cgi-bin/env.sh",
                "Proxy-Authorization: Basic " + secret,
                "proxy-authorization: Bearer " + secret + "-lower",
                "Authorization: Bearer " + secret + "-auth",
                "Proxy: http://" + secret + "-proxy/",
                "X-Ok: visible"));
        assertEquals("visible", env.get("HTTP_X_OK"), "other headers are passed");
        for (String name : new String[] {"HTTP_PROXY_AUTHORIZATION", "HTTP_AUTHORIZATION", "HTTP_PROXY"}) {
            assertNull(env.get(name), name + " must not reach the script (CPython passes neither)");
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            assertFalse(e.getValue().contains(secret), e.getKey() + " carries a credential: " + e.getValue());
        }
        assertEquals("Bearer", env.get("AUTH_TYPE"), "the scheme, as CPython, but never the credentials");
    }

    @Test
    void rootWithoutSetprivRunsNoScript() throws Exception {
        assumeTrue(CgiSystem.isRoot(), "only a root server switches to nobody");
        Response r = request(noSetpriv, "GET", "/cgi-bin/env.sh");
        assertEquals(500, r.status());
        awaitLog("refusing to run CGI script /cgi-bin/env.sh as root: /nonexistent/setpriv is missing");
    }
}
