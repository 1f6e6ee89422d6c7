/**
 * CGI (RFC 3875) for the server: {@link dev.httpserver.netty.cgi.CgiHttpRequestHandler}, CPython's
 * {@code CGIHTTPRequestHandler}, a file-serving handler that also runs the scripts below its CGI
 * directories.
 *
 * <p>What lives here: matching a request path to a script (CPython's {@code _url_collapse_path}),
 * the script's environment (the CGI variables of RFC 3875), spawning its process (as {@code nobody}
 * when the server runs as root) and piping the request body to it, its stderr to the log and a
 * watchdog for its time limit, and parsing its output (the header block of RFC 3875 6.3, local
 * redirects) into the response.
 *
 * <p>What it may use: the {@code http-server-api} module ({@code dev.httpserver.api} and its
 * {@code spi}) and the JDK, nothing else. No Netty: the handler runs on a handler thread and reaches
 * the connection only through the api's handler contract, like any other handler. Only
 * {@code CgiHttpRequestHandler} is public; the other classes serve it.
 */
package dev.httpserver.netty.cgi;
