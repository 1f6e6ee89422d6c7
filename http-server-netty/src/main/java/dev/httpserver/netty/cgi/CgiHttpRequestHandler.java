package dev.httpserver.netty.cgi;

import dev.httpserver.api.HttpStatus;
import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.api.internal.Python;
import dev.httpserver.api.spi.Transport;
import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.Limits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Python's {@code http.server.CGIHTTPRequestHandler}: a {@link SimpleHttpRequestHandler} that also
 * runs CGI scripts (RFC 3875) for GET, HEAD and POST below one of the {@link #cgiDirectories}
 * ({@code /cgi-bin} and {@code /htbin}); POST anywhere else is {@code 501 Can only POST to CGI
 * scripts}, and every other path is served as files, as by its superclass.
 *
 * <pre>{@code
 * new ThreadingHttpServer(new InetSocketAddress(8000), () -> new CgiHttpRequestHandler("/srv/www"));
 * // GET /cgi-bin/hello.sh/extra?name=x runs /srv/www/cgi-bin/hello.sh with PATH_INFO=/extra
 * }</pre>
 *
 * <p>As in CPython: the request path is collapsed ({@code %XX} decoded, {@code .}, {@code ..} and
 * empty segments resolved) before it is matched against {@link #cgiDirectories}, so
 * {@code /cgi-bin/../x.sh} is the file {@code /x.sh}, never a script; the longest existing directory
 * prefix below the CGI directory is taken ({@code /cgi-bin/sub/s.sh} runs {@code sub/s.sh}); the rest
 * after the script name is {@code PATH_INFO}; a missing script is {@code 404 No such CGI script
 * ('/cgi-bin/x')}, a directory {@code 403 CGI script is not a plain file (...)}, a file that is not
 * executable {@code 403 CGI script is not executable (...)}; a query without {@code =} is given to
 * the script as command-line arguments; a server running as root runs scripts as {@code nobody}.
 * The names follow Python's: {@code cgi_directories} is {@link #cgiDirectories}, {@code cgi_info}
 * {@link #cgiInfo}, {@code is_cgi()} {@link #isCgi()}, {@code run_cgi()} {@link #runCgi()}.
 *
 * <p>Where this class differs from CPython, which passes the script's output through unparsed:
 * <ul>
 *   <li><b>The script's header block is parsed</b> (RFC 3875 6.3), with LF or CRLF line endings:
 *       {@code Status: 404 Not Found} sets the status line; {@code Location:} with an absolute URL (or
 *       {@code //host/...}) answers {@code 302 Found} (or the {@code Status} given); {@code Location:}
 *       with a local path ({@code /other?q}) and no {@code Status} is a <i>local redirect</i>
 *       (RFC 3875 6.2.2): the script's body is discarded and the server answers as for a GET (HEAD
 *       stays HEAD) of that path, which may be a file or another script (at most 10 in a row, then
 *       500); a document response must carry {@code Content-Type} (except with {@code Status} 204 or
 *       304), and a missing one, an ill-formed line or a header block larger than 64 KiB
 *       ({@link #MAX_HEADER_BLOCK}) is a logged 500. The other fields pass through in order;
 *       {@code Server} and {@code Date} from the script replace the server's own;
 *       {@code Transfer-Encoding} is dropped. A plain 200 keeps CPython's reason phrase {@code Script
 *       output follows}.</li>
 *   <li><b>The response is framed</b>: a {@code Content-Length} from the script is honoured,
 *       otherwise the server frames the body (chunked on an HTTP/1.1 keep-alive connection,
 *       close-delimited otherwise), so CGI responses keep the connection alive. HEAD, 204 and 304
 *       send no body (the script's output is read and discarded).</li>
 *   <li><b>Nothing is buffered whole</b>: the request body streams from {@link #rfile} to the script's
 *       stdin on a separate daemon thread, with the backpressure of a blocking pipe; stdout streams
 *       to {@link #wfile} once the headers are parsed; each line of stderr is logged through
 *       {@link #logError}. A chunked request body is streamed too, without {@code CONTENT_LENGTH}. Each
 *       run uses two daemon platform threads (stdin, stderr) and a shared watchdog thread.</li>
 *   <li><b>Failures are answered</b>: a script that cannot start, or ends (exit code logged) before
 *       its header block is complete, gets a 500; a non-zero exit after the headers is logged. A
 *       request body that cannot be read to its end (the client left, or the server's body limit
 *       was passed) kills the script: before its headers the server answers for the body as for any
 *       handler (413 beyond the limit), after them the connection is closed.</li>
 *   <li><b>A client that goes has its script killed</b>, with all its descendants, at once (see
 *       {@code Transport.onClientGone}): an HTTP/1 connection closed, reset or shut down for sending
 *       by the client (as nginx, a half-close counts as leaving), an HTTP/2 stream reset, or its
 *       connection gone. A request whose client has already gone starts no script.</li>
 *   <li><b>At most {@code Limits.maxCgiProcesses()} scripts</b> (default 64) run at once in the
 *       whole server; beyond it the answer is {@code 503 Too many CGI scripts running} with
 *       {@code Retry-After: 1}. The slot is given back once the script has ended, however it
 *       ended.</li>
 *   <li><b>A time limit</b>: a script running longer than {@link #cgiTimeout} (default 60 s, from
 *       its start to its exit, including the time the client takes to read the output) is killed
 *       with all its descendants; the answer is a 500 if its headers had not been sent, otherwise the
 *       connection is closed so that the client sees a truncated response, never a complete-looking
 *       one.</li>
 *   <li><b>A clean environment</b>: the script does not inherit the server's environment (no
 *       {@code HOME}, {@code USER}, credentials or {@code JAVA_HOME}). It gets {@code PATH} (the
 *       server's, or {@code /usr/local/bin:/usr/bin:/bin}) and the CGI variables only; {@code LANG}
 *       and {@code LC_*} are not passed either, as Apache's mod_cgi does not. Override
 *       {@link #cgiEnvironment} to add variables.</li>
 *   <li><b>The CGI variables follow RFC 3875</b> where CPython's differ: {@code CONTENT_TYPE} only
 *       when the request has one (CPython defaults it to {@code text/plain}); {@code CONTENT_LENGTH}
 *       only when the request has one; {@code PATH_TRANSLATED} only when {@code PATH_INFO} is not
 *       empty; {@code REMOTE_HOST} is the client's address; every other request header becomes
 *       {@code HTTP_NAME} (4.1.18: upper case, {@code -} to {@code _}, repeated fields joined with
 *       {@code ", "}), except {@code Authorization}, {@code Proxy-Authorization}, {@code Content-Type},
 *       {@code Content-Length}, {@code Proxy} (never {@code HTTP_PROXY}: "httpoxy") and names with
 *       characters other than letters, digits and {@code -} (an {@code X_Foo} field could otherwise
 *       pose as {@code X-Foo}); {@code HTTP_ACCEPT} is always set (empty without the header) and the
 *       {@code Accept} fields joined with {@code ,}, as CPython; {@code Cookie} fields are joined with
 *       {@code "; "}. {@code REMOTE_USER} takes the Basic user name up to the first colon.
 *       {@code SERVER_PROTOCOL} is {@link #protocolVersion}, as CPython. {@code HTTPS=on} is added on
 *       a TLS connection.</li>
 *   <li><b>Query arguments</b> follow RFC 3875 4.4: a query without an unencoded {@code =} is split on
 *       {@code +} and each word {@code %XX}-decoded into one argument ({@code ?a+b%20c} gives
 *       {@code a} and {@code b c}); an empty query gives none. (CPython passes one argument with
 *       {@code +} turned into spaces, and an empty one for no query.)</li>
 *   <li><b>No double decoding</b>: the collapsed (decoded) path is mapped to files through
 *       {@link #translatePath} with its {@code %} re-encoded, so {@code /cgi-bin/%252e%252e/x} is the
 *       script {@code cgi-bin/%2e%2e/x}, never {@code /x} (CPython decodes twice there).</li>
 *   <li><b>A path that climbs above the root</b> ({@code /cgi-bin/../../x}, for any method, as
 *       {@link #isCgi} is asked for every GET, HEAD and POST) is answered {@code 400 Bad request path};
 *       CPython raises {@code IndexError} and drops the connection. 400 rather than 404: the request
 *       target itself is invalid, and nothing about the file system is revealed either way.</li>
 *   <li><b>The working directory</b> of the script is the directory that holds it (RFC 3875 7.2);
 *       CPython leaves the server's.</li>
 *   <li><b>Python scripts</b>: like CPython on Unix, an executable script runs directly (its
 *       {@code #!} line decides the interpreter); a {@code .py} or {@code .pyw} file that is not
 *       executable runs with {@code python3 -u} found on {@code PATH} (CPython on Unix refuses it with
 *       403; its Windows branch uses its own interpreter). Without {@code python3} on {@code PATH} it is
 *       403 as any other non-executable file.</li>
 *   <li><b>Running as root</b> (user {@code root}, or effective uid 0): scripts run as {@code nobody}
 *       (uid and gid from {@code /etc/passwd}, 65534 when absent), through {@code /usr/bin/setpriv
 *       --reuid --regid --clear-groups --inh-caps=-all --no-new-privs}; CPython only changes the uid
 *       and keeps root's groups. Without {@code /usr/bin/setpriv} no script runs: the answer is a 500
 *       and the reason is logged. A non-executable Python script then runs as
 *       {@code /usr/bin/env python3 -u}, so that {@code PATH} is searched as {@code nobody}. The
 *       executable check ({@link #isExecutable}) is made as root: a script that {@code nobody} cannot
 *       read fails when its interpreter starts (a 500, with the reason from stderr in the log).
 *       Scripts, and the directories above them, must be readable and searchable by
 *       {@code nobody}.</li>
 * </ul>
 *
 * <p>Limits: a process that leaves the script's process tree (a daemon that double-forks) is not
 * killed with it, and the handler waits for it to close the script's stdout. NPH ({@code nph-})
 * scripts are not treated specially. Process work runs on the handler's own thread, never on an
 * event loop.
 */
public class CgiHttpRequestHandler extends SimpleHttpRequestHandler {

    /** The largest header block a script may write before its body: 64 KiB, its ending included. */
    public static final int MAX_HEADER_BLOCK = 64 * 1024;

    /** Local redirects ({@code Location: /path}) followed for one request before answering 500. */
    static final int MAX_LOCAL_REDIRECTS = 10;

    /**
     * Python's {@code cgi_directories}: the URL paths (no trailing slash) whose scripts are run. A
     * mutable list: a subclass adds to it or replaces it in its constructor.
     */
    protected List<String> cgiDirectories = new ArrayList<>(List.of("/cgi-bin", "/htbin"));

    /**
     * Python's {@code cgi_info}: the (directory, rest) pair {@link #isCgi()} found for the current
     * path, as a two-element list: {@code /cgi-bin/a/b.sh?q} gives {@code ["/cgi-bin", "a/b.sh?q"]}.
     * Null until then.
     */
    protected List<String> cgiInfo;

    /**
     * How long a script may run, from its start to its exit, before it is killed with all its
     * descendants. Null, zero or negative: no limit.
     */
    protected Duration cgiTimeout = Duration.ofSeconds(60);

    /** The program that switches to {@code nobody} when the server runs as root (a field for tests). */
    String setpriv = CgiSystem.SETPRIV;

    private int redirectDepth;

    /** Set while {@link #sendBusy()} answers: its header block gets {@code Retry-After}. */
    private boolean retryAfter;

    /** The {@code Retry-After} of a 503 when {@code Limits.maxCgiProcesses()} scripts are running. */
    static final String RETRY_AFTER_SECONDS = "1";

    /** Serves the current working directory, and runs the scripts below its CGI directories. */
    public CgiHttpRequestHandler() {
        super();
    }

    /**
     * Serves {@code directory}, and runs the scripts below its CGI directories.
     *
     * @param directory the folder to serve; its CGI directories ({@code /cgi-bin}, {@code /htbin}) are below it
     */
    public CgiHttpRequestHandler(String directory) {
        super(directory);
    }

    /**
     * Serves {@code directory}, and runs the scripts below its CGI directories.
     *
     * @param directory the folder to serve; its CGI directories ({@code /cgi-bin}, {@code /htbin}) are below it
     */
    public CgiHttpRequestHandler(Path directory) {
        super(directory);
    }

    /**
     * Python's {@code do_POST()}: runs the script at {@link #path}, or answers
     * {@code 501 Can only POST to CGI scripts}.
     *
     * @throws IOException if the script's output or the response cannot be written to the connection
     */
    protected void doPOST() throws IOException {
        Boolean cgi = checkCgi();
        if (cgi == null) {
            return;
        }
        if (cgi) {
            runCgi();
        } else {
            sendError(HttpStatus.NOT_IMPLEMENTED.value(), "Can only POST to CGI scripts");
        }
    }

    /**
     * Python's {@code send_head()} of {@code CGIHTTPRequestHandler}: runs the script (which completes
     * the response, and null is returned) when {@link #path} is below a CGI directory, and otherwise
     * serves files as {@link SimpleHttpRequestHandler#sendHead()}.
     */
    @Override
    protected InputStream sendHead() throws IOException {
        Boolean cgi = checkCgi();
        if (cgi == null) {
            return null;
        }
        if (cgi) {
            runCgi();
            return null;
        }
        return super.sendHead();
    }

    /** {@link #isCgi()}, or null having answered 400 when it rejected the path. */
    private Boolean checkCgi() throws IOException {
        try {
            return isCgi();
        } catch (RuntimeException e) {
            sendError(HttpStatus.BAD_REQUEST.value(), "Bad request path",
                    "The path climbs above the root or is otherwise invalid.");
            return null;
        }
    }

    /**
     * Python's {@code is_cgi()}: whether {@link #path} (the path of a target in absolute form),
     * collapsed as CPython's {@code _url_collapse_path} does ({@code %XX} decoded; {@code .},
     * {@code ..} and empty segments resolved), starts with one of {@link #cgiDirectories} followed by {@code /}. When it does,
     * {@link #cgiInfo} is set to the directory and the rest (query included) and true is returned.
     *
     * @return true when {@link #path} names something below a CGI directory
     * @throws IllegalArgumentException when the path climbs above the root; the callers answer 400
     *         to any exception, as CPython documents ("the caller should assume that self.path was
     *         rejected as invalid")
     */
    protected boolean isCgi() {
        // a target in absolute form is judged by its path, as translatePath serves it
        String collapsed = CgiPaths.collapse(dev.httpserver.api.internal.UrlCodec.originFormPath(path));
        int dirSep = collapsed.indexOf('/', 1);
        while (dirSep > 0 && !cgiDirectories.contains(collapsed.substring(0, dirSep))) {
            dirSep = collapsed.indexOf('/', dirSep + 1);
        }
        if (dirSep > 0) {
            cgiInfo = List.of(collapsed.substring(0, dirSep), collapsed.substring(dirSep + 1));
            return true;
        }
        return false;
    }

    /**
     * Python's {@code is_executable(path)}: whether this process may execute the file ({@code os.access(path, X_OK)}).
     *
     * @param path the file-system path of the script
     * @return true when the file exists and this process may execute it
     */
    protected boolean isExecutable(String path) {
        try {
            return Files.isExecutable(Path.of(path));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * Python's {@code is_python(path)}: whether the name ends with {@code .py} or {@code .pyw}, in any case.
     *
     * @param path the file-system path of the script
     * @return true for a {@code .py} or {@code .pyw} file
     */
    protected boolean isPython(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        int slash = lower.lastIndexOf('/');
        int dot = lower.lastIndexOf('.');
        if (dot <= slash + 1) {
            return false; // no extension, or a dot file
        }
        String ext = lower.substring(dot);
        return ext.equals(".py") || ext.equals(".pyw");
    }

    /**
     * Python's {@code run_cgi()}: runs the script named by {@link #cgiInfo} and sends its response,
     * or an error (404 no such script, 403 not a plain file or not executable, 500 when it fails).
     * See the class description for the environment, the parsing of the script's output, and the
     * time limit.
     *
     * @throws IOException if the request body cannot be read or the response written
     * @throws IllegalStateException if {@link #cgiInfo} has not been set by {@link #isCgi()}
     */
    protected void runCgi() throws IOException {
        if (cgiInfo == null || cgiInfo.size() != 2) {
            throw new IllegalStateException("runCgi() needs cgiInfo: call isCgi() first");
        }
        String dir = cgiInfo.get(0);
        String rest = cgiInfo.get(1);
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        // The deepest existing directory on the way wins (CPython issue 21323): /cgi-bin/sub/s.sh is sub/s.sh.
        String full = dir + "/" + rest;
        int i = full.indexOf('/', dir.length() + 1);
        while (i >= 0) {
            String nextdir = full.substring(0, i);
            Path translated = translated(nextdir);
            if (translated != null && Files.isDirectory(translated)) {
                dir = nextdir;
                rest = full.substring(i + 1);
                i = full.indexOf('/', dir.length() + 1);
            } else {
                break;
            }
        }
        String script;
        String pathInfo;
        i = rest.indexOf('/');
        if (i >= 0) {
            script = rest.substring(0, i);
            pathInfo = rest.substring(i);
        } else {
            script = rest;
            pathInfo = "";
        }
        String scriptname = dir + "/" + script;
        Path scriptfile = translated(scriptname);
        if (scriptfile == null || !Files.exists(scriptfile)) {
            sendError(HttpStatus.NOT_FOUND.value(), "No such CGI script (" + Python.repr(scriptname) + ")");
            return;
        }
        if (!Files.isRegularFile(scriptfile)) {
            sendError(HttpStatus.FORBIDDEN.value(), "CGI script is not a plain file (" + Python.repr(scriptname) + ")");
            return;
        }
        if (pathInfo.indexOf('\0') >= 0) {
            sendError(HttpStatus.BAD_REQUEST.value(), "Bad request path", "The path holds a NUL character.");
            return;
        }
        Map<String, String> env = cgiEnvironment(scriptname, pathInfo, query);
        boolean withPython = false;
        if (!isExecutable(scriptfile.toString())) {
            if (isPython(scriptname) && CgiSystem.findOnPath("python3", env.get("PATH")) != null) {
                withPython = true;
            } else {
                sendError(HttpStatus.FORBIDDEN.value(), "CGI script is not executable (" + Python.repr(scriptname) + ")");
                return;
            }
        }
        boolean asNobody = CgiSystem.isRoot();
        if (asNobody && !Files.isExecutable(Path.of(setpriv))) {
            logError("refusing to run CGI script %s as root: %s is missing (it runs scripts as nobody)",
                    scriptname, setpriv);
            sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "CGI scripts cannot run as root");
            return;
        }
        Path absolute = scriptfile.toAbsolutePath();
        List<String> cmd = CgiProcess.commandLine(asNobody ? setpriv : null, withPython, absolute, env.get("PATH"), query);
        String localRedirect;
        CgiClientWatch watch = new CgiClientWatch();
        try (Transport.Registration registration = transport().onClientGone(watch)) {
            if (watch.gone()) {
                // An HTTP/2 stream reset, or a connection closed, before its turn came: nothing to run it for.
                logError("CGI script %s not started: the client has gone", scriptname);
                abortConnectionQuietly();
                return;
            }
            Semaphore slots = CgiSlots.of(server());
            if (!slots.tryAcquire()) {
                sendBusy(); // logged by sendError: one line per refused request, even under a flood
                return;
            }
            try {
                localRedirect = runScript(cmd, env, absolute, scriptname, watch);
            } finally {
                slots.release(); // the script has ended: finish() waited for it
            }
        }
        if (localRedirect != null) {
            localRedirect(localRedirect);
        }
    }

    /**
     * Starts the script and relays its response; it is dead when this returns. Returns the path of a
     * local redirect, or null.
     */
    private String runScript(List<String> cmd, Map<String, String> env, Path absolute, String scriptname,
            CgiClientWatch watch) throws IOException {
        Process process;
        try {
            process = CgiProcess.spawn(cmd, env, absolute.getParent());
        } catch (IOException | RuntimeException e) {
            logError("CGI script %s could not be started: %s", scriptname, e.getMessage());
            sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "CGI script could not be started");
            return null;
        }
        CgiProcess run = new CgiProcess(this, process, scriptname, cmd.get(0).equals(CgiSystem.SETSID));
        try {
            watch.started(run); // killed at once if the client went meanwhile
            run.start(requestHasBody());
            return CgiRelay.relay(this, run);
        } finally {
            run.finish();
        }
    }

    /** The server's limit on CGI scripts running at once ({@code Limits.maxCgiProcesses()}). */
    private int maxCgiProcesses() {
        return server() instanceof HttpServer s ? s.limits().maxCgiProcesses() : Limits.DEFAULT_MAX_CGI_PROCESSES;
    }

    /** 503 with {@code Retry-After}: the server runs as many scripts as it may. */
    private void sendBusy() throws IOException {
        retryAfter = true;
        try {
            sendError(HttpStatus.SERVICE_UNAVAILABLE.value(), "Too many CGI scripts running",
                    "The server runs at most " + maxCgiProcesses() + " CGI scripts at once; try again shortly.");
        } finally {
            retryAfter = false;
        }
    }

    /** Adds {@code Retry-After} to the 503 of {@link #sendBusy()}, whose header block {@link #sendError} writes. */
    @Override
    public void sendHeader(String keyword, String value) {
        super.sendHeader(keyword, value);
        if (retryAfter && "Connection".equalsIgnoreCase(keyword)) {
            super.sendHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
    }

    /**
     * The environment of the script: {@code PATH} and the CGI variables of RFC 3875 (see the class
     * description), nothing else of the server's environment. A subclass may add to (or remove from)
     * the map returned.
     *
     * @param scriptName the URL path of the script ({@code SCRIPT_NAME})
     * @param pathInfo   the decoded path after the script name, or empty ({@code PATH_INFO})
     * @param query      the query, as sent, or empty ({@code QUERY_STRING})
     * @return a mutable map, in a stable order
     */
    protected Map<String, String> cgiEnvironment(String scriptName, String pathInfo, String query) {
        return CgiEnvironment.of(this, scriptName, pathInfo, query);
    }

    /** The file for a decoded URL path, through {@link #translatePath} without a second decoding; null if invalid. */
    Path translated(String decodedPath) {
        try {
            return Path.of(translatePath(CgiPaths.quote(decodedPath)));
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private boolean requestHasBody() {
        if (redirected()) {
            return false;
        }
        if (headers.contains("Transfer-Encoding")) {
            return true;
        }
        String length = headers.get("Content-Length");
        if (length == null) {
            return false;
        }
        try {
            return Long.parseLong(length.trim()) > 0;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Serves {@code location} as a GET (HEAD stays HEAD) of this server: RFC 3875 6.2.2. */
    private void localRedirect(String location) throws IOException {
        if (redirectDepth >= MAX_LOCAL_REDIRECTS) {
            logError("CGI local redirect to %s: more than %d in a row", location, MAX_LOCAL_REDIRECTS);
            sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), "Too many local redirects");
            return;
        }
        String savedPath = path;
        String savedCommand = command;
        redirectDepth++;
        try {
            path = location;
            boolean head = "HEAD".equals(command);
            if (!head) {
                command = "GET";
            }
            InputStream f = sendHead();
            if (f != null) {
                try {
                    if (!head) {
                        copyfile(f, wfile);
                    }
                } finally {
                    f.close();
                }
            }
        } finally {
            redirectDepth--;
            path = savedPath;
            command = savedCommand;
        }
    }

    // ---- for the other classes of this package, which cannot reach the api handler's protected state ----

    /** Whether the current response is for a local redirect, which runs a script without the request body. */
    boolean redirected() {
        return redirectDepth > 0;
    }

    /** {@link #rfile}: the request body. */
    InputStream requestBody() {
        return rfile;
    }

    /** {@link #wfile}: the response body. */
    OutputStream responseBody() {
        return wfile;
    }

    /**
     * Ends the connection once what was written so far is flushed, so that the client sees a
     * truncated response, never a complete-looking one; a failing flush is thrown, and nothing aborted.
     */
    void abortConnection() throws IOException {
        closeConnection = true;
        wfile.flush();
        transport().abort();
    }

    /** {@link #abortConnection()}, aborting even when the flush fails. */
    void abortConnectionQuietly() {
        closeConnection = true;
        try {
            wfile.flush();
        } catch (IOException e) {
            // closing anyway
        }
        transport().abort();
    }
}
