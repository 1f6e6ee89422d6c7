package dev.httpserver.netty.tls;

/**
 * A certificate, key or TLS setting that cannot be used: a missing or unreadable file, a file with no
 * certificate or no key, a wrong or missing password, a key that does not match the certificate, an
 * unsupported key type or ALPN name. The message names the file or value and says what is wrong in
 * plain words, ready to be shown to a user; it never contains a password.
 *
 * <p>An {@link IllegalArgumentException}, as the bad value is an argument of the server.
 */
public final class TlsConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * An error described by {@code message}.
     *
     * @param message what is wrong, in plain words, naming the file or value
     */
    public TlsConfigException(String message) {
        super(message);
    }

    /**
     * An error described by {@code message}, caused by {@code cause} (kept for the stack trace).
     *
     * @param message what is wrong, in plain words, naming the file or value
     * @param cause the exception that revealed it
     */
    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
