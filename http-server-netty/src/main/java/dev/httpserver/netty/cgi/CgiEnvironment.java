package dev.httpserver.netty.cgi;

import dev.httpserver.api.Headers;
import dev.httpserver.api.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment of a CGI script, as {@link CgiHttpRequestHandler#cgiEnvironment} describes it:
 * {@code PATH} and the variables of RFC 3875, built from the handler's current request, nothing else
 * of the server's environment.
 */
final class CgiEnvironment {

    /** Request headers that never become {@code HTTP_*} variables (lower case). */
    private static final Set<String> NOT_PASSED = Set.of("authorization", "proxy-authorization", "content-type",
            "content-length", "proxy", "accept", "cookie");

    private CgiEnvironment() {
    }

    /**
     * The variables for a script of the request {@code handler} is answering.
     *
     * @param handler    the handler, for the request's method, headers, client and server
     * @param scriptName the URL path of the script ({@code SCRIPT_NAME})
     * @param pathInfo   the decoded path after the script name, or empty ({@code PATH_INFO})
     * @param query      the query, as sent, or empty ({@code QUERY_STRING})
     * @return a mutable map, in a stable order
     */
    static Map<String, String> of(CgiHttpRequestHandler handler, String scriptName, String pathInfo, String query) {
        Map<String, String> env = new LinkedHashMap<>();
        Headers headers = handler.headers();
        Server server = handler.server();
        String serverPath = System.getenv("PATH");
        env.put("PATH", serverPath != null && !serverPath.isEmpty() ? serverPath : CgiSystem.DEFAULT_PATH);
        env.put("SERVER_SOFTWARE", handler.versionString());
        env.put("SERVER_NAME", server.serverName());
        env.put("GATEWAY_INTERFACE", "CGI/1.1");
        env.put("SERVER_PROTOCOL", handler.protocolVersion());
        env.put("SERVER_PORT", Integer.toString(server.serverPort()));
        env.put("REQUEST_METHOD", handler.command());
        env.put("PATH_INFO", pathInfo);
        if (!pathInfo.isEmpty()) {
            Path translated = handler.translated(pathInfo);
            if (translated != null) {
                env.put("PATH_TRANSLATED", translated.toString());
            }
        }
        env.put("SCRIPT_NAME", scriptName);
        env.put("QUERY_STRING", query);
        String address = handler.addressString();
        env.put("REMOTE_ADDR", address);
        env.put("REMOTE_HOST", address);
        if (server.isSecure()) {
            env.put("HTTPS", "on");
        }
        authorization(headers, env);
        if (!handler.redirected()) { // a local redirect is a GET without the original body
            String contentType = headers.get("Content-Type");
            if (contentType != null) {
                env.put("CONTENT_TYPE", contentType);
            }
            String length = headers.get("Content-Length");
            if (length != null && !length.isEmpty() && !headers.contains("Transfer-Encoding")) {
                env.put("CONTENT_LENGTH", length.trim());
            }
        }
        httpVariables(headers, env);
        env.values().removeIf(v -> v.indexOf('\0') >= 0);
        return env;
    }

    /** {@code AUTH_TYPE} and, for Basic, {@code REMOTE_USER}, from the {@code Authorization} header. */
    private static void authorization(Headers headers, Map<String, String> env) {
        String authorization = headers.get("Authorization");
        if (authorization != null) {
            String[] parts = authorization.trim().split("[ \t]+");
            if (parts.length == 2) {
                env.put("AUTH_TYPE", parts[0]);
                if (parts[0].equalsIgnoreCase("basic")) {
                    String user = basicUser(parts[1]);
                    if (user != null) {
                        env.put("REMOTE_USER", user);
                    }
                }
            }
        }
    }

    /** {@code HTTP_ACCEPT}, {@code HTTP_COOKIE} and an {@code HTTP_NAME} for every other header passed. */
    private static void httpVariables(Headers headers, Map<String, String> env) {
        env.put("HTTP_ACCEPT", String.join(",", headers.getAll("Accept")));
        List<String> cookies = new ArrayList<>();
        for (String c : headers.getAll("Cookie")) {
            if (!c.isEmpty()) {
                cookies.add(c);
            }
        }
        if (!cookies.isEmpty()) {
            env.put("HTTP_COOKIE", String.join("; ", cookies));
        }
        for (String name : headers.names()) {
            if (NOT_PASSED.contains(name) || !name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9') || c == '-')) {
                continue;
            }
            String key = "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            String value = String.join(", ", headers.getAll(name));
            if ((key.equals("HTTP_USER_AGENT") || key.equals("HTTP_REFERER")) && value.isEmpty()) {
                continue; // as CPython: only when not empty
            }
            if (value.indexOf('\0') < 0) {
                env.putIfAbsent(key, value);
            }
        }
    }

    /** The user of a Basic credential (before the first colon), or null when it does not decode to ASCII. */
    private static String basicUser(String token) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (byte b : decoded) {
            if (b < 0 || b == 0) {
                return null;
            }
        }
        String credentials = new String(decoded, StandardCharsets.US_ASCII);
        int colon = credentials.indexOf(':');
        return colon < 0 ? null : credentials.substring(0, colon);
    }
}
