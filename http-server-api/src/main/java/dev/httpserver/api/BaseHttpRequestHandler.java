package dev.httpserver.api;

import dev.httpserver.api.internal.RequestHeadRules;
import dev.httpserver.api.internal.Addresses;
import dev.httpserver.api.internal.HttpDates;
import dev.httpserver.api.internal.LogSink;
import dev.httpserver.api.internal.Python;
import dev.httpserver.api.spi.RequestHead;
import dev.httpserver.api.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Python's {@code http.server.BaseHTTPRequestHandler}: one instance serves one client connection,
 * parses each request and calls the method named {@code do} + the request's method token
 * ({@code doGET()}, {@code doPOST()}, {@code doSPAM()}), exactly and case-sensitively, or answers
 * {@code 501 Unsupported method ('SPAM')} when there is none.
 *
 * <p>Names follow Python's with Java casing: {@code send_response} is {@link #sendResponse(int)},
 * {@code client_address} is {@link #clientAddress}, {@code do_GET} is {@code doGET}. What Python lets
 * a subclass change (class attributes such as {@code server_version} and {@code protocol_version},
 * instance variables such as {@code path} and {@code close_connection}) are protected fields that a
 * subclass sets in its constructor or changes while handling a request:
 *
 * <pre>{@code
 * class Hello extends BaseHttpRequestHandler {
 *     Hello() { protocolVersion = "HTTP/1.1"; }
 *
 *     protected void doGET() throws IOException {
 *         byte[] body = ("Hello from " + path + "\n").getBytes(StandardCharsets.UTF_8);
 *         sendResponse(200);
 *         sendHeader("Content-Type", "text/plain; charset=utf-8");
 *         sendHeader("Content-Length", Integer.toString(body.length));
 *         endHeaders();
 *         wfile.write(body);
 *     }
 * }
 * }</pre>
 *
 * <p>Where this class differs from CPython:
 * <ul>
 *   <li>The server parses the request line and headers (with CPython's limits and statuses) before
 *       the handler runs; {@link #rfile} holds exactly the request body, de-chunked, and ends there.</li>
 *   <li>The server frames the response: a {@code Content-Length} the handler sends is honoured; without
 *       one an HTTP/1.1 keep-alive response is sent chunked, and otherwise the connection closes after
 *       it. A client is never left waiting for a body that will not come.</li>
 *   <li>HTTP/2 is (a server with ALPN {@code h2} or h2c): each stream is one request, served by a
 *       handler instance of its own, with {@link #requestVersion} {@code HTTP/2.0}; the server frames
 *       the response for the stream, and {@link #closeConnection} ends only the stream. A request line
 *       saying {@code HTTP/2.0} on an HTTP/1 connection is still refused with 505, as CPython does.</li>
 *   <li>An idle keep-alive connection holds no thread: {@link #handle()} returns when no request is
 *       waiting, and the server calls it again when one arrives. The same instance serves the whole
 *       connection.</li>
 *   <li>Header names and values, and the reason phrase, may not contain CR or LF (no response
 *       splitting).</li>
 * </ul>
 */
public class BaseHttpRequestHandler {

    /** Python's {@code http.server.__version__}. */
    public static final String VERSION = "0.6";

    /** Python's {@code DEFAULT_ERROR_MESSAGE}, with its {@code %(code)d}, {@code %(message)s} and {@code %(explain)s} fields. */
    public static final String DEFAULT_ERROR_MESSAGE = "<!DOCTYPE HTML>\n"
            + "<html lang=\"en\">\n"
            + "    <head>\n"
            + "        <meta charset=\"utf-8\">\n"
            + "        <title>Error response</title>\n"
            + "    </head>\n"
            + "    <body>\n"
            + "        <h1>Error response</h1>\n"
            + "        <p>Error code: %(code)d</p>\n"
            + "        <p>Message: %(message)s.</p>\n"
            + "        <p>Error code explanation: %(code)s - %(explain)s.</p>\n"
            + "    </body>\n"
            + "</html>\n";

    /** Python's {@code DEFAULT_ERROR_CONTENT_TYPE}. */
    public static final String DEFAULT_ERROR_CONTENT_TYPE = "text/html;charset=utf-8";

    // ---- class-level settings (Python class attributes); a subclass sets them in its constructor ----

    /** Python's {@code server_version}: the first word of the {@code Server} header. */
    protected String serverVersion = "BaseHTTP/" + VERSION;

    /** Python's {@code sys_version}: the runtime's name and version, the second word of the {@code Server} header. */
    protected String sysVersion = "Java/" + System.getProperty("java.version");

    /** Python's {@code error_message_format}: a {@code %(code)d %(message)s %(explain)s} template of error pages. */
    protected String errorMessageFormat = DEFAULT_ERROR_MESSAGE;

    /** Python's {@code error_content_type}: the {@code Content-Type} of error pages. */
    protected String errorContentType = DEFAULT_ERROR_CONTENT_TYPE;

    /**
     * Python's {@code protocol_version}: the version in status lines. {@code HTTP/1.0} (the default, as
     * documented) closes the connection after each response; {@code HTTP/1.1} keeps it open.
     */
    protected String protocolVersion = "HTTP/1.0";

    private static final String HTTP_0_9 = "HTTP/0.9";

    /**
     * Whether the request parsed is an HTTP/0.9 one ({@code GET /path}, or {@code HTTP/0.9} given): its
     * answer is the body alone. CPython also leaves out the status line of the error it sends for a
     * request line it could not read; here such errors keep theirs.
     */
    private boolean simpleRequest;

    /** Python's {@code default_request_version}: {@link #requestVersion} until the request line is parsed. */
    protected String defaultRequestVersion = "HTTP/0.9";

    /** Python's {@code responses}: status code to (phrase, description), from {@link HttpStatus}. */
    protected Map<Integer, List<String>> responses = HttpStatus.responses();

    // ---- per-connection and per-request state (Python instance variables) ----

    /** Python's {@code client_address}: the client's address and port. */
    protected InetSocketAddress clientAddress;

    /** Python's {@code server}: the server that accepted this connection. */
    protected Server server;

    /** A {@link #logError} is under way: its {@link #logMessage} line is an error. */
    private boolean loggingError;

    /** Python's {@code close_connection}: true when the connection closes after the current response. */
    protected boolean closeConnection;

    /** Python's {@code requestline}: the request line as received, without its line ending. */
    protected String requestline;

    /** Python's {@code command}: the method token ({@code GET}). */
    protected String command;

    /** Python's {@code path}: the request target as sent ({@code /a/b?q=1}); a leading {@code //} is reduced to {@code /}. */
    protected String path;

    /** Python's {@code request_version}: the version in the request line ({@code HTTP/1.1}). */
    protected String requestVersion;

    /** Python's {@code headers}: the request's header fields. */
    protected Headers headers = Headers.empty();

    /** Python's {@code rfile}: the request body, exactly, then end of stream. */
    protected InputStream rfile = InputStream.nullInputStream();

    /** Python's {@code wfile}: the response body, after {@link #endHeaders()}. */
    protected OutputStream wfile;

    private Transport transport;
    private String statusVersion;
    private int statusCode;
    private String statusReason;
    private final List<Map.Entry<String, String>> headersBuffer = new ArrayList<>();

    /** A handler; the server attaches it to a connection before calling {@link #handle()}. */
    public BaseHttpRequestHandler() {
    }

    /**
     * Attaches this handler to a client connection. Called once by the server, before
     * {@link #handle()}; the counterpart of Python's constructor arguments
     * {@code (request, client_address, server)} and of {@code setup()}.
     *
     * @param transport the connection: where requests come from and responses go
     * @param clientAddress the client's address and port, {@link #clientAddress}
     * @param server the server that accepted the connection, {@link #server}
     * @throws IllegalStateException if this handler is already attached to a connection
     */
    public final void attach(Transport transport, InetSocketAddress clientAddress, Server server) {
        if (this.transport != null) {
            throw new IllegalStateException("handler already attached to a connection");
        }
        this.transport = Objects.requireNonNull(transport, "transport");
        this.clientAddress = Objects.requireNonNull(clientAddress, "clientAddress");
        this.server = Objects.requireNonNull(server, "server");
        this.wfile = transport.responseBody();
    }

    /**
     * The connection this handler serves, for subclasses that stream files ({@link Transport#sendFile}).
     *
     * @return the connection this handler is attached to
     * @throws IllegalStateException if the handler is not attached to a connection yet
     */
    protected final Transport transport() {
        if (transport == null) {
            throw new IllegalStateException("handler is not attached to a connection");
        }
        return transport;
    }

    // ---- read access to the documented state, for code outside the handler (servers, tests, fixtures) ----

    /**
     * {@link #clientAddress}.
     *
     * @return the client's address and port (Python's {@code client_address}); null before {@link #attach}
     */
    public final InetSocketAddress clientAddress() {
        return clientAddress;
    }

    /**
     * {@link #server}.
     *
     * @return the server that accepted the connection (Python's {@code server}); null before {@link #attach}
     */
    public final Server server() {
        return server;
    }

    /**
     * {@link #closeConnection}: whether the connection closes after the current response.
     *
     * @return true when the connection closes after the current response
     */
    public final boolean closeConnection() {
        return closeConnection;
    }

    /**
     * {@link #requestline}.
     *
     * @return the current request line without its line ending, or null before the first request
     */
    public final String requestline() {
        return requestline;
    }

    /**
     * {@link #command}.
     *
     * @return the current request's method ({@code GET}), or null when the request line could not be read
     */
    public final String command() {
        return command;
    }

    /**
     * {@link #path}.
     *
     * @return the current request target as sent ({@code /a/b?q=1}), a leading {@code //} reduced to {@code /}
     */
    public final String path() {
        return path;
    }

    /**
     * {@link #requestVersion}.
     *
     * @return the current request's version ({@code HTTP/1.1}), {@link #defaultRequestVersion} until it is parsed
     */
    public final String requestVersion() {
        return requestVersion;
    }

    /**
     * {@link #headers}.
     *
     * @return the current request's header fields; empty before the first request
     */
    public final Headers headers() {
        return headers;
    }

    /**
     * {@link #protocolVersion}.
     *
     * @return the version this handler answers with: {@code HTTP/1.0} (the default) or {@code HTTP/1.1}
     */
    public final String protocolVersion() {
        return protocolVersion;
    }

    // ---- the request loop ----

    /**
     * Python's {@code handle()}: handles the requests waiting on this connection, one by one, until
     * {@link #closeConnection} is set or none is waiting. The server calls it again when the next
     * request arrives on a connection left open.
     *
     * @throws Exception whatever a {@code do} method throws, or an {@link IOException} from the connection;
     *     the server logs it and closes the connection
     */
    public void handle() throws Exception {
        closeConnection = true;
        handleOneRequest();
        while (!closeConnection && transport().hasQueuedRequest()) {
            handleOneRequest();
        }
    }

    /**
     * Python's {@code handle_one_request()}: takes the next request, parses it
     * ({@link #parseRequest}), and calls its {@code do} method, or answers 501.
     *
     * @throws Exception whatever the {@code do} method throws, or an {@link IOException} from the connection
     */
    public void handleOneRequest() throws Exception {
        RequestHead head = transport().nextRequest();
        if (head == null) {
            closeConnection = true;
            return;
        }
        rfile = transport.requestBody();
        if (!parseRequest(head)) {
            return; // an error has been sent
        }
        Method method = DoMethods.find(getClass(), command);
        if (method == null) {
            sendError(HttpStatus.NOT_IMPLEMENTED.value(), "Unsupported method (" + Python.repr(command) + ")");
            return;
        }
        DoMethods.invoke(method, this);
        // CPython flushes wfile here; the server sends the whole response when the request ends.
    }

    /**
     * Python's {@code parse_request()}: takes the request line and headers into {@link #command},
     * {@link #path}, {@link #requestVersion} and {@link #headers}, decides {@link #closeConnection},
     * and calls {@link #handleExpect100()} for {@code Expect: 100-continue}. Returns false, having
     * sent an error, when the request is refused.
     *
     * @param head the request line and header fields the server parsed, or the error it found in them
     * @return true when the request may be served; false when an error response has been sent instead
     * @throws IOException if the error response, or the {@code 100 Continue}, cannot be written
     */
    protected boolean parseRequest(RequestHead head) throws IOException {
        command = null;
        requestVersion = defaultRequestVersion;
        simpleRequest = false;
        closeConnection = true;
        requestline = head.requestline();
        headers = head.headers();
        if (head.isMalformed()) {
            command = head.command();
            path = head.path();
            if (head.version() != null) {
                requestVersion = head.version();
            }
            sendError(head.errorCode(), head.errorMessage(), head.errorExplain());
            return false;
        }
        String version = head.version();
        if (version == null) {
            // Two words, "GET /path": HTTP/0.9's simple request. The version stays defaultRequestVersion
            // (HTTP/0.9: the answer is the body alone), and the connection ends with the answer.
            command = head.command();
            if (!"GET".equals(command)) {
                command = null;
                sendError(HttpStatus.BAD_REQUEST.value(), "Bad HTTP/0.9 request type (" + Python.repr(head.command()) + ")");
                return false;
            }
            path = singleLeadingSlash(head.path());
            simpleRequest = HTTP_0_9.equals(requestVersion);
            return true;
        }
        RequestHeadRules.Version number = RequestHeadRules.parseVersion(version);
        if (number == null) {
            sendError(HttpStatus.BAD_REQUEST.value(), RequestHeadRules.badVersionMessage(version));
            return false;
        }
        if ((number.major() > 1 || (number.major() == 1 && number.minor() >= 1))
                && protocolVersion.compareTo("HTTP/1.1") >= 0) {
            closeConnection = false;
        }
        if (number.major() >= 2 && !head.isHttp2()) {
            // CPython refuses HTTP/2.0 in a request line; a request that really came on an HTTP/2 stream
            // (the server speaks h2 and h2c itself) is served as any other.
            sendError(HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value(), RequestHeadRules.invalidVersionMessage(version));
            return false;
        }
        requestVersion = version;
        command = head.command();
        path = singleLeadingSlash(head.path());
        // CPython compares the whole first field with "close" and "keep-alive"; the options are a list
        // (RFC 9110 7.6.1), and a "close" among them ends the connection (RFC 9112 9.6).
        boolean closeOption = false;
        boolean keepAliveOption = false;
        for (String field : headers.getAll("Connection")) {
            for (String option : field.split(",")) {
                String o = option.strip();
                closeOption |= o.equalsIgnoreCase("close");
                keepAliveOption |= o.equalsIgnoreCase("keep-alive");
            }
        }
        if (closeOption) {
            closeConnection = true;
        } else if (keepAliveOption && protocolVersion.compareTo("HTTP/1.1") >= 0) {
            closeConnection = false;
        }
        String expect = headers.get("Expect", "");
        if (expect.equalsIgnoreCase("100-continue") && protocolVersion.compareTo("HTTP/1.1") >= 0
                && requestVersion.compareTo("HTTP/1.1") >= 0) {
            if (!handleExpect100()) {
                return false;
            }
        }
        simpleRequest = HTTP_0_9.equals(requestVersion);
        return true;
    }

    /**
     * gh-87389: a path starting with '//' would be taken by clients as a scheme-relative URL in a
     * redirect (an open redirect), so it is reduced to a single '/'. Browsers read '\' as '/' there
     * (WHATWG URL), so '/\' and any mix of the two are reduced the same way.
     */
    private static String singleLeadingSlash(String path) {
        if (path.length() > 1 && path.charAt(0) == '/' && (path.charAt(1) == '/' || path.charAt(1) == '\\')) {
            int i = 0;
            while (i < path.length() && (path.charAt(i) == '/' || path.charAt(i) == '\\')) {
                i++;
            }
            return "/" + path.substring(i);
        }
        return path;
    }

    /**
     * Python's {@code handle_expect_100()}: called for {@code Expect: 100-continue} before the body is
     * read. The default sends {@code 100 Continue} and returns true; an override may instead send an
     * error (417, 401, 413...) and return false, and the request ends there.
     *
     * @return true to go on with the request; false when a response has been sent and the request ends
     * @throws IOException if the interim response cannot be written
     */
    protected boolean handleExpect100() throws IOException {
        sendResponseOnly(HttpStatus.CONTINUE.value());
        endHeaders();
        return true;
    }

    // ---- writing the response ----

    /**
     * {@link #sendError(int, String, String)} with the status's phrase and description.
     *
     * @param code the status code, 4xx or 5xx
     * @throws IOException if the response cannot be written to the connection
     */
    public void sendError(int code) throws IOException {
        sendError(code, null, null);
    }

    /**
     * {@link #sendError(int, String, String)} with the status's description.
     *
     * @param code the status code, 4xx or 5xx
     * @param message the reason phrase and the page's message, or null for the status's phrase
     * @throws IOException if the response cannot be written to the connection
     */
    public void sendError(int code, String message) throws IOException {
        sendError(code, message, null);
    }

    /**
     * Python's {@code send_error(code, message=None, explain=None)}: logs the error, then sends a
     * complete error response with {@code Connection: close} and, except for 1xx, 204, 205 and 304,
     * an HTML page made from {@link #errorMessageFormat} with the message and explanation
     * HTML-escaped. HEAD gets the headers only.
     *
     * @param code the status code, 4xx or 5xx
     * @param message the reason phrase and the page's message, or null for the status's phrase
     * @param explain the page's explanation, or null for the status's description
     * @throws IOException if the response cannot be written to the connection
     */
    public void sendError(int code, String message, String explain) throws IOException {
        List<String> entry = responses.get(code);
        String shortmsg = entry != null ? entry.get(0) : "???";
        String longmsg = entry != null ? entry.get(1) : "???";
        if (message == null) {
            message = shortmsg;
        }
        if (explain == null) {
            explain = longmsg;
        }
        logError("code %d, message %s", code, message);
        sendResponse(code, message);
        sendHeader("Connection", "close");
        byte[] body = null;
        // RFC 9110 6.4.1, 15.3.5, 15.3.6, 15.4.5: no content for 1xx, 204, 205 and 304.
        if (code >= 200 && code != 204 && code != 205 && code != 304) {
            String content = formatErrorMessage(errorMessageFormat, code, escapeHtml(message), escapeHtml(explain));
            body = content.getBytes(StandardCharsets.UTF_8);
            sendHeader("Content-Type", errorContentType);
            sendHeader("Content-Length", Integer.toString(body.length));
        }
        endHeaders();
        if (!"HEAD".equals(command) && body != null) {
            wfile.write(body);
        }
    }

    /**
     * {@link #sendResponse(int, String)} with the status's phrase.
     *
     * @param code the status code, 100 to 999
     * @throws IOException if the response cannot be written to the connection
     */
    public void sendResponse(int code) throws IOException {
        sendResponse(code, null);
    }

    /**
     * Python's {@code send_response(code, message=None)}: logs the request ({@link #logRequest(int)}),
     * buffers the status line, and the {@code Server} and {@code Date} headers.
     *
     * @param code the status code, 100 to 999
     * @param message the reason phrase, or null for the status's own phrase
     * @throws IOException if the response cannot be written to the connection
     */
    public void sendResponse(int code, String message) throws IOException {
        logRequest(code);
        sendResponseOnly(code, message);
        sendHeader("Server", versionString());
        sendHeader("Date", dateTimeString());
    }

    /**
     * {@link #sendResponseOnly(int, String)} with the status's phrase.
     *
     * @param code the status code, 100 to 999
     * @throws IllegalArgumentException if {@code code} is outside 100 to 999
     */
    public void sendResponseOnly(int code) {
        sendResponseOnly(code, null);
    }

    /**
     * Python's {@code send_response_only(code, message=None)}: buffers the status line
     * ({@link #protocolVersion}, code, message or the status's phrase), without logging or headers.
     *
     * @param code the status code, 100 to 999
     * @param message the reason phrase, or null for the status's own phrase
     * @throws IllegalArgumentException if {@code code} is outside 100 to 999
     */
    public void sendResponseOnly(int code, String message) {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code out of range: " + code);
        }
        if (message == null) {
            List<String> entry = responses.get(code);
            message = entry != null ? entry.get(0) : "";
        }
        // An HTTP/0.9 request is answered with the body alone (CPython buffers no status line for it).
        statusVersion = simpleRequest ? HTTP_0_9 : protocolVersion;
        statusCode = code;
        statusReason = message;
        headersBuffer.clear();
    }

    /**
     * Python's {@code send_header(keyword, value)}: buffers a header field. {@code Connection: close}
     * and {@code Connection: keep-alive} also set {@link #closeConnection}.
     *
     * @param keyword the field name, an HTTP token
     * @param value the field value, without CR, LF or NUL
     * @throws IllegalArgumentException if the name or value contains CR or LF, or the name is not a token
     */
    public void sendHeader(String keyword, String value) {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(value, "value");
        checkHeader(keyword, value);
        if (!simpleRequest) {
            headersBuffer.add(Map.entry(keyword, value));
        }
        if (keyword.equalsIgnoreCase("Connection")) {
            if (value.equalsIgnoreCase("close")) {
                closeConnection = true;
            } else if (value.equalsIgnoreCase("keep-alive")) {
                closeConnection = false;
            }
        }
    }

    private static void checkHeader(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == ':') {
                throw new IllegalArgumentException("invalid character in header name: " + Python.repr(name));
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("CR, LF or NUL in the value of header " + name);
            }
        }
    }

    /** The status of the head being built (since {@code sendResponse}), or 0 when none is. */
    final int pendingStatus() {
        return statusVersion == null ? 0 : statusCode;
    }

    /** Whether the head being built already has a field named {@code name} (any case). */
    final boolean pendingHeader(String name) {
        for (Map.Entry<String, String> e : headersBuffer) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Python's {@code end_headers()}: ends the header block and sends it ({@link #flushHeaders()}).
     *
     * @throws IOException if the head cannot be written to the connection
     */
    public void endHeaders() throws IOException {
        flushHeaders();
    }

    /**
     * Python's {@code flush_headers()}: sends the buffered status line and headers now.
     *
     * @throws IOException if the head cannot be written to the connection
     */
    public void flushHeaders() throws IOException {
        if (statusVersion == null) {
            headersBuffer.clear();
            return;
        }
        List<Map.Entry<String, String>> fields = List.copyOf(headersBuffer);
        String version = statusVersion;
        int code = statusCode;
        String reason = statusReason;
        statusVersion = null;
        headersBuffer.clear();
        transport().writeHead(version, code, reason, fields, !closeConnection);
    }

    // ---- logging ----

    /** Python's {@code log_request()}: logs the request line with an unknown code and size. */
    public void logRequest() {
        logRequest("-", "-");
    }

    /**
     * Python's {@code log_request(code)}.
     *
     * @param code the status code to log
     */
    public void logRequest(int code) {
        logRequest(Integer.toString(code), "-");
    }

    /**
     * Python's {@code log_request(code, size)}.
     *
     * @param code the status code to log
     * @param size the size of the response body in bytes, as logged
     */
    public void logRequest(int code, long size) {
        logRequest(Integer.toString(code), Long.toString(size));
    }

    /**
     * Python's {@code log_request(code='-', size='-')}: {@code "GET / HTTP/1.1" 200 -}.
     *
     * @param code the status code to log, or {@code -}
     * @param size the size of the response body, or {@code -}
     */
    public void logRequest(String code, String size) {
        logMessage("\"%s\" %s %s", requestline, code, size);
    }

    /**
     * Python's {@code log_error(format, *args)}: by default the same as {@link #logMessage}.
     *
     * @param format the message, with Python's {@code %s}, {@code %d}, {@code %r} and {@code %%} placeholders
     * @param args the values for the placeholders
     */
    public void logError(String format, Object... args) {
        loggingError = true;
        try {
            logMessage(format, args);
        } finally {
            loggingError = false;
        }
    }

    /**
     * Python's {@code log_message(format, *args)}: the single place every log line goes through.
     * Writes {@code address - - [time] message} to standard error (or to the server's
     * {@linkplain Server#requestLog() request log}, when it is not standard error), with control characters escaped
     * as {@code \xHH} and backslashes doubled. {@code format} takes Python's {@code %s}, {@code %d},
     * {@code %r} and {@code %%} (other {@link String#format} patterns work too). Lines are written in
     * order by a background thread, so a slow terminal never holds a request up. Override it to send
     * the lines elsewhere.
     *
     * @param format the message, with Python's {@code %s}, {@code %d}, {@code %r} and {@code %%} placeholders
     * @param args the values for the placeholders
     */
    public void logMessage(String format, Object... args) {
        String message = Python.escapeControl(PyFormat.format(format, args));
        RequestLog log = server == null ? RequestLog.stderr() : server.requestLog();
        if (log == RequestLog.stderr()) {
            // CPython's line, with this handler's own addressString() and logDateTimeString()
            LogSink.write(addressString() + " - - [" + logDateTimeString() + "] " + message + "\n");
        } else if (loggingError) {
            log.error(addressString(), message);
        } else {
            log.message(addressString(), message);
        }
    }

    /** Waits until the log lines written so far are out (for tests and orderly shutdown). */
    public static void flushLog() {
        LogSink.drain();
    }

    // ---- strings ----

    /**
     * Python's {@code version_string()}: {@link #serverVersion} and {@link #sysVersion}.
     *
     * @return the {@code Server} header's value, {@code SimpleHTTP/0.6 Java/17.0.9} for instance
     */
    public String versionString() {
        return serverVersion + " " + sysVersion;
    }

    /**
     * Python's {@code date_time_string()}: now, as an HTTP date ({@code Wed, 02 Dec 2026 10:00:00 GMT}).
     *
     * @return the current time as an RFC 9110 HTTP date, in GMT
     */
    public String dateTimeString() {
        return HttpDates.now();
    }

    /**
     * Python's {@code date_time_string(timestamp)}: seconds since the epoch as an HTTP date.
     *
     * @param epochSeconds seconds since 1970-01-01T00:00:00Z
     * @return that instant as an RFC 9110 HTTP date, in GMT
     */
    public String dateTimeString(long epochSeconds) {
        return HttpDates.format(epochSeconds);
    }

    /**
     * Python's {@code log_date_time_string()}: now, in local time, as {@code 02/Dec/2026 10:00:00}.
     *
     * @return the current local time in the log's format
     */
    public String logDateTimeString() {
        return HttpDates.nowForLog();
    }

    /**
     * Python's {@code address_string()}: the client's IP address ({@code 127.0.0.1}, {@code ::1}).
     *
     * @return the client's IP address as Python prints it, or {@code -} when unknown
     */
    public String addressString() {
        return Addresses.client(clientAddress);
    }

    /** HTML-escapes {@code &}, {@code <} and {@code >}: Python's {@code html.escape(s, quote=False)}. */
    static String escapeHtml(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                default: sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Fills Python's {@code %(code)d}, {@code %(code)s}, {@code %(message)s}, {@code %(explain)s} and {@code %%}. */
    static String formatErrorMessage(String template, int code, String message, String explain) {
        StringBuilder sb = new StringBuilder(template.length() + 64);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '%' && i + 1 < template.length()) {
                char next = template.charAt(i + 1);
                if (next == '%') {
                    sb.append('%');
                    i += 2;
                    continue;
                }
                if (next == '(') {
                    int close = template.indexOf(')', i + 2);
                    if (close > 0 && close + 1 < template.length()) {
                        String key = template.substring(i + 2, close);
                        char conversion = template.charAt(close + 1);
                        String value = null;
                        if (key.equals("code")) {
                            value = Integer.toString(code);
                        } else if (key.equals("message")) {
                            value = message;
                        } else if (key.equals("explain")) {
                            value = explain;
                        }
                        if (value != null && (conversion == 's' || conversion == 'd' || conversion == 'r')) {
                            sb.append(value);
                            i = close + 2;
                            continue;
                        }
                    }
                }
            }
            sb.append(c);
            i++;
        }
        return sb.toString();
    }
}
