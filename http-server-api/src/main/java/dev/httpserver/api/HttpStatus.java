package dev.httpserver.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HTTP status codes with their reason phrases and short descriptions: the Java form of Python's
 * {@code http.HTTPStatus} enum.
 *
 * <p>There is one constant for each member of {@code HTTPStatus} (62 of them), with the same name,
 * the same numeric value, and the same {@code phrase} and {@code description} strings,
 * byte for byte. Those strings appear in the server's status lines and error pages, so do not
 * reword them. Constants are declared in ascending order of their code, as in Python.
 *
 * <p>The text follows CPython 3.14 (taken from {@code Lib/http/__init__.py}). It uses the RFC 9110
 * names that came in with 3.13 ({@link #CONTENT_TOO_LARGE}, {@link #URI_TOO_LONG},
 * {@link #RANGE_NOT_SATISFIABLE}, {@link #UNPROCESSABLE_CONTENT}). Python keeps the old names as
 * aliases of those members; they are not members of their own, so there is no Java constant for
 * them. CPython 3.13.0 differs from 3.14 in its descriptions only: there, 102, 103, 207, 208, 226,
 * 422 to 426, 506 to 508 and 510 have an empty description, and the 418 description ends with a
 * full stop.
 *
 * <p>Python's {@code HTTPStatus(code)} is {@link #of(int)}, and
 * {@code http.server.BaseHTTPRequestHandler.responses} is {@link #responses()}.
 */
public enum HttpStatus {

    // Informational 1xx

    /** {@code 100 Continue}; Python {@code HTTPStatus.CONTINUE}. */
    CONTINUE(100, "Continue", "Request received, please continue"),
    /** {@code 101 Switching Protocols}; Python {@code HTTPStatus.SWITCHING_PROTOCOLS}. */
    SWITCHING_PROTOCOLS(101, "Switching Protocols", "Switching to new protocol; obey Upgrade header"),
    /** {@code 102 Processing}; Python {@code HTTPStatus.PROCESSING}. */
    PROCESSING(102, "Processing", "Server is processing the request"),
    /** {@code 103 Early Hints}; Python {@code HTTPStatus.EARLY_HINTS}. */
    EARLY_HINTS(103, "Early Hints", "Headers sent to prepare for the response"),

    // Successful 2xx

    /** {@code 200 OK}; Python {@code HTTPStatus.OK}. */
    OK(200, "OK", "Request fulfilled, document follows"),
    /** {@code 201 Created}; Python {@code HTTPStatus.CREATED}. */
    CREATED(201, "Created", "Document created, URL follows"),
    /** {@code 202 Accepted}; Python {@code HTTPStatus.ACCEPTED}. */
    ACCEPTED(202, "Accepted", "Request accepted, processing continues off-line"),
    /** {@code 203 Non-Authoritative Information}; Python {@code HTTPStatus.NON_AUTHORITATIVE_INFORMATION}. */
    NON_AUTHORITATIVE_INFORMATION(203, "Non-Authoritative Information", "Request fulfilled from cache"),
    /** {@code 204 No Content}; Python {@code HTTPStatus.NO_CONTENT}. */
    NO_CONTENT(204, "No Content", "Request fulfilled, nothing follows"),
    /** {@code 205 Reset Content}; Python {@code HTTPStatus.RESET_CONTENT}. */
    RESET_CONTENT(205, "Reset Content", "Clear input form for further input"),
    /** {@code 206 Partial Content}; Python {@code HTTPStatus.PARTIAL_CONTENT}. */
    PARTIAL_CONTENT(206, "Partial Content", "Partial content follows"),
    /** {@code 207 Multi-Status}; Python {@code HTTPStatus.MULTI_STATUS}. */
    MULTI_STATUS(207, "Multi-Status", "Response contains multiple statuses in the body"),
    /** {@code 208 Already Reported}; Python {@code HTTPStatus.ALREADY_REPORTED}. */
    ALREADY_REPORTED(208, "Already Reported", "Operation has already been reported"),
    /** {@code 226 IM Used}; Python {@code HTTPStatus.IM_USED}. */
    IM_USED(226, "IM Used", "Request completed using instance manipulations"),

    // Redirection 3xx

    /** {@code 300 Multiple Choices}; Python {@code HTTPStatus.MULTIPLE_CHOICES}. */
    MULTIPLE_CHOICES(300, "Multiple Choices", "Object has several resources -- see URI list"),
    /** {@code 301 Moved Permanently}; Python {@code HTTPStatus.MOVED_PERMANENTLY}. */
    MOVED_PERMANENTLY(301, "Moved Permanently", "Object moved permanently -- see URI list"),
    /** {@code 302 Found}; Python {@code HTTPStatus.FOUND}. */
    FOUND(302, "Found", "Object moved temporarily -- see URI list"),
    /** {@code 303 See Other}; Python {@code HTTPStatus.SEE_OTHER}. */
    SEE_OTHER(303, "See Other", "Object moved -- see Method and URL list"),
    /** {@code 304 Not Modified}; Python {@code HTTPStatus.NOT_MODIFIED}. */
    NOT_MODIFIED(304, "Not Modified", "Document has not changed since given time"),
    /** {@code 305 Use Proxy}; Python {@code HTTPStatus.USE_PROXY}. */
    USE_PROXY(305, "Use Proxy", "You must use proxy specified in Location to access this resource"),
    /** {@code 307 Temporary Redirect}; Python {@code HTTPStatus.TEMPORARY_REDIRECT}. */
    TEMPORARY_REDIRECT(307, "Temporary Redirect", "Object moved temporarily -- see URI list"),
    /** {@code 308 Permanent Redirect}; Python {@code HTTPStatus.PERMANENT_REDIRECT}. */
    PERMANENT_REDIRECT(308, "Permanent Redirect", "Object moved permanently -- see URI list"),

    // Client error 4xx

    /** {@code 400 Bad Request}; Python {@code HTTPStatus.BAD_REQUEST}. */
    BAD_REQUEST(400, "Bad Request", "Bad request syntax or unsupported method"),
    /** {@code 401 Unauthorized}; Python {@code HTTPStatus.UNAUTHORIZED}. */
    UNAUTHORIZED(401, "Unauthorized", "No permission -- see authorization schemes"),
    /** {@code 402 Payment Required}; Python {@code HTTPStatus.PAYMENT_REQUIRED}. */
    PAYMENT_REQUIRED(402, "Payment Required", "No payment -- see charging schemes"),
    /** {@code 403 Forbidden}; Python {@code HTTPStatus.FORBIDDEN}. */
    FORBIDDEN(403, "Forbidden", "Request forbidden -- authorization will not help"),
    /** {@code 404 Not Found}; Python {@code HTTPStatus.NOT_FOUND}. */
    NOT_FOUND(404, "Not Found", "Nothing matches the given URI"),
    /** {@code 405 Method Not Allowed}; Python {@code HTTPStatus.METHOD_NOT_ALLOWED}. */
    METHOD_NOT_ALLOWED(405, "Method Not Allowed", "Specified method is invalid for this resource"),
    /** {@code 406 Not Acceptable}; Python {@code HTTPStatus.NOT_ACCEPTABLE}. */
    NOT_ACCEPTABLE(406, "Not Acceptable", "URI not available in preferred format"),
    /** {@code 407 Proxy Authentication Required}; Python {@code HTTPStatus.PROXY_AUTHENTICATION_REQUIRED}. */
    PROXY_AUTHENTICATION_REQUIRED(407, "Proxy Authentication Required",
            "You must authenticate with this proxy before proceeding"),
    /** {@code 408 Request Timeout}; Python {@code HTTPStatus.REQUEST_TIMEOUT}. */
    REQUEST_TIMEOUT(408, "Request Timeout", "Request timed out; try again later"),
    /** {@code 409 Conflict}; Python {@code HTTPStatus.CONFLICT}. */
    CONFLICT(409, "Conflict", "Request conflict"),
    /** {@code 410 Gone}; Python {@code HTTPStatus.GONE}. */
    GONE(410, "Gone", "URI no longer exists and has been permanently removed"),
    /** {@code 411 Length Required}; Python {@code HTTPStatus.LENGTH_REQUIRED}. */
    LENGTH_REQUIRED(411, "Length Required", "Client must specify Content-Length"),
    /** {@code 412 Precondition Failed}; Python {@code HTTPStatus.PRECONDITION_FAILED}. */
    PRECONDITION_FAILED(412, "Precondition Failed", "Precondition in headers is false"),
    /**
     * {@code 413 Content Too Large}; Python {@code HTTPStatus.CONTENT_TOO_LARGE}.
     *
     * <p>Before Python 3.13 this member was named {@code REQUEST_ENTITY_TOO_LARGE}, with phrase
     * {@code "Request Entity Too Large"}. Python keeps {@code HTTPStatus.REQUEST_ENTITY_TOO_LARGE} as an alias
     * of this member; there is no Java constant for the old name.
     */
    CONTENT_TOO_LARGE(413, "Content Too Large", "Content is too large"),
    /**
     * {@code 414 URI Too Long}; Python {@code HTTPStatus.URI_TOO_LONG}.
     *
     * <p>Before Python 3.13 this member was named {@code REQUEST_URI_TOO_LONG}, with phrase
     * {@code "Request-URI Too Long"}. Python keeps {@code HTTPStatus.REQUEST_URI_TOO_LONG} as an alias
     * of this member; there is no Java constant for the old name.
     */
    URI_TOO_LONG(414, "URI Too Long", "URI is too long"),
    /** {@code 415 Unsupported Media Type}; Python {@code HTTPStatus.UNSUPPORTED_MEDIA_TYPE}. */
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported Media Type", "Entity body in unsupported format"),
    /**
     * {@code 416 Range Not Satisfiable}; Python {@code HTTPStatus.RANGE_NOT_SATISFIABLE}.
     *
     * <p>Before Python 3.13 this member was named {@code REQUESTED_RANGE_NOT_SATISFIABLE}, with phrase
     * {@code "Requested Range Not Satisfiable"}. Python keeps
     * {@code HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE} as an alias of this member; there is no Java
     * constant for the old name.
     */
    RANGE_NOT_SATISFIABLE(416, "Range Not Satisfiable", "Cannot satisfy request range"),
    /** {@code 417 Expectation Failed}; Python {@code HTTPStatus.EXPECTATION_FAILED}. */
    EXPECTATION_FAILED(417, "Expectation Failed", "Expect condition could not be satisfied"),
    /** {@code 418 I'm a Teapot}; Python {@code HTTPStatus.IM_A_TEAPOT}. */
    IM_A_TEAPOT(418, "I'm a Teapot", "Server refuses to brew coffee because it is a teapot"),
    /** {@code 421 Misdirected Request}; Python {@code HTTPStatus.MISDIRECTED_REQUEST}. */
    MISDIRECTED_REQUEST(421, "Misdirected Request", "Server is not able to produce a response"),
    /**
     * {@code 422 Unprocessable Content}; Python {@code HTTPStatus.UNPROCESSABLE_CONTENT}.
     *
     * <p>Before Python 3.13 this member was named {@code UNPROCESSABLE_ENTITY}, with phrase
     * {@code "Unprocessable Entity"}. Python keeps {@code HTTPStatus.UNPROCESSABLE_ENTITY} as an alias
     * of this member; there is no Java constant for the old name.
     */
    UNPROCESSABLE_CONTENT(422, "Unprocessable Content",
            "Server is not able to process the contained instructions"),
    /** {@code 423 Locked}; Python {@code HTTPStatus.LOCKED}. */
    LOCKED(423, "Locked", "Resource of a method is locked"),
    /** {@code 424 Failed Dependency}; Python {@code HTTPStatus.FAILED_DEPENDENCY}. */
    FAILED_DEPENDENCY(424, "Failed Dependency", "Dependent action of the request failed"),
    /** {@code 425 Too Early}; Python {@code HTTPStatus.TOO_EARLY}. */
    TOO_EARLY(425, "Too Early", "Server refuses to process a request that might be replayed"),
    /** {@code 426 Upgrade Required}; Python {@code HTTPStatus.UPGRADE_REQUIRED}. */
    UPGRADE_REQUIRED(426, "Upgrade Required",
            "Server refuses to perform the request using the current protocol"),
    /** {@code 428 Precondition Required}; Python {@code HTTPStatus.PRECONDITION_REQUIRED}. */
    PRECONDITION_REQUIRED(428, "Precondition Required",
            "The origin server requires the request to be conditional"),
    /** {@code 429 Too Many Requests}; Python {@code HTTPStatus.TOO_MANY_REQUESTS}. */
    TOO_MANY_REQUESTS(429, "Too Many Requests",
            "The user has sent too many requests in a given amount of time (\"rate limiting\")"),
    /** {@code 431 Request Header Fields Too Large}; Python {@code HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE}. */
    REQUEST_HEADER_FIELDS_TOO_LARGE(431, "Request Header Fields Too Large",
            "The server is unwilling to process the request because its header fields are too large"),
    /** {@code 451 Unavailable For Legal Reasons}; Python {@code HTTPStatus.UNAVAILABLE_FOR_LEGAL_REASONS}. */
    UNAVAILABLE_FOR_LEGAL_REASONS(451, "Unavailable For Legal Reasons",
            "The server is denying access to the resource as a consequence of a legal demand"),

    // Server error 5xx

    /** {@code 500 Internal Server Error}; Python {@code HTTPStatus.INTERNAL_SERVER_ERROR}. */
    INTERNAL_SERVER_ERROR(500, "Internal Server Error", "Server got itself in trouble"),
    /** {@code 501 Not Implemented}; Python {@code HTTPStatus.NOT_IMPLEMENTED}. */
    NOT_IMPLEMENTED(501, "Not Implemented", "Server does not support this operation"),
    /** {@code 502 Bad Gateway}; Python {@code HTTPStatus.BAD_GATEWAY}. */
    BAD_GATEWAY(502, "Bad Gateway", "Invalid responses from another server/proxy"),
    /** {@code 503 Service Unavailable}; Python {@code HTTPStatus.SERVICE_UNAVAILABLE}. */
    SERVICE_UNAVAILABLE(503, "Service Unavailable",
            "The server cannot process the request due to a high load"),
    /** {@code 504 Gateway Timeout}; Python {@code HTTPStatus.GATEWAY_TIMEOUT}. */
    GATEWAY_TIMEOUT(504, "Gateway Timeout", "The gateway server did not receive a timely response"),
    /** {@code 505 HTTP Version Not Supported}; Python {@code HTTPStatus.HTTP_VERSION_NOT_SUPPORTED}. */
    HTTP_VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported", "Cannot fulfill request"),
    /** {@code 506 Variant Also Negotiates}; Python {@code HTTPStatus.VARIANT_ALSO_NEGOTIATES}. */
    VARIANT_ALSO_NEGOTIATES(506, "Variant Also Negotiates", "Server has an internal configuration error"),
    /** {@code 507 Insufficient Storage}; Python {@code HTTPStatus.INSUFFICIENT_STORAGE}. */
    INSUFFICIENT_STORAGE(507, "Insufficient Storage", "Server is not able to store the representation"),
    /** {@code 508 Loop Detected}; Python {@code HTTPStatus.LOOP_DETECTED}. */
    LOOP_DETECTED(508, "Loop Detected", "Server encountered an infinite loop while processing a request"),
    /** {@code 510 Not Extended}; Python {@code HTTPStatus.NOT_EXTENDED}. */
    NOT_EXTENDED(510, "Not Extended", "Request does not meet the resource access policy"),
    /** {@code 511 Network Authentication Required}; Python {@code HTTPStatus.NETWORK_AUTHENTICATION_REQUIRED}. */
    NETWORK_AUTHENTICATION_REQUIRED(511, "Network Authentication Required",
            "The client needs to authenticate to gain network access");

    /** Lookup table for {@link #of(int)}: index is the status code, {@code null} where there is no member. */
    private static final HttpStatus[] BY_CODE = new HttpStatus[600];

    /** The map that {@link #responses()} returns, built once when the class is initialised. */
    private static final Map<Integer, List<String>> RESPONSES;

    static {
        Map<Integer, List<String>> responses = new LinkedHashMap<>();
        for (HttpStatus status : values()) {
            BY_CODE[status.value] = status;
            responses.put(status.value, List.of(status.phrase, status.description));
        }
        RESPONSES = Collections.unmodifiableMap(responses);
    }

    private final int value;
    private final String phrase;
    private final String description;

    HttpStatus(int value, String phrase, String description) {
        this.value = value;
        this.phrase = phrase;
        this.description = description;
    }

    /**
     * The numeric status code, for example {@code 404}. Python: {@code .value} (or the member used as an int).
     *
     * @return the code, between 100 and 599
     */
    public int value() {
        return value;
    }

    /**
     * The reason phrase sent in the status line, for example {@code "Not Found"}. Python: {@code .phrase}.
     *
     * @return the phrase, never {@code null}
     */
    public String phrase() {
        return phrase;
    }

    /**
     * The longer explanation used in error pages, for example {@code "Nothing matches the given URI"}.
     * Python: {@code .description}.
     *
     * @return the description, never {@code null}
     */
    public String description() {
        return description;
    }

    /**
     * Whether this is a 1xx status. Python: {@code .is_informational} (new in 3.12).
     *
     * @return {@code true} for codes 100 to 199
     */
    public boolean isInformational() {
        return value >= 100 && value <= 199;
    }

    /**
     * Whether this is a 2xx status. Python: {@code .is_success} (new in 3.12).
     *
     * @return {@code true} for codes 200 to 299
     */
    public boolean isSuccess() {
        return value >= 200 && value <= 299;
    }

    /**
     * Whether this is a 3xx status. Python: {@code .is_redirection} (new in 3.12).
     *
     * @return {@code true} for codes 300 to 399
     */
    public boolean isRedirection() {
        return value >= 300 && value <= 399;
    }

    /**
     * Whether this is a 4xx status. Python: {@code .is_client_error} (new in 3.12).
     *
     * @return {@code true} for codes 400 to 499
     */
    public boolean isClientError() {
        return value >= 400 && value <= 499;
    }

    /**
     * Whether this is a 5xx status. Python: {@code .is_server_error} (new in 3.12).
     *
     * @return {@code true} for codes 500 to 599
     */
    public boolean isServerError() {
        return value >= 500 && value <= 599;
    }

    /**
     * The constant with the given code, in constant time. Python: {@code HTTPStatus(code)}, except that
     * an unknown code gives an empty result here where Python raises {@code ValueError}.
     *
     * @param code a status code, any int
     * @return the constant whose {@link #value()} is {@code code}, or empty if there is none
     */
    public static Optional<HttpStatus> of(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            return Optional.empty();
        }
        return Optional.ofNullable(BY_CODE[code]);
    }

    /**
     * Every status as {@code code -> [phrase, description]}. Python:
     * {@code http.server.BaseHTTPRequestHandler.responses}, a dict of {@code code: (phrase, description)}.
     *
     * <p>The map is unmodifiable, iterates in ascending order of code, and holds one entry for each
     * constant; each value is an immutable list of exactly two strings. It is built once, and every call
     * returns the same instance.
     *
     * @return the unmodifiable map from code to {@code [phrase, description]}
     */
    public static Map<Integer, List<String>> responses() {
        return RESPONSES;
    }
}
