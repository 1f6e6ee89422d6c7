package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The responses a stock {@link SimpleHttpRequestHandler} gave for plain GETs of files, kept for one
 * second so that the event loop can answer the same request again without a trip to a handler
 * thread, the way nginx's {@code open_file_cache} does. An entry is the exact head the handler sent
 * (its Date refreshed) and an open file; it is made on a handler thread (where the file was opened
 * and its attributes read) and only read on the event loop, so no file-system call happens there
 * (the file's bytes go out with {@code sendfile}, as every zero-copy transfer does; under TLS they
 * are read by the {@code ChunkedWriteHandler} with positional reads of the shared file,
 * {@link Entry#chunks(boolean)}). On HTTP/2, where each stream has a handler of
 * its own, the entries found by one stream's handler serve the later streams of the same connection.
 *
 * <p>Only handler classes that leave every method that shapes a file response as it is are
 * eligible; a subclass that overrides any of them (a CORS header in {@code endHeaders}, an SPA
 * fallback in {@code doGET}, a quieter {@code logMessage}) always runs. After a file changes, the
 * old response may be served for up to a second.
 */
final class StaticFileCache {

    static final long TTL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_ENTRIES = 4096;

    /** Methods whose override makes a handler class ineligible. */
    private static final Set<String> SHAPING_METHODS = Set.of("doGET", "doHEAD", "sendHead", "translatePath", "guessType",
            "copyfile", "listDirectory", "handle", "handleOneRequest", "parseRequest", "sendResponse", "sendResponseOnly",
            "sendHeader", "endHeaders", "flushHeaders", "logMessage", "logRequest", "logError", "versionString",
            "dateTimeString", "addressString", "logDateTimeString", "sendError", "handleExpect100");

    private static final ClassValue<Boolean> ELIGIBLE = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (!SimpleHttpRequestHandler.class.isAssignableFrom(type)) {
                return false;
            }
            for (Class<?> c = type; c != SimpleHttpRequestHandler.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (SHAPING_METHODS.contains(m.getName())) {
                        return false;
                    }
                }
            }
            return true;
        }
    };

    /** One cached response. Reference-counted: the cache holds one reference, each transfer another. */
    static final class Entry {
        final List<Map.Entry<String, String>> fields;
        final FileChannel file;
        final long size;
        final long madeAt;
        private final AtomicInteger refs = new AtomicInteger(1);

        Entry(List<Map.Entry<String, String>> fields, FileChannel file, long size) {
            this.fields = fields;
            this.file = file;
            this.size = size;
            this.madeAt = System.nanoTime();
        }

        boolean fresh(long now) {
            return now - madeAt < TTL_NANOS;
        }

        boolean retain() {
            for (int r; (r = refs.get()) > 0; ) {
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
            return false;
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // nothing more to do with it
                }
            }
        }

        /**
         * The file as body pieces for a TLS connection (no {@code sendfile} there): positional reads of
         * the shared file, which give the reference back at the end instead of closing it.
         */
        FileChunks chunks(boolean endsBody) {
            return new FileChunks(file, 0, size, this::release, endsBody);
        }

        /** A region over the shared file that gives its reference back instead of closing the file. */
        DefaultFileRegion region() {
            return new DefaultFileRegion(file, 0, size) {
                @Override
                protected void deallocate() {
                    Entry.this.release(); // not this region's release(): give the entry's reference back
                }
            };
        }
    }

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Entry>> byHandler = new ConcurrentHashMap<>();

    /**
     * Whether a request may be answered from (or remembered in) the cache: HTTP/1.1, a plain
     * printable path, and no header that changes the answer or announces a body.
     */
    static boolean replayable(String version, String uri, java.util.function.Function<String, String> header) {
        if (!"HTTP/1.1".equals(version) || uri.isEmpty() || uri.charAt(0) != '/' || uri.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        for (String name : VARYING_HEADERS) {
            String value = header.apply(name);
            // An empty body announced as such (the JDK's HttpClient sends Content-Length: 0 on GET) is no body.
            if (value != null && !(name.equals("Content-Length") && value.trim().equals("0"))) {
                return false;
            }
        }
        return true;
    }

    private static final String[] VARYING_HEADERS = {"If-Modified-Since", "If-None-Match", "If-Range", "Range",
        "If-Match", "If-Unmodified-Since", "Expect", "Content-Length", "Transfer-Encoding"};

    /** Whether responses of {@code handler} may be replayed. */
    static boolean eligible(BaseHttpRequestHandler handler) {
        return ELIGIBLE.get(handler.getClass()) && "HTTP/1.1".equals(handler.protocolVersion());
    }

    /** The entries of handlers of this class serving this directory. */
    Map<String, Entry> forHandler(SimpleHttpRequestHandler handler) {
        return byHandler.computeIfAbsent(handler.getClass().getName() + '\0' + handler.directory(),
                k -> new ConcurrentHashMap<>());
    }

    /** Remembers the response for {@code uri}; called on a handler thread. */
    static void put(Map<String, Entry> entries, String uri, Path path, List<Map.Entry<String, String>> fields, long size) {
        if (entries.size() >= MAX_ENTRIES) {
            long now = System.nanoTime();
            entries.entrySet().removeIf(e -> {
                if (!e.getValue().fresh(now)) {
                    e.getValue().release();
                    return true;
                }
                return false;
            });
            if (entries.size() >= MAX_ENTRIES) {
                return;
            }
        }
        FileChannel file;
        try {
            file = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            return;
        }
        Entry old = entries.put(uri, new Entry(List.copyOf(fields), file, size));
        if (old != null) {
            old.release();
        }
    }

    /** Closes every cached file (the server is stopping). */
    void clear() {
        for (Map<String, Entry> m : byHandler.values()) {
            m.values().forEach(Entry::release);
            m.clear();
        }
    }
}
