package dev.httpserver.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SimpleHandlerFactoryTest {

    @Test
    void makesAFreshPlainHandlerEachTimeWithTheFolderAndProtocol() {
        SimpleHttpRequestHandler.Factory f = SimpleHttpRequestHandler.Factory.of(Path.of("/srv/www"), "HTTP/1.1");
        SimpleHttpRequestHandler a = f.get();
        SimpleHttpRequestHandler b = f.get();
        assertNotSame(a, b, "one handler per connection, as Python makes one per request");
        assertSame(SimpleHttpRequestHandler.class, a.getClass());
        assertEquals(Path.of("/srv/www").toString(), a.directory());
        assertEquals("HTTP/1.1", a.protocolVersion());
        assertEquals("/srv/www", f.directory());
        assertEquals("HTTP/1.1", f.protocolVersion());
    }

    @Test
    void defaultsToPythonsProtocolAndRefusesNulls() {
        assertEquals("HTTP/1.0", SimpleHttpRequestHandler.Factory.of(Path.of("x")).get().protocolVersion());
        assertThrows(NullPointerException.class, () -> SimpleHttpRequestHandler.Factory.of((String) null, "HTTP/1.1"));
        assertThrows(NullPointerException.class, () -> SimpleHttpRequestHandler.Factory.of("x", null));
    }
}
