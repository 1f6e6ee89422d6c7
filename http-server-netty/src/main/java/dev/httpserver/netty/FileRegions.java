package dev.httpserver.netty;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;
import java.util.function.Consumer;

/**
 * A part of a file as {@code sendfile} regions of at most {@link #PIECE} bytes each, so that one
 * {@code sendfile} call moves at most that much. One call per region of a whole large file fills the
 * socket's (autotuned, several MiB) buffer in one go and leaves the client's reads behind; pieces the
 * size lighttpd uses keep sender and receiver in step and the bytes in the processor's caches.
 *
 * <p>{@code onDone} runs once, when the last region is released (written, or dropped with the
 * connection: Netty releases queued messages in order), to close the file or give back a reference
 * to a shared one.
 */
final class FileRegions {

    /** Bytes per region: {@code -Ddev.httpserver.sendfilePiece} (0: the whole part in one region). */
    static final long PIECE = Long.getLong("dev.httpserver.sendfilePiece", 256 * 1024);

    private FileRegions() {
    }

    /** Adds the regions of {@code count} bytes at {@code position} to {@code out}, in order. */
    static void split(FileChannel file, long position, long count, Runnable onDone, Consumer<Object> out) {
        long piece = PIECE <= 0 ? Math.max(count, 1) : PIECE;
        long end = position + count;
        long at = position;
        do {
            long n = Math.min(piece, end - at);
            boolean last = at + n >= end;
            out.accept(new DefaultFileRegion(file, at, n) {
                @Override
                protected void deallocate() {
                    if (last) {
                        onDone.run(); // not the region's own close of the file: the others share it
                    }
                }
            });
            at += n;
        } while (at < end);
    }
}
