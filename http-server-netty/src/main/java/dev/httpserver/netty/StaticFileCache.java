package dev.httpserver.netty;

import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.api.SimpleHttpRequestHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AsciiString;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The responses a stock {@link SimpleHttpRequestHandler} gave for plain GETs of files and folder
 * listings, kept for one second so that the event loop can answer the same request again without a
 * trip to a handler thread, the way nginx's {@code open_file_cache} does. An entry is the exact head
 * the handler sent (its Date refreshed) and the body: the bytes of a file up to
 * {@value #MAX_IN_MEMORY} bytes or of a listing (at most 16 MiB of them per server), sent with the
 * head in one write; or, for a larger file, the open file, sent with {@code sendfile} (under TLS read
 * by the {@code ChunkedWriteHandler} with positional reads of the shared file,
 * {@link Entry#chunks(boolean)}). An entry is made on a handler thread (where the file was opened
 * and its attributes read) and only read on the event loop, so no file-system call happens there.
 * On HTTP/2, where each stream has a handler of its own, the entries found by one stream's handler
 * serve the later streams of the same connection.
 *
 * <p>Only handler classes that leave every method that shapes a response as it is are eligible; a
 * subclass that overrides any of them (a CORS header in {@code endHeaders}, an SPA fallback in
 * {@code doGET}, a quieter {@code logMessage}) always runs. When the server's handler factory is a
 * {@link SimpleHttpRequestHandler.Factory}, every handler is known to be alike, and the entries also
 * answer the first requests of new connections, for which no handler is made ({@link #shared()}).
 * After a file or folder changes, the old response may be served for up to a second.
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

    /**
     * One cached response. Reference-counted: the cache holds one reference, each transfer another.
     * A small file's bytes are kept in memory ({@link #body}), so that its response goes out in one
     * write with its head; a larger one is kept open ({@link #file}) and sent with {@code sendfile}.
     */
    static final class Entry implements ChannelFutureListener {
        /** The head's fields, names and values as ASCII strings (Netty encodes those by copying their bytes). */
        final AsciiString[] names;
        final AsciiString[] values;
        /** The index of the Date field, refreshed on each replay, or -1. */
        final int dateIndex;
        /** The open file, or null when the bytes are in {@link #body}. */
        final FileChannel file;
        /** The file's bytes, read-only and never released by a transfer, or null. */
        private final ByteBuf body;
        private final StaticFileCache owner;
        final long size;
        final long madeAt;
        private final AtomicInteger refs = new AtomicInteger(1);

        Entry(List<Map.Entry<String, String>> fields, FileChannel file, ByteBuf body, long size, StaticFileCache owner) {
            this.names = new AsciiString[fields.size()];
            this.values = new AsciiString[fields.size()];
            int date = -1;
            for (int i = 0; i < names.length; i++) {
                Map.Entry<String, String> f = fields.get(i);
                names[i] = new AsciiString(f.getKey());
                values[i] = new AsciiString(f.getValue());
                if (date < 0 && f.getKey().equalsIgnoreCase("Date")) {
                    date = i;
                }
            }
            this.dateIndex = date;
            this.file = file;
            this.body = body;
            this.owner = owner;
            this.size = size;
            this.madeAt = System.nanoTime();
        }

        boolean fresh(long now) {
            return now - madeAt < TTL_NANOS;
        }

        boolean inMemory() {
            return body != null;
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
                if (body != null) {
                    owner.memoryBytes.addAndGet(-size);
                    body.release();
                } else {
                    FileChunks.closeQuietly(file);
                }
            }
        }

        /** A transfer of the in-memory body ended: gives its reference back. */
        @Override
        public void operationComplete(ChannelFuture future) {
            release();
        }

        /**
         * The in-memory body for one response, a view that a transfer cannot release; the caller
         * holds a reference ({@link #retain()}) until the write completes ({@link #operationComplete}).
         */
        ByteBuf bodyView() {
            return Unpooled.unreleasableBuffer(body.duplicate());
        }

        /**
         * The file as body pieces for a TLS connection (no {@code sendfile} there): positional reads of
         * the shared file, which give the reference back at the end instead of closing it.
         */
        FileChunks chunks(boolean endsBody) {
            return new FileChunks(file, 0, size, this::release, endsBody);
        }
    }

    /** Files up to this size are kept in memory. */
    static final int MAX_IN_MEMORY = 64 * 1024;
    /** The bytes of all in-memory bodies of one server, at most. */
    private static final long MEMORY_BUDGET = Math.min(16L << 20, Runtime.getRuntime().maxMemory() / 16);

    private final AtomicLong memoryBytes = new AtomicLong();

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Entry>> byHandler = new ConcurrentHashMap<>();

    /**
     * Whether a request may be answered from (or remembered in) the cache: HTTP/1.1, a plain
     * printable path, and no header that changes the answer or announces a body.
     */
    static boolean replayable(String version, String uri, java.util.function.Function<String, String> header) {
        if (!replayableLine(version, uri)) {
            return false;
        }
        for (String name : VARYING_HEADERS) {
            String value = header.apply(name);
            if (value != null && !emptyBody(name, value)) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link #replayable(String, String, java.util.function.Function)} for a request as Netty decoded
     * it: one pass over its fields (a client sends few) instead of a look-up per varying name.
     */
    static boolean replayable(String version, String uri, io.netty.handler.codec.http.HttpHeaders headers) {
        if (!replayableLine(version, uri)) {
            return false;
        }
        for (java.util.Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            CharSequence name = field.getKey();
            for (String varying : VARYING_HEADERS) {
                if (varying.length() == name.length() && AsciiString.contentEqualsIgnoreCase(varying, name)
                        && !emptyBody(varying, field.getValue().toString())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean replayableLine(String version, String uri) {
        if (!"HTTP/1.1".equals(version) || uri.isEmpty() || uri.charAt(0) != '/' || uri.startsWith("//")) {
            return false;
        }
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** An empty body announced as such (the JDK's HttpClient sends Content-Length: 0 on GET) is no body. */
    private static boolean emptyBody(String name, String value) {
        return name.equals("Content-Length") && value.trim().equals("0");
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

    /** The entries of the handlers a {@link SimpleHttpRequestHandler.Factory} makes, or null. */
    private volatile Map<String, Entry> shared;

    /**
     * The server's handler factory is {@code factory}: every handler it makes is a plain
     * {@link SimpleHttpRequestHandler} with the same directory and protocol, so their responses may
     * also answer the first requests of new connections ({@link #shared()}), before (or without)
     * a handler being made for them.
     */
    void sharedBy(SimpleHttpRequestHandler.Factory factory) {
        if ("HTTP/1.1".equals(factory.protocolVersion())) {
            shared = byHandler.computeIfAbsent(SimpleHttpRequestHandler.class.getName() + '\0' + factory.directory(),
                    k -> new ConcurrentHashMap<>());
        }
    }

    /** The entries that may answer a connection none of whose requests reached a handler yet, or null. */
    Map<String, Entry> shared() {
        return shared;
    }

    /** Remembers the response for {@code uri}; called on a handler thread. */
    void put(Map<String, Entry> entries, String uri, Path path, List<Map.Entry<String, String>> fields, long size) {
        if (!hasRoom(entries)) {
            return;
        }
        FileChannel file;
        try {
            file = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (size <= MAX_IN_MEMORY && reserve(size)) {
            ByteBuf body = read(file, (int) size);
            FileChunks.closeQuietly(file);
            if (body == null) {
                memoryBytes.addAndGet(-size);
                return; // the file changed under us: nothing to remember
            }
            store(entries, uri, new Entry(List.copyOf(fields), null, body, size, this));
        } else {
            store(entries, uri, new Entry(List.copyOf(fields), file, null, size, this));
        }
    }

    /**
     * Remembers a response whose whole body the handler wrote itself (a folder listing): the bytes,
     * kept as a small file's are; called on a handler thread.
     */
    void put(Map<String, Entry> entries, String uri, List<Map.Entry<String, String>> fields, byte[] body) {
        if (body.length > MAX_IN_MEMORY || !hasRoom(entries) || !reserve(body.length)) {
            return;
        }
        ByteBuf buf = Unpooled.directBuffer(body.length, body.length).writeBytes(body);
        store(entries, uri, new Entry(List.copyOf(fields), null, buf, body.length, this));
    }

    /** Whether another entry fits, after dropping stale ones when the map is full. */
    private static boolean hasRoom(Map<String, Entry> entries) {
        if (entries.size() < MAX_ENTRIES) {
            return true;
        }
        long now = System.nanoTime();
        entries.entrySet().removeIf(e -> {
            if (!e.getValue().fresh(now)) {
                e.getValue().release();
                return true;
            }
            return false;
        });
        return entries.size() < MAX_ENTRIES;
    }

    /** Takes {@code size} bytes of the in-memory budget, or nothing and false when they do not fit. */
    private boolean reserve(long size) {
        if (memoryBytes.addAndGet(size) <= MEMORY_BUDGET) {
            return true;
        }
        memoryBytes.addAndGet(-size);
        return false;
    }

    private static void store(Map<String, Entry> entries, String uri, Entry entry) {
        Entry old = entries.put(uri, entry);
        if (old != null) {
            old.release();
        }
    }

    /** The file's {@code size} bytes, or null when it has another length now. */
    private static ByteBuf read(FileChannel file, int size) {
        ByteBuf buf = Unpooled.directBuffer(size, size);
        boolean done = false;
        try {
            java.nio.ByteBuffer nio = buf.nioBuffer(0, size);
            long position = 0;
            while (nio.hasRemaining()) {
                int n = file.read(nio, position);
                if (n < 0) {
                    return null;
                }
                position += n;
            }
            if (file.size() != size) {
                return null;
            }
            buf.writerIndex(size);
            done = true;
            return buf;
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            if (!done) {
                buf.release();
            }
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
