package dev.httpserver.api;

import dev.httpserver.api.internal.ByteRanges;
import dev.httpserver.api.internal.ETags;
import dev.httpserver.api.internal.MultipartByteranges;
import dev.httpserver.api.internal.Preconditions;
import dev.httpserver.api.internal.Python;
import dev.httpserver.api.internal.UrlCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Python's {@code http.server.SimpleHTTPRequestHandler}: serves the files below {@link #directory}
 * for GET and HEAD, with a directory listing where a folder has no index page.
 *
 * <p>As in CPython: {@code Content-type} from {@link #guessType} ({@link #extensionsMap} first, then
 * the system's MIME types), {@code Content-Length}, {@code Last-Modified}; {@code If-Modified-Since}
 * answered with 304; a folder without its trailing slash redirected (301) to the slash form, query
 * kept; {@link #indexPages} served when present, else {@link #listDirectory}; symbolic links
 * followed, and marked {@code @} in listings. {@link #translatePath} never leaves {@link #directory}:
 * {@code ..}, encoded separators and dots, and absolute forms are dropped component by component.
 *
 * <p>Unlike CPython, file bodies are handed to the server whole, which sends them zero-copy where
 * the connection allows (override {@link #copyfile} to transform them instead).
 */
public class SimpleHttpRequestHandler extends BaseHttpRequestHandler {

    /** Python's {@code _encodings_map_default}: the default {@link #extensionsMap}. */
    public static final Map<String, String> DEFAULT_EXTENSIONS_MAP = Map.of(
            ".gz", "application/gzip",
            ".Z", "application/octet-stream",
            ".bz2", "application/x-bzip2",
            ".xz", "application/x-xz");

    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.ENGLISH);
    private static final DateTimeFormatter NO_ZONE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss", Locale.ENGLISH);
    /** asctime(), after runs of spaces are folded: {@code Sun Nov 6 08:49:37 1994}. */
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ENGLISH);
    /** RFC 1123 with a zone name such as {@code UTC}. */
    private static final DateTimeFormatter ZONE_NAME = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss z", Locale.ENGLISH);

    /** Python's {@code directory}: the folder served. */
    protected String directory;

    /**
     * Python's {@code extensions_map}: extension ({@code .gz}) to MIME type, looked up before the
     * system's types, exactly and then lower-cased.
     */
    protected Map<String, String> extensionsMap = new LinkedHashMap<>(DEFAULT_EXTENSIONS_MAP);

    /** Python's {@code index_pages}: the files served for a folder, first found wins. */
    protected List<String> indexPages = List.of("index.html", "index.htm");

    /**
     * Whether files answer {@code Range} requests (RFC 9110 14): {@code Accept-Ranges: bytes}, 206
     * with one range or {@code multipart/byteranges} with several, 416 for none satisfiable. Not in
     * CPython: set it false for CPython's exact responses.
     */
    protected boolean rangeRequests = true;

    /**
     * Whether files carry a strong {@code ETag} (from the file's identity, size and modification time)
     * and the request's preconditions are evaluated as RFC 9110 13.2.2 orders them
     * ({@code If-Match}, {@code If-Unmodified-Since} give 412; {@code If-None-Match} before
     * {@code If-Modified-Since} gives 304). Not in CPython, which only knows {@code If-Modified-Since}:
     * set it false for CPython's exact responses.
     */
    protected boolean etags = true;

    /**
     * Whether a precompressed form of a file ({@code f.br}, {@code f.zst}, {@code f.gz} beside
     * {@code f}) is sent, with {@code Content-Encoding} and {@code Vary: Accept-Encoding}, to a client
     * that accepts its coding. Not in CPython: set it false to always send the file itself.
     */
    protected boolean precompressed = true;

    /**
     * CPython 3.15's {@code response_headers}: header fields added to every successful answer for a
     * file or a listing (200, 206, 304), after the handler's own. Empty by default.
     */
    protected List<Map.Entry<String, String>> responseHeaders = List.of();

    /**
     * A {@code Cache-Control} value added to every successful answer for a file or a listing (200,
     * 206, 304); null (the default, as in CPython) for none.
     */
    protected String cacheControl;

    /**
     * Whether browsers on other origins may read what is served (CORS, as node's
     * {@code http-server --cors}): {@code Access-Control-Allow-Origin: *} on every response, errors
     * included, and {@code OPTIONS} preflight requests answered with 204 and the methods and headers
     * allowed. Off by default: then {@code OPTIONS} gets CPython's 501.
     */
    protected boolean cors;

    /**
     * The type of files whose type cannot be guessed from their name (CPython 3.15's
     * {@code --content-type}); {@code application/octet-stream} by default.
     */
    protected String defaultContentType = "application/octet-stream";

    /**
     * Whether a folder's listing comes as JSON to a client that asks for it ({@code Accept} preferring
     * {@code application/json} to {@code text/html}): {@code {"path": "/a/", "entries": [{"name",
     * "type" (file, directory, symlink, other), "size", "modified" (ISO-8601 UTC), "target" (of a
     * link)}]}}, sorted as the HTML listing. On by default: a client that does not ask gets CPython's
     * HTML.
     */
    protected boolean jsonListings = true;

    /**
     * Whether names starting with {@code .} are hidden: left out of listings, and 404 for a path
     * with such a segment ({@code /.git/config}, {@code /.env}; {@code /.well-known/} too). Off by
     * default, as in CPython.
     */
    protected boolean hideDotfiles;

    /**
     * Whether symbolic links are followed wherever they point, as CPython does (the default). A link
     * inside the served folder can lead out of it (to {@code /etc}, a home folder): false serves a
     * path only when its real location, links resolved, is inside the served folder, and answers 404
     * otherwise.
     */
    protected boolean followSymlinksOutside = true;

    /**
     * Whether files may be uploaded (off by default): {@code PUT} of a file ({@code curl -T}), and a
     * {@code multipart/form-data} {@code POST} to a folder (a browser form, {@code curl -F}), each file
     * streamed into a temporary file beside its target and renamed into place only once whole; an
     * existing name gets 409 unless {@link #uploadOverwrite}; {@code Expect: 100-continue} is answered
     * only after these checks. Listings then carry an upload form. Without it, CPython's 501.
     */
    protected boolean uploads;

    /** The largest file an upload may hold, in bytes; -1 for no limit. Default 1 GiB. */
    protected long uploadMaxSize = 1L << 30;

    /** Whether an upload replaces a file of the same name (false by default: 409). */
    protected boolean uploadOverwrite;

    /** The served folder, links resolved: what {@link #followSymlinksOutside} compares with. */
    private Path realDirectory;

    /** {@code 100 Continue} is owed, once an upload's checks pass. */
    private boolean continueOwed;

    /** Serves the current working directory, as Python's {@code directory=None} does. */
    public SimpleHttpRequestHandler() {
        this(System.getProperty("user.dir"));
    }

    /**
     * Serves {@code directory}: Python's {@code SimpleHTTPRequestHandler(..., directory=...)}.
     *
     * @param directory the folder to serve; files outside it are never served
     */
    public SimpleHttpRequestHandler(String directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.serverVersion = "SimpleHTTP/" + VERSION;
    }

    /**
     * Serves {@code directory}.
     *
     * @param directory the folder to serve; files outside it are never served
     */
    public SimpleHttpRequestHandler(Path directory) {
        this(directory.toString());
    }

    /**
     * Python's {@code functools.partial(SimpleHTTPRequestHandler, directory=...)}: a factory of plain
     * {@link SimpleHttpRequestHandler}s, all alike, serving one folder with one protocol version. A
     * server given such a factory knows every handler it makes is alike, so it may answer a repeated
     * request for a file or listing (even the first one on a new connection) from the response such a
     * handler gave moments earlier, without making a handler for it. (A nested class rather than a
     * static method, so that no subclass's own static methods can clash with it.)
     */
    public static final class Factory implements Supplier<SimpleHttpRequestHandler> {
        private final String directory;
        private final String protocolVersion;
        /** The serving options, applied to each handler made. */
        private final Consumer<SimpleHttpRequestHandler> settings;

        private Factory(String directory, String protocolVersion) {
            this(directory, protocolVersion, h -> { });
        }

        private Factory(String directory, String protocolVersion, Consumer<SimpleHttpRequestHandler> settings) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.protocolVersion = Objects.requireNonNull(protocolVersion, "protocolVersion");
            this.settings = settings;
        }

        private Factory and(Consumer<SimpleHttpRequestHandler> more) {
            return new Factory(directory, protocolVersion, settings.andThen(more));
        }

        /**
         * This factory, its handlers giving listings as JSON to clients that ask for it
         * ({@link SimpleHttpRequestHandler#jsonListings}; on by default).
         *
         * @param on whether to
         * @return a new factory
         */
        public Factory withJsonListings(boolean on) {
            return and(h -> h.jsonListings = on);
        }

        /**
         * This factory, its handlers hiding names that start with a dot
         * ({@link SimpleHttpRequestHandler#hideDotfiles}; off by default).
         *
         * @param on whether to hide them
         * @return a new factory
         */
        public Factory withHiddenDotfiles(boolean on) {
            return and(h -> h.hideDotfiles = on);
        }

        /**
         * This factory, its handlers following symbolic links out of the served folder or not
         * ({@link SimpleHttpRequestHandler#followSymlinksOutside}; true by default, as CPython).
         *
         * @param follow false to serve only what is really inside the folder
         * @return a new factory
         */
        public Factory withSymlinksOutside(boolean follow) {
            return and(h -> h.followSymlinksOutside = follow);
        }

        /**
         * This factory, its handlers taking uploads ({@link SimpleHttpRequestHandler#uploads}).
         *
         * @param on        whether to take uploads
         * @param maxSize   the largest file, in bytes; -1 for no limit
         * @param overwrite whether an upload replaces a file of the same name (else 409)
         * @return a new factory
         * @throws IllegalArgumentException if {@code maxSize} is below -1
         */
        public Factory withUploads(boolean on, long maxSize, boolean overwrite) {
            if (maxSize < -1) {
                throw new IllegalArgumentException("the upload size limit must be -1 (none) or a number of bytes: "
                        + maxSize);
            }
            return and(h -> {
                h.uploads = on;
                h.uploadMaxSize = maxSize;
                h.uploadOverwrite = overwrite;
            });
        }

        /**
         * This factory, its handlers adding {@code headers} to every successful answer for a file or a
         * listing: CPython 3.15's {@code response_headers}.
         *
         * @param headers the fields, in order; names and values without CR or LF
         * @return a new factory
         * @throws IllegalArgumentException if a name is not a token or a value holds CR, LF or NUL
         */
        public Factory withResponseHeaders(List<Map.Entry<String, String>> headers) {
            for (Map.Entry<String, String> h : headers) {
                checkField(h.getKey(), h.getValue());
            }
            List<Map.Entry<String, String>> copy = List.copyOf(headers);
            return and(h -> h.responseHeaders = copy);
        }

        /**
         * This factory, its handlers adding {@code Cache-Control: value} to every successful answer for
         * a file or a listing; null for none (the default).
         *
         * @param value the header's value, e.g. {@code no-cache}
         * @return a new factory
         * @throws IllegalArgumentException if the value holds CR, LF or NUL
         */
        public Factory withCacheControl(String value) {
            if (value != null) {
                checkField("Cache-Control", value);
            }
            return and(h -> h.cacheControl = value);
        }

        /**
         * This factory, its handlers answering cross-origin requests ({@link SimpleHttpRequestHandler#cors}).
         *
         * @param on whether to allow any origin
         * @return a new factory
         */
        public Factory withCors(boolean on) {
            return and(h -> h.cors = on);
        }

        /**
         * This factory, its handlers giving {@code type} to files whose type cannot be guessed
         * (CPython 3.15's {@code --content-type}).
         *
         * @param type a media type, e.g. {@code text/plain}
         * @return a new factory
         * @throws IllegalArgumentException if it is not a {@code type/subtype}
         */
        public Factory withDefaultContentType(String type) {
            Objects.requireNonNull(type, "type");
            if (!type.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(\\s*;.*)?") || type.indexOf('\r') >= 0
                    || type.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("not a media type (type/subtype): " + type);
            }
            return and(h -> h.defaultContentType = type);
        }

        private static void checkField(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("not a header field name: " + Python.repr(name));
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\r' || c == '\n' || c == 0) {
                    throw new IllegalArgumentException("CR, LF or NUL in the value of " + name);
                }
            }
        }

        /**
         * Handlers serving {@code directory} and answering with {@code protocolVersion} ({@code HTTP/1.1} for keep-alive).
         *
         * @param directory the folder to serve
         * @param protocolVersion the version the handlers answer with, {@code HTTP/1.0} or {@code HTTP/1.1}
         * @return a factory of handlers serving {@code directory}
         */
        public static Factory of(Path directory, String protocolVersion) {
            return new Factory(directory.toString(), protocolVersion);
        }

        /**
         * {@link #of(Path, String)} with the folder as a string.
         *
         * @param directory the folder to serve
         * @param protocolVersion the version the handlers answer with, {@code HTTP/1.0} or {@code HTTP/1.1}
         * @return a factory of handlers serving {@code directory}
         */
        public static Factory of(String directory, String protocolVersion) {
            return new Factory(directory, protocolVersion);
        }

        /**
         * {@link #of(Path, String)} with {@code HTTP/1.0}, Python's default.
         *
         * @param directory the folder to serve
         * @return a factory of handlers serving {@code directory} with {@code HTTP/1.0}
         */
        public static Factory of(Path directory) {
            return of(directory, "HTTP/1.0");
        }

        /**
         * The folder every handler serves.
         *
         * @return the folder served, as given
         */
        public String directory() {
            return directory;
        }

        /**
         * The protocol version every handler answers with.
         *
         * @return {@code HTTP/1.0} or {@code HTTP/1.1}
         */
        public String protocolVersion() {
            return protocolVersion;
        }

        @Override
        public SimpleHttpRequestHandler get() {
            SimpleHttpRequestHandler h = new SimpleHttpRequestHandler(directory);
            h.protocolVersion = protocolVersion;
            settings.accept(h);
            return h;
        }

        @Override
        public String toString() {
            return "SimpleHttpRequestHandler.Factory.of(" + directory + ", " + protocolVersion + ")";
        }
    }

    /**
     * Adds the serving options' fields to the head being ended: CORS's on every final response, the
     * {@link #responseHeaders} and {@link #cacheControl} on a successful answer to a GET or HEAD.
     *
     * @throws IOException if the head cannot be written to the connection
     */
    @Override
    public void endHeaders() throws IOException {
        int status = pendingStatus();
        if (status >= 200) {
            if (cors && !pendingHeader("Access-Control-Allow-Origin")) {
                sendHeader("Access-Control-Allow-Origin", "*");
            }
            boolean served = status == 200 || status == 206 || status == 304;
            if (served && ("GET".equals(command) || "HEAD".equals(command))) {
                for (Map.Entry<String, String> h : responseHeaders) {
                    sendHeader(h.getKey(), h.getValue());
                }
                if (cacheControl != null && !pendingHeader("Cache-Control")) {
                    sendHeader("Cache-Control", cacheControl);
                }
            }
        }
        super.endHeaders();
    }

    /**
     * With {@link #cors}, answers a CORS preflight ({@code OPTIONS} with {@code Origin} and
     * {@code Access-Control-Request-Method}): 204 allowing {@code GET, HEAD, OPTIONS}, the headers the
     * browser asked for, for a day. Any other {@code OPTIONS} gets 204 with {@code Allow}. Without
     * {@link #cors}, CPython's 501, as for any method the handler does not have.
     *
     * @throws IOException if the response cannot be written
     */
    protected void doOPTIONS() throws IOException {
        if (!cors) {
            sendError(HttpStatus.NOT_IMPLEMENTED.value(), "Unsupported method (" + Python.repr(command) + ")");
            return;
        }
        String methods = uploads ? "GET, HEAD, OPTIONS, PUT, POST" : "GET, HEAD, OPTIONS";
        sendResponse(HttpStatus.NO_CONTENT.value());
        sendHeader("Allow", methods);
        if (headers.contains("Origin") && headers.contains("Access-Control-Request-Method")) {
            sendHeader("Access-Control-Allow-Methods", methods);
            String asked = headers.get("Access-Control-Request-Headers");
            if (asked != null && !asked.isBlank()) {
                sendHeader("Access-Control-Allow-Headers", asked.trim());
            }
            sendHeader("Access-Control-Max-Age", "86400");
        }
        endHeaders();
    }

    /**
     * With {@link #uploads}, a {@code PUT} or {@code POST} answers {@code Expect: 100-continue} only
     * once its checks pass (an existing name, a size over the limit get their error instead, and the
     * client keeps its body); otherwise Python's.
     *
     * @return true to go on with the request
     * @throws IOException if the interim response cannot be written
     */
    @Override
    protected boolean handleExpect100() throws IOException {
        if (uploads && ("PUT".equals(command) || "POST".equals(command))) {
            continueOwed = true;
            return true;
        }
        return super.handleExpect100();
    }

    private void sendOwedContinue() throws IOException {
        if (continueOwed) {
            continueOwed = false;
            sendResponseOnly(HttpStatus.CONTINUE.value());
            endHeaders();
        }
    }

    /**
     * With {@link #uploads}, stores the request's body as the file {@link #path} names (201 Created, or
     * 200 when it replaced one with {@link #uploadOverwrite}); without, CPython's 501.
     *
     * @throws IOException if the upload cannot be read or the response written
     */
    protected void doPUT() throws IOException {
        if (!uploads) {
            sendError(HttpStatus.NOT_IMPLEMENTED.value(), "Unsupported method (" + Python.repr(command) + ")");
            return;
        }
        String urlPath = UrlParts.split(path).path();
        Path target;
        try {
            target = Path.of(translatePath(path));
        } catch (InvalidPathException e) {
            sendError(HttpStatus.NOT_FOUND.value(), "File not found");
            return;
        }
        if (endsWithSlash(urlPath) || Files.isDirectory(target)) {
            sendError(HttpStatus.CONFLICT.value(), "A folder cannot be uploaded over", "PUT takes the path of a file");
            return;
        }
        Path dir = target.getParent();
        if (!uploadFolder(dir)) {
            return;
        }
        if (!refuseUpload(target, headers.get("Content-Length"))) {
            return;
        }
        sendOwedContinue();
        Path tmp;
        try {
            tmp = Uploads.receive(rfile, dir, uploadMaxSize);
        } catch (Uploads.TooLarge e) {
            sendError(HttpStatus.CONTENT_TOO_LARGE.value(), "Upload too large", "The file is " + e.getMessage());
            return;
        }
        boolean replaced;
        try {
            replaced = Uploads.place(tmp, target, uploadOverwrite);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            sendError(HttpStatus.CONFLICT.value(), "File exists", "A file of that name exists; it was left as it was");
            return;
        }
        byte[] body = Uploads.text((replaced ? "Replaced " : "Created ") + UrlCodec.unquote(urlPath));
        sendResponse(replaced ? HttpStatus.OK.value() : HttpStatus.CREATED.value());
        sendHeader("Location", UrlCodec.quoteControls(urlPath));
        sendHeader("Content-Type", "text/plain; charset=utf-8");
        sendHeader("Content-Length", Integer.toString(body.length));
        endHeaders();
        wfile.write(body);
    }

    /**
     * With {@link #uploads}, stores the files of a {@code multipart/form-data} body in the folder
     * {@link #path} names (201 Created, one line per file); without, CPython's 501.
     *
     * @throws IOException if the upload cannot be read or the response written
     */
    protected void doPOST() throws IOException {
        String boundary = Uploads.boundary(headers.get("Content-Type"));
        if (!uploads) {
            sendError(HttpStatus.NOT_IMPLEMENTED.value(), "Unsupported method (" + Python.repr(command) + ")");
            return;
        }
        if (boundary == null) {
            sendError(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(), "Uploads are multipart/form-data",
                    "POST a multipart/form-data form to a folder, or PUT a file");
            return;
        }
        Path dir;
        try {
            dir = Path.of(translatePath(path));
        } catch (InvalidPathException e) {
            sendError(HttpStatus.NOT_FOUND.value(), "No such folder");
            return;
        }
        if (!uploadFolder(dir)) {
            return;
        }
        sendOwedContinue();
        Uploads.Multipart form = new Uploads.Multipart(rfile, boundary);
        List<String> saved = new ArrayList<>();
        String base = UrlParts.split(path).path();
        base = base.endsWith("/") ? base : base + "/";
        try {
            for (List<String> head; (head = form.next()) != null; ) {
                String given = Uploads.filename(Uploads.Multipart.header(head, "Content-Disposition"));
                if (given == null || given.isEmpty()) {
                    form.body().transferTo(OutputStream.nullOutputStream()); // a plain field
                    continue;
                }
                String name = Uploads.safeName(given, hideDotfiles);
                if (name == null) {
                    sendError(HttpStatus.BAD_REQUEST.value(), "Bad file name", "Cannot save a file as "
                            + Python.repr(given));
                    return;
                }
                Path target = dir.resolve(name);
                if (!refuseUpload(target, null)) {
                    return;
                }
                Path tmp = Uploads.receive(form.body(), dir, uploadMaxSize);
                try {
                    Uploads.place(tmp, target, uploadOverwrite);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    sendError(HttpStatus.CONFLICT.value(), "File exists", "A file named " + Python.repr(name)
                            + " exists; it was left as it was");
                    return;
                }
                saved.add(base + name);
            }
        } catch (Uploads.TooLarge e) {
            sendError(HttpStatus.CONTENT_TOO_LARGE.value(), "Upload too large", "A file is " + e.getMessage());
            return;
        } catch (Uploads.BadForm e) {
            sendError(HttpStatus.BAD_REQUEST.value(), "Bad multipart body", e.getMessage());
            return;
        }
        StringBuilder lines = new StringBuilder();
        for (String s : saved) {
            lines.append("Created ").append(s).append('\n');
        }
        byte[] body = lines.toString().getBytes(StandardCharsets.UTF_8);
        sendResponse(saved.isEmpty() ? HttpStatus.OK.value() : HttpStatus.CREATED.value());
        if (!saved.isEmpty()) {
            sendHeader("Location", UrlCodec.quoteControls(UrlCodec.quote(saved.get(0))));
        }
        sendHeader("Content-Type", "text/plain; charset=utf-8");
        sendHeader("Content-Length", Integer.toString(body.length));
        endHeaders();
        wfile.write(body);
    }

    /**
     * Whether {@code dir} is a folder an upload may go to: it exists, and the request's path passes the
     * dotfile and symbolic-link settings; when not, 404 has been sent.
     */
    private boolean uploadFolder(Path dir) throws IOException {
        if ((hideDotfiles && hasDotSegment(path)) || dir == null || !Files.isDirectory(dir)
                || (!followSymlinksOutside && !insideServed(dir))) {
            sendError(HttpStatus.NOT_FOUND.value(), "No such folder");
            return false;
        }
        return true;
    }

    /**
     * Whether an upload to {@code target} may go on; when not, the error has been sent: a folder of
     * that name, an existing file without {@link #uploadOverwrite} (409), a declared size over the
     * limit (413).
     */
    private boolean refuseUpload(Path target, String contentLength) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            sendError(HttpStatus.CONFLICT.value(), "A folder cannot be uploaded over", "A folder of that name exists");
            return false;
        }
        if (!uploadOverwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            sendError(HttpStatus.CONFLICT.value(), "File exists", "A file of that name exists; it was left as it was");
            return false;
        }
        if (contentLength != null && uploadMaxSize >= 0) {
            try {
                if (Long.parseLong(contentLength.trim()) > uploadMaxSize) {
                    sendError(HttpStatus.CONTENT_TOO_LARGE.value(), "Upload too large",
                            "The limit is " + uploadMaxSize + " bytes");
                    return false;
                }
            } catch (NumberFormatException e) {
                // the server has refused a bad Content-Length already
            }
        }
        return true;
    }

    /**
     * {@link #directory}: the folder served.
     *
     * @return the folder served, as given to the constructor
     */
    public final String directory() {
        return directory;
    }

    /**
     * Python's {@code do_GET()}: {@link #sendHead()}, then the body through {@link #copyfile}.
     *
     * @throws IOException if the file cannot be read or the response written
     */
    protected void doGET() throws IOException {
        InputStream f = sendHead();
        if (f != null) {
            try {
                copyfile(f, wfile);
            } finally {
                f.close();
            }
        }
    }

    /**
     * Python's {@code do_HEAD()}: {@link #sendHead()} only.
     *
     * @throws IOException if the file's attributes cannot be read or the response written
     */
    protected void doHEAD() throws IOException {
        InputStream f = sendHead();
        if (f != null) {
            f.close();
        }
    }

    /**
     * Python's {@code send_head()}: sends the status and headers for {@link #path} and returns the
     * body to copy (which the caller closes), or null when the response is complete (an error, a
     * redirect, a 304).
     *
     * @return the body to send, or null when the response is already complete
     * @throws IOException if the response cannot be written
     */
    protected InputStream sendHead() throws IOException {
        String translated = translatePath(path);
        if (hideDotfiles && hasDotSegment(path)) {
            sendError(HttpStatus.NOT_FOUND.value(), "File not found");
            return null;
        }
        Path p;
        try {
            p = Path.of(translated);
            if (!followSymlinksOutside && !insideServed(p)) {
                sendError(HttpStatus.NOT_FOUND.value(), "File not found");
                return null;
            }
        } catch (InvalidPathException e) {
            sendError(HttpStatus.NOT_FOUND.value(), "File not found");
            return null;
        }
        BasicFileAttributes attrs = stat(p);
        if (attrs != null && attrs.isDirectory()) {
            UrlParts parts = UrlParts.split(path);
            if (!endsWithSlash(parts.path())) {
                // redirect browser - doing basically what apache does
                sendResponse(HttpStatus.MOVED_PERMANENTLY.value());
                sendHeader("Location", UrlCodec.quoteControls(parts.withPath(parts.path() + "/")));
                sendHeader("Content-Length", "0");
                endHeaders();
                return null;
            }
            Path index = null;
            for (String page : indexPages) {
                Path candidate = p.resolve(page);
                BasicFileAttributes a = stat(candidate);
                if (a != null && a.isRegularFile()) {
                    index = candidate;
                    attrs = a;
                    break;
                }
            }
            if (index == null) {
                return listDirectory(translated);
            }
            p = index;
            translated = index.toString();
        }
        String ctype = guessType(translated);
        // A trailing "/" on a file name is a 404 (CPython issue 17324).
        if (translated.endsWith("/")) {
            sendError(HttpStatus.NOT_FOUND.value(), "File not found");
            return null;
        }
        if (attrs == null || !attrs.isRegularFile()) {
            sendError(HttpStatus.NOT_FOUND.value(), "File not found");
            return null;
        }
        Encoded encoded = precompressed ? precompressedFor(p) : null;
        if (encoded != null) {
            p = encoded.path();
            attrs = encoded.attributes();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(p, StandardOpenOption.READ);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            sendError(HttpStatus.NOT_FOUND.value(), "File not found");
            return null;
        }
        try {
            return sendFileHead(p, channel, attrs, ctype, encoded == null ? null : encoded.coding());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The head of the response for the open file {@code channel} at {@code p} (the file asked for, or
     * its precompressed form in {@code coding}): 304 or 412 by the request's preconditions, 206 or 416
     * by its {@code Range}, else 200; returns the body to copy, or null (having closed the file).
     */
    private InputStream sendFileHead(Path p, FileChannel channel, BasicFileAttributes attrs, String ctype, String coding)
            throws IOException {
        long mtime = attrs.lastModifiedTime().toMillis() / 1000;
        String etag = etags ? ETags.strong(attrs.fileKey(), attrs.size(), attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                : null;
        Preconditions.Outcome outcome;
        if (etag == null) {
            // CPython: If-Modified-Since alone, and only without If-None-Match
            outcome = Preconditions.Outcome.PROCEED;
            if (headers.contains("If-Modified-Since") && !headers.contains("If-None-Match")) {
                Long ims = parseHttpDate(headers.get("If-Modified-Since"));
                if (ims != null && mtime <= ims) {
                    outcome = Preconditions.Outcome.NOT_MODIFIED;
                }
            }
        } else {
            outcome = Preconditions.evaluate(command, this::joinedHeader, etag, mtime, SimpleHttpRequestHandler::parseHttpDate);
        }
        if (outcome == Preconditions.Outcome.PRECONDITION_FAILED) {
            channel.close();
            sendError(HttpStatus.PRECONDITION_FAILED.value());
            return null;
        }
        if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
            channel.close();
            sendResponse(HttpStatus.NOT_MODIFIED.value());
            if (etag != null) {
                sendValidators(etag, mtime, coding);
            } else if (coding != null) {
                sendHeader("Vary", "Accept-Encoding"); // as the 200 would (RFC 9110 15.4.5)
            } // else CPython's 304: Server and Date only
            endHeaders();
            return null;
        }
        long size = channel.size();
        String range = rangeRequests ? headers.get("Range") : null;
        if (range != null && Preconditions.rangeApplies(headers.get("If-Range"), etag, mtime)) {
            ByteRanges.Result ranges = ByteRanges.parse(range, size);
            if (ranges.kind() == ByteRanges.Result.Kind.UNSATISFIABLE) {
                channel.close();
                sendResponse(HttpStatus.RANGE_NOT_SATISFIABLE.value());
                sendHeader("Content-Range", ByteRanges.unsatisfiedRange(size));
                sendHeader("Content-Length", "0");
                endHeaders();
                return null;
            }
            if (ranges.kind() == ByteRanges.Result.Kind.SATISFIABLE) {
                return sendRanges(p, channel, ranges.ranges(), size, ctype, etag, mtime, coding);
            }
        }
        sendResponse(HttpStatus.OK.value());
        sendHeader("Content-type", ctype);
        sendHeader("Content-Length", Long.toString(size));
        sendValidators(etag, mtime, coding);
        endHeaders();
        return new FileBody(channel, 0, size);
    }

    /** A 206 of one range, or of several as {@code multipart/byteranges} (RFC 9110 14.3, 14.6). */
    private InputStream sendRanges(Path p, FileChannel channel, List<ByteRanges.Range> ranges, long size, String ctype,
            String etag, long mtime, String coding) throws IOException {
        sendResponse(HttpStatus.PARTIAL_CONTENT.value());
        InputStream body;
        if (ranges.size() == 1) {
            ByteRanges.Range r = ranges.get(0);
            sendHeader("Content-type", ctype);
            sendHeader("Content-Length", Long.toString(r.length()));
            sendHeader("Content-Range", ByteRanges.contentRange(r.start(), r.end(), size));
            body = new FileBody(channel, r.start(), r.length());
        } else {
            MultipartByteranges parts = new MultipartByteranges(ranges, ctype, size, ThreadLocalRandom.current());
            sendHeader("Content-type", parts.contentType());
            sendHeader("Content-Length", Long.toString(parts.contentLength()));
            body = new RangesBody(channel, parts);
        }
        sendValidators(etag, mtime, coding);
        endHeaders();
        return body;
    }

    /** {@code Last-Modified}, and ours: {@code Accept-Ranges}, {@code ETag}, the precompressed coding. */
    private void sendValidators(String etag, long mtime, String coding) {
        sendHeader("Last-Modified", dateTimeString(mtime));
        if (rangeRequests) {
            sendHeader("Accept-Ranges", "bytes");
        }
        if (etag != null) {
            sendHeader("ETag", etag);
        }
        if (coding != null) {
            sendHeader("Content-Encoding", coding);
            sendHeader("Vary", "Accept-Encoding");
        }
    }

    /** Every value of the request header {@code name}, joined with commas (RFC 9110 5.3), or null. */
    private String joinedHeader(String name) {
        List<String> all = headers.getAll(name);
        return all.isEmpty() ? null : all.size() == 1 ? all.get(0) : String.join(", ", all);
    }

    /** A precompressed form of a file, and its coding. */
    private record Encoded(Path path, BasicFileAttributes attributes, String coding) {
    }

    /** The codings of precompressed files, in order of preference, and their file name suffixes. */
    private static final String[][] PRECOMPRESSED = {{"br", ".br"}, {"zstd", ".zst"}, {"gzip", ".gz"}};

    /**
     * The precompressed form of {@code p} the client accepts ({@code f.br}, {@code f.zst} or
     * {@code f.gz} beside {@code f}, a regular file), or null.
     */
    private Encoded precompressedFor(Path p) {
        String accept = joinedHeader("Accept-Encoding");
        if (accept == null) {
            return null;
        }
        for (String[] coding : PRECOMPRESSED) {
            if (ContentCodings.accepts(accept, coding[0])) {
                Path candidate = p.resolveSibling(p.getFileName() + coding[1]);
                BasicFileAttributes a = stat(candidate);
                if (a != null && a.isRegularFile()) {
                    return new Encoded(candidate, a, coding[0]);
                }
            }
        }
        return null;
    }

    /** The attributes of {@code p} itself (a link is not followed), or null when it cannot be read. */
    private static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The attributes of {@code p}, following links, or null when it cannot be read. */
    private static BasicFileAttributes stat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * An {@code If-Modified-Since} value in seconds since the epoch, or null when it is ill-formed or
     * not in UTC: CPython ignores those, and compares only UTC dates (a date without a zone is UTC).
     */
    static Long parseHttpDate(String value) {
        String v = value.trim();
        for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ZONE_NAME}) {
            try {
                ZonedDateTime t = ZonedDateTime.parse(v, f);
                return t.getOffset().getTotalSeconds() == 0 ? t.toEpochSecond() : null;
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        String single = v.replaceAll("\\s+", " ");
        for (DateTimeFormatter f : new DateTimeFormatter[] {NO_ZONE, ASCTIME}) {
            try {
                return LocalDateTime.parse(single, f).toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        return null;
    }

    /** A folder entry of a listing: its sort key, its name, what it is, and its (target's) attributes. */
    private record Listed(String key, String name, boolean directory, boolean link, BasicFileAttributes attributes,
            Path entry) {
    }

    /** Whether the URL path (before {@code ?} and {@code #}), decoded, has a segment starting with a dot. */
    private static boolean hasDotSegment(String urlPath) {
        String p = UrlParts.split(urlPath).path();
        for (String segment : UrlCodec.unquote(p).split("/")) {
            if (segment.startsWith(".") && !segment.equals(".") && !segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code p}, every link on its way resolved, is inside the served folder (a path that does
     * not exist counts as inside: it gets its 404 anyway).
     */
    private boolean insideServed(Path p) {
        try {
            Path real = p.toRealPath();
            if (realDirectory == null) {
                realDirectory = Path.of(directory).toRealPath(); // once per handler, not per request
            }
            return real.startsWith(realDirectory);
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Whether the client prefers JSON to HTML by its {@code Accept} (q-values compared; HTML wins ties). */
    private boolean wantsJson() {
        String accept = joinedHeader("Accept");
        if (accept == null) {
            return false;
        }
        double json = ContentCodings.quality(accept, "application/json");
        return json > 0 && json > ContentCodings.quality(accept, "text/html");
    }

    /** The listing as JSON (see {@link #jsonListings}). */
    private static byte[] jsonListing(String urlPath, List<Listed> listed) {
        StringBuilder b = new StringBuilder(64 + 96 * listed.size());
        b.append("{\"path\": ");
        jsonString(b, urlPath);
        b.append(", \"entries\": [");
        boolean first = true;
        for (Listed e : listed) {
            b.append(first ? "\n  " : ",\n  ");
            first = false;
            BasicFileAttributes a = e.attributes();
            String type = e.link() ? "symlink" : e.directory() ? "directory"
                    : a != null && a.isRegularFile() ? "file" : "other";
            b.append("{\"name\": ");
            jsonString(b, e.name());
            b.append(", \"type\": \"").append(type).append('"');
            if (a != null) {
                if (a.isRegularFile()) {
                    b.append(", \"size\": ").append(a.size());
                }
                b.append(", \"modified\": \"").append(a.lastModifiedTime().toInstant().truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS)).append('"');
            }
            if (e.link()) {
                try {
                    b.append(", \"target\": ");
                    jsonString(b, Files.readSymbolicLink(e.entry()).toString());
                } catch (IOException | UnsupportedOperationException | SecurityException ex) {
                    b.append("null");
                }
            }
            b.append('}');
        }
        b.append(first ? "]}\n" : "\n]}\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** The attributes of the entry {@code name} of an open folder, or null when they cannot be read. */
    private static BasicFileAttributes attributes(SecureDirectoryStream<Path> folder, Path name, boolean ownIfLink) {
        try {
            BasicFileAttributeView view = ownIfLink
                    ? folder.getFileAttributeView(name, BasicFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS)
                    : folder.getFileAttributeView(name, BasicFileAttributeView.class);
            return view.readAttributes();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /**
     * Python's {@code list_directory(path)}: sends an HTML listing of {@code path} (CPython's markup:
     * sorted case-insensitively, {@code /} after folders, {@code @} after symbolic links, names
     * HTML-escaped and links URL-quoted) and returns its body, or sends 404 when the folder cannot be
     * read.
     *
     * @param path the file-system path of the folder, as {@link #translatePath} gives it
     * @return the listing's HTML, or null when a 404 was sent instead
     * @throws IOException if the response cannot be written
     */
    protected InputStream listDirectory(String path) throws IOException {
        Path dir = Path.of(path);
        List<Listed> listed = new ArrayList<>();
        int unnamable = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            // On Linux the stream is a SecureDirectoryStream: an entry's attributes are read relative to
            // the open folder (fstatat), not by walking its whole path again.
            SecureDirectoryStream<Path> relative = entries instanceof SecureDirectoryStream
                    ? (SecureDirectoryStream<Path>) entries : null;
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                // One lstat per entry; a second (following the link) only for symbolic links.
                BasicFileAttributes own = relative == null ? lstat(entry) : attributes(relative, entry.getFileName(), true);
                if (name.indexOf('\uFFFD') >= 0 && !Files.exists(dir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                    // A name that is not valid UTF-8 reaches a String with U+FFFD in it, which names no file:
                    // a link to it could not be followed, so it is left out (CPython lists and serves it).
                    unnamable++;
                    continue;
                }
                if (hideDotfiles && name.startsWith(".")) {
                    continue;
                }
                boolean link = own != null && own.isSymbolicLink();
                boolean directory;
                BasicFileAttributes attrs = own;
                if (link) {
                    BasicFileAttributes target = relative == null ? stat(entry) : attributes(relative, entry.getFileName(), false);
                    directory = target != null && target.isDirectory();
                    attrs = target;
                } else {
                    directory = own != null && own.isDirectory();
                }
                listed.add(new Listed(name.toLowerCase(Locale.ROOT), name, directory, link, attrs, entry));
            }
        } catch (IOException | SecurityException | DirectoryIteratorException e) {
            sendError(HttpStatus.NOT_FOUND.value(), "No permission to list directory");
            return null;
        }
        if (unnamable > 0) {
            logMessage("%s", "not listed in " + path + ": " + unnamable + " file name(s) that are not valid UTF-8");
        }
        // Python sorts by name.lower(); each key is computed once.
        listed.sort(Comparator.comparing(Listed::key));
        if (jsonListings && wantsJson()) {
            byte[] json = jsonListing(UrlCodec.unquote(UrlParts.split(this.path).path()), listed);
            sendResponse(HttpStatus.OK.value());
            sendHeader("Content-type", "application/json");
            sendHeader("Content-Length", Integer.toString(json.length));
            sendHeader("Vary", "Accept");
            endHeaders();
            return new ByteArrayInputStream(json);
        }
        // As CPython 3.14: the query and fragment are not part of the folder's name.
        String displaypath = escapeHtml(UrlCodec.unquote(pathWithoutQuery(this.path)));
        String title = "Directory listing for " + displaypath;
        StringBuilder r = new StringBuilder(256 + listed.size() * 64);
        r.append("<!DOCTYPE HTML>\n")
                .append("<html lang=\"en\">\n")
                .append("<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append("<style type=\"text/css\">\n:root {\ncolor-scheme: light dark;\n}\n</style>\n")
                .append("<title>").append(title).append("</title>\n</head>\n")
                .append("<body>\n<h1>").append(title).append("</h1>\n")
                .append("<hr>\n<ul>\n");
        for (Listed e : listed) {
            String name = e.name();
            String displayname = name;
            String linkname = name;
            if (e.directory()) {
                displayname = name + "/";
                linkname = name + "/";
            }
            if (e.link()) {
                displayname = name + "@";
                // a link to a directory displays with @ and links with /
            }
            r.append("<li><a href=\"").append(UrlCodec.quote(linkname)).append("\">")
                    .append(escapeHtml(displayname)).append("</a></li>\n");
        }
        r.append("</ul>\n<hr>\n");
        if (uploads) {
            r.append("<form method=\"post\" enctype=\"multipart/form-data\">\n")
                    .append("<input type=\"file\" name=\"file\" multiple>\n")
                    .append("<input type=\"submit\" value=\"Upload\">\n</form>\n<hr>\n");
        }
        r.append("</body>\n</html>\n");
        byte[] encoded = r.toString().getBytes(StandardCharsets.UTF_8);
        sendResponse(HttpStatus.OK.value());
        sendHeader("Content-type", "text/html; charset=utf-8");
        sendHeader("Content-Length", Integer.toString(encoded.length));
        endHeaders();
        return new ByteArrayInputStream(encoded);
    }

    /**
     * Python's {@code translate_path(path)}: the file-system path for a URL path. The query and
     * fragment are dropped, {@code %XX} decoded, the path normalised, and every component that is not
     * a plain name ({@code ..}, {@code .}, empty) ignored, so the result is always inside
     * {@link #directory}. A trailing slash is kept. A target in absolute form
     * ({@code http://host/a.txt}, RFC 9112 section 3.2.2) names the file of its path, as a server must
     * accept it; CPython looks for a folder named {@code http:}.
     *
     * @param path the request target ({@link #path})
     * @return a file-system path inside {@link #directory}
     */
    protected String translatePath(String path) {
        path = UrlCodec.unquote(pathWithoutQuery(UrlCodec.originFormPath(path)));
        // As CPython 3.14: the slash is looked for once decoded, so "/file%2f" is "/file/", a 404.
        boolean trailingSlash = path.endsWith("/");
        path = UrlCodec.normpath(path);
        StringBuilder result = new StringBuilder(directory);
        for (String word : path.split("/")) {
            // A NUL stays in: no file name has one, so the path will not resolve and the answer is 404.
            if (word.isEmpty() || word.equals(".") || word.equals("..")) {
                continue;
            }
            if (result.length() == 0 || result.charAt(result.length() - 1) != '/') {
                result.append('/');
            }
            result.append(word);
        }
        if (trailingSlash) {
            result.append('/');
        }
        return result.toString();
    }

    /**
     * Python's {@code copyfile(source, outputfile)}: copies {@code source} to {@code outputfile}. A
     * file from {@link #sendHead()} going to {@link #wfile} is handed to the server, which sends it
     * zero-copy where it can.
     *
     * @param source the body to send, closed by the caller
     * @param outputfile where to write it, normally {@link #wfile}
     * @throws IOException if reading {@code source} or writing {@code outputfile} fails
     */
    protected void copyfile(InputStream source, OutputStream outputfile) throws IOException {
        if (source instanceof FileBody && outputfile == wfile) {
            FileBody file = (FileBody) source;
            if (transport().sendFile(file.channel(), file.position(), file.length())) {
                file.handOver();
                return;
            }
        }
        if (source instanceof RangesBody && outputfile == wfile) {
            sendParts((RangesBody) source);
            return;
        }
        source.transferTo(outputfile);
    }

    /**
     * Sends a multipart body part by part, each part's bytes handed to the server while it takes
     * files, and copied through {@code wfile} from the first part it refuses (the file stays open
     * until a part that closes it has been taken, so the copy can read it).
     */
    private void sendParts(RangesBody body) throws IOException {
        MultipartByteranges parts = body.parts();
        boolean handing = true;
        for (int i = 0; i < parts.partCount(); i++) {
            ByteRanges.Range r = parts.range(i);
            boolean last = i == parts.partCount() - 1;
            wfile.write(parts.partHeader(i));
            handing = handing && transport().sendFile(body.channel(), r.start(), r.length(), last);
            if (!handing) {
                new RangesBody.Slice(body.channel(), r.start(), r.length()).transferTo(wfile);
            } else if (last) {
                body.handOver();
            }
        }
        wfile.write(parts.closing());
    }

    /**
     * Python's {@code guess_type(path)}: the MIME type for a file name, from {@link #extensionsMap}
     * (exact, then lower-cased), then the system's types, then {@code application/octet-stream}.
     *
     * @param path the file name or path; only its extension counts
     * @return the MIME type ({@code text/html}), {@code application/octet-stream} when unknown
     */
    protected String guessType(String path) {
        String ext = MimeTypes.extension(path);
        String type = extensionsMap.get(ext);
        if (type != null) {
            return type;
        }
        type = extensionsMap.get(ext.toLowerCase(Locale.ROOT));
        if (type != null) {
            return type;
        }
        type = MimeTypes.guessType(path);
        return type != null ? type : defaultContentType;
    }

    /** {@code path} without its fragment ({@code #...}) and then its query ({@code ?...}). */
    private static String pathWithoutQuery(String path) {
        int h = path.indexOf('#');
        String p = h >= 0 ? path.substring(0, h) : path;
        int q = p.indexOf('?');
        return q >= 0 ? p.substring(0, q) : p;
    }

    /** Whether a URL path ends in {@code /}, or in an encoded one ({@code %2f}), as CPython 3.14 asks before redirecting. */
    private static boolean endsWithSlash(String urlPath) {
        return urlPath.endsWith("/") || urlPath.regionMatches(true, Math.max(0, urlPath.length() - 3), "%2f", 0, 3);
    }

    /** The parts of a request target, as Python's {@code urllib.parse.urlsplit}. */
    record UrlParts(String scheme, String netloc, String path, String query, String fragment) {

        static UrlParts split(String url) {
            String scheme = null;
            String netloc = null;
            String rest = url;
            int colon = rest.indexOf(':');
            if (colon > 0 && rest.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
                scheme = rest.substring(0, colon);
                rest = rest.substring(colon + 1);
            }
            if (rest.startsWith("//")) {
                int end = rest.length();
                for (char c : new char[] {'/', '?', '#'}) {
                    int i = rest.indexOf(c, 2);
                    if (i >= 0 && i < end) {
                        end = i;
                    }
                }
                netloc = rest.substring(2, end);
                rest = rest.substring(end);
            }
            String fragment = null;
            int hash = rest.indexOf('#');
            if (hash >= 0) {
                fragment = rest.substring(hash + 1);
                rest = rest.substring(0, hash);
            }
            String query = null;
            int q = rest.indexOf('?');
            if (q >= 0) {
                query = rest.substring(q + 1);
                rest = rest.substring(0, q);
            }
            return new UrlParts(scheme, netloc, rest, query, fragment);
        }

        /** Python's {@code urlunsplit} with another path. */
        String withPath(String newPath) {
            StringBuilder sb = new StringBuilder();
            if (scheme != null) {
                sb.append(scheme).append(':');
            }
            if (netloc != null) {
                sb.append("//").append(netloc);
            }
            sb.append(newPath);
            if (query != null && !query.isEmpty()) {
                sb.append('?').append(query);
            }
            if (fragment != null && !fragment.isEmpty()) {
                sb.append('#').append(fragment);
            }
            return sb.toString();
        }
    }
}
