package dev.httpserver.junit5;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which requests a {@linkplain HttpServerExtension#stub stub} answers, or a
 * {@linkplain HttpServerExtension#verify verification} counts: criteria on the method, the path, the
 * query, header fields and the body, all of which must hold. Immutable: each method returns a new
 * matcher with one more criterion.
 *
 * <pre>{@code
 * RequestMatcher.post("/api/items")
 *         .header("Content-Type", "application/json")
 *         .bodyContains("\"name\"");
 * RequestMatcher.get().pathGlob("/static/**.css").query("v", "2");
 * RequestMatcher.any().pathRegex("/users/[0-9]+").headerPresent("Authorization");
 * }</pre>
 *
 * <p>The path is the request target up to its {@code ?}, as sent (percent-encoded, not decoded);
 * query parameters are decoded as a form ({@code +} is a space). Header names match in any case,
 * values exactly. A failed match is described criterion by criterion ({@link #mismatches}), which is
 * what {@link HttpServerExtension#verify} prints for the requests that came closest.
 */
public final class RequestMatcher {

    private static final RequestMatcher ANY = new RequestMatcher(List.of());

    private final List<Criterion> criteria;

    private RequestMatcher(List<Criterion> criteria) {
        this.criteria = criteria;
    }

    /**
     * A matcher that every request matches, to add criteria to.
     *
     * @return the empty matcher
     */
    public static RequestMatcher any() {
        return ANY;
    }

    /**
     * Requests with method {@code GET}.
     *
     * @return the matcher
     */
    public static RequestMatcher get() {
        return ANY.method("GET");
    }

    /**
     * {@code GET} requests for exactly {@code path}.
     *
     * @param path the path, without query, as sent
     * @return the matcher
     */
    public static RequestMatcher get(String path) {
        return get().path(path);
    }

    /**
     * {@code POST} requests for exactly {@code path}.
     *
     * @param path the path, without query, as sent
     * @return the matcher
     */
    public static RequestMatcher post(String path) {
        return ANY.method("POST").path(path);
    }

    /**
     * {@code PUT} requests for exactly {@code path}.
     *
     * @param path the path, without query, as sent
     * @return the matcher
     */
    public static RequestMatcher put(String path) {
        return ANY.method("PUT").path(path);
    }

    /**
     * {@code DELETE} requests for exactly {@code path}.
     *
     * @param path the path, without query, as sent
     * @return the matcher
     */
    public static RequestMatcher delete(String path) {
        return ANY.method("DELETE").path(path);
    }

    /**
     * Adds: the method is {@code method} (case-sensitive, as HTTP methods are).
     *
     * @param method the method, e.g. {@code PATCH}
     * @return a new matcher
     */
    public RequestMatcher method(String method) {
        Objects.requireNonNull(method, "method");
        return with("method " + method, false, RecordedRequest::method, r -> method.equals(r.method()));
    }

    /**
     * Adds: the path (the target before {@code ?}) is exactly {@code path}.
     *
     * @param path the path as sent, e.g. {@code /api/items}
     * @return a new matcher
     */
    public RequestMatcher path(String path) {
        Objects.requireNonNull(path, "path");
        return with("path " + path, false, RecordedRequest::urlPath, r -> path.equals(r.urlPath()));
    }

    /**
     * Adds: the path starts with {@code prefix}.
     *
     * @param prefix the start of the path, e.g. {@code /api/}
     * @return a new matcher
     */
    public RequestMatcher pathPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return with("path starting " + prefix, false, RecordedRequest::urlPath, r -> r.urlPath().startsWith(prefix));
    }

    /**
     * Adds: the path matches the glob {@code glob}, where {@code *} stands for any characters but
     * {@code /}, {@code **} for any characters at all and {@code ?} for one character but {@code /}.
     *
     * @param glob the pattern, e.g. {@code /static/**.css}
     * @return a new matcher
     */
    public RequestMatcher pathGlob(String glob) {
        Objects.requireNonNull(glob, "glob");
        Pattern p = Pattern.compile(globToRegex(glob));
        return with("path like " + glob, false, RecordedRequest::urlPath, r -> p.matcher(r.urlPath()).matches());
    }

    /**
     * Adds: the whole path matches the regular expression {@code regex}.
     *
     * @param regex a {@link Pattern} regular expression, e.g. {@code /users/[0-9]+}
     * @return a new matcher
     * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a valid expression
     */
    public RequestMatcher pathRegex(String regex) {
        Pattern p = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        return with("path matching " + regex, false, RecordedRequest::urlPath, r -> p.matcher(r.urlPath()).matches());
    }

    /**
     * Adds: the query has a parameter {@code name} with the value {@code value} (among its values, if
     * it is given several times), both compared decoded.
     *
     * @param name  the parameter's name
     * @param value its value
     * @return a new matcher
     */
    public RequestMatcher query(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with("query " + name + "=" + value, false, r -> name + "=" + r.queryParameters(name), r -> r.queryParameters(name).contains(value));
    }

    /**
     * Adds: a header field {@code name} (any case) has exactly the value {@code value}.
     *
     * @param name  the field name
     * @param value the value
     * @return a new matcher
     */
    public RequestMatcher header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        return with("header " + name + ": " + value, false, r -> name + ": " + r.headers().getAll(name), r -> r.headers().getAll(name).contains(value));
    }

    /**
     * Adds: a header field {@code name} (any case) has a value that the regular expression
     * {@code regex} matches whole.
     *
     * @param name  the field name
     * @param regex a {@link Pattern} regular expression
     * @return a new matcher
     */
    public RequestMatcher headerMatching(String name, String regex) {
        Objects.requireNonNull(name, "name");
        Pattern p = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        return with("header " + name + " matching " + regex, false, r -> name + ": " + r.headers().getAll(name), r -> r.headers().getAll(name).stream().anyMatch(v -> p.matcher(v).matches()));
    }

    /**
     * Adds: the request has a header field {@code name} (any case).
     *
     * @param name the field name
     * @return a new matcher
     */
    public RequestMatcher headerPresent(String name) {
        Objects.requireNonNull(name, "name");
        return with("header " + name + " present", false, r -> name + ": " + r.headers().getAll(name), r -> !r.headers().getAll(name).isEmpty());
    }

    /**
     * Adds: the body, decoded as UTF-8, is exactly {@code body}.
     *
     * @param body the expected body
     * @return a new matcher
     */
    public RequestMatcher body(String body) {
        Objects.requireNonNull(body, "body");
        return with("body " + quote(body), true, r -> quote(r.bodyAsString()), r -> body.equals(r.bodyAsString()));
    }

    /**
     * Adds: the body, decoded as UTF-8, contains {@code part}.
     *
     * @param part the text to find
     * @return a new matcher
     */
    public RequestMatcher bodyContains(String part) {
        Objects.requireNonNull(part, "part");
        return with("body containing " + quote(part), true, r -> quote(r.bodyAsString()), r -> r.bodyAsString().contains(part));
    }

    /**
     * Adds: the whole body, decoded as UTF-8, matches the regular expression {@code regex}
     * ({@link Pattern#DOTALL}: {@code .} matches line ends too).
     *
     * @param regex a {@link Pattern} regular expression
     * @return a new matcher
     */
    public RequestMatcher bodyMatching(String regex) {
        Pattern p = Pattern.compile(Objects.requireNonNull(regex, "regex"), Pattern.DOTALL);
        return with("body matching " + regex, true, r -> quote(r.bodyAsString()), r -> p.matcher(r.bodyAsString()).matches());
    }

    /**
     * Adds a criterion of your own.
     *
     * @param description how failures describe it, e.g. {@code "a JSON body"}
     * @param predicate   true for the requests that meet it
     * @return a new matcher
     */
    public RequestMatcher matching(String description, Predicate<RecordedRequest> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        return with(description, true, r -> "not met", predicate);
    }

    /**
     * Whether {@code request} meets every criterion.
     *
     * @param request a recorded request
     * @return true if it matches
     */
    public boolean matches(RecordedRequest request) {
        Objects.requireNonNull(request, "request");
        for (Criterion c : criteria) {
            if (!c.test.test(request)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The criteria {@code request} fails, each as {@code "expected <criterion>, was <what it had>"};
     * empty when it matches.
     *
     * @param request a recorded request
     * @return the failed criteria, in the order they were added
     */
    public List<String> mismatches(RecordedRequest request) {
        List<String> out = new ArrayList<>();
        for (Criterion c : criteria) {
            if (!c.test.test(request)) {
                out.add("expected " + c.description + ", was " + c.actual.apply(request));
            }
        }
        return out;
    }

    /** Whether a criterion looks at the body (a stub with one is matched once the body is read). */
    boolean needsBody() {
        for (Criterion c : criteria) {
            if (c.needsBody) {
                return true;
            }
        }
        return false;
    }

    /** The criteria, joined: {@code method POST, path /a}; {@code any request} for none. */
    @Override
    public String toString() {
        if (criteria.isEmpty()) {
            return "any request";
        }
        StringBuilder b = new StringBuilder();
        for (Criterion c : criteria) {
            b.append(b.length() == 0 ? "" : ", ").append(c.description);
        }
        return b.toString();
    }

    private RequestMatcher with(String description, boolean needsBody, Function<RecordedRequest, String> actual,
            Predicate<RecordedRequest> test) {
        List<Criterion> list = new ArrayList<>(criteria);
        list.add(new Criterion(description, needsBody, actual, test));
        return new RequestMatcher(List.copyOf(list));
    }

    static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    private static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n")
                + '"';
    }

    /** One criterion: what it asks, whether it needs the body, what the request had, and the test. */
    private static final class Criterion {
        final String description;
        final boolean needsBody;
        final Function<RecordedRequest, String> actual;
        final Predicate<RecordedRequest> test;

        Criterion(String description, boolean needsBody, Function<RecordedRequest, String> actual,
                Predicate<RecordedRequest> test) {
            this.description = description;
            this.needsBody = needsBody;
            this.actual = actual;
            this.test = test;
        }
    }
}
