package dev.httpserver.junit5;

import dev.httpserver.api.BaseHttpRequestHandler;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * What the server runs for each connection: the user's handler (a new one per connection, from the
 * factory, as the server itself would make it), attached to a {@link RecordingTransport} in front of
 * the server's, so that every request is recorded whatever the handler's class. The server talks to
 * this object; everything it asks of a handler is passed to the user's.
 */
final class RecordingHandler extends BaseHttpRequestHandler {

    private final Supplier<? extends BaseHttpRequestHandler> factory;
    private final Journal journal;
    private final Script script;
    private final long bodyLimit;
    private BaseHttpRequestHandler delegate;
    private RecordingTransport recording;

    RecordingHandler(Supplier<? extends BaseHttpRequestHandler> factory, Journal journal, Script script,
            long bodyLimit) {
        this.factory = factory;
        this.journal = journal;
        this.script = script;
        this.bodyLimit = bodyLimit;
    }

    @Override
    public void handle() throws Exception {
        if (delegate == null) {
            BaseHttpRequestHandler h = factory.get();
            if (h == null) {
                throw new IllegalStateException("the handler factory returned null");
            }
            recording = new RecordingTransport(transport(), journal, script, bodyLimit, clientAddress);
            h.attach(recording, clientAddress, server);
            delegate = h;
        }
        try {
            delegate.handle();
        } finally {
            closeConnection = !recording.idle() && delegate.closeConnection();
            recording.endExchange();
        }
    }

    @Override
    public void sendError(int code, String message, String explain) throws IOException {
        if (delegate != null) {
            delegate.sendError(code, message, explain);
        } else {
            super.sendError(code, message, explain);
        }
    }

    @Override
    public void logError(String format, Object... args) {
        if (delegate != null) {
            delegate.logError(format, args);
        } else {
            super.logError(format, args);
        }
    }

    @Override
    public void logMessage(String format, Object... args) {
        if (delegate != null) {
            delegate.logMessage(format, args);
        } else {
            super.logMessage(format, args);
        }
    }
}
