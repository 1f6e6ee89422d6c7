package dev.httpserver.cli;

import dev.httpserver.api.SimpleHttpRequestHandler;
import dev.httpserver.api.internal.Addresses;
import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.HttpServerBuilder;
import dev.httpserver.netty.Limits;
import dev.httpserver.netty.cgi.CgiHttpRequestHandler;
import dev.httpserver.netty.tls.PemMaterial;
import dev.httpserver.netty.tls.SelfSigned;
import dev.httpserver.netty.tls.SslContexts;
import dev.httpserver.netty.tls.TlsConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code python -m http.server} command line: the same arguments and output lines, serving
 * with a threading {@link HttpServer} and {@link SimpleHttpRequestHandler}, plus the server's
 * {@link Limits} as flags. Unlike CPython it speaks
 * HTTP/1.1 with keep-alive by default ({@code --protocol HTTP/1.0} restores CPython's choice).
 *
 * <p>HTTPS as CPython 3.14's ({@code --tls-cert}, {@code --tls-key}, {@code --tls-password-file}),
 * plus {@code --tls-self-signed} (an in-memory certificate for {@code localhost}), {@code --alpn}
 * (default {@code h2,http/1.1}: HTTP/2 for clients that offer it) and {@code --h2c} (cleartext
 * HTTP/2 besides HTTP/1.1).
 *
 * <p>{@link #run} returns an exit code (0 after a clean stop, 1 when the server cannot start, 2 for
 * a usage error) and only {@link Main#main} exits the JVM, so the command can be run in-process.
 */
@Command(name = "http-server", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Serve a directory over HTTP, like python -m http.server, on Netty.%n"
                + "Speaks HTTP/1.1 with keep-alive by default (--protocol HTTP/1.0 for CPython's behaviour).")
public final class Cli implements Callable<Integer> {

    /** Exit codes: a clean stop, a start-up failure, bad arguments. */
    static final int OK = 0;
    static final int START_FAILED = 1;
    static final int USAGE = 2;

    @Parameters(index = "0", arity = "0..1", paramLabel = "port", defaultValue = "8000",
            description = "bind to this port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--cgi", description = "run as CGI server: scripts below /cgi-bin and /htbin run (as nobody when root)")
    boolean cgi;

    @Option(names = "--cgi-max-processes", paramLabel = "N", defaultValue = "64",
            description = "CGI scripts running at once; more get 503 with Retry-After (default: ${DEFAULT-VALUE})")
    int cgiMaxProcesses;

    @Option(names = {"-b", "--bind"}, paramLabel = "ADDRESS",
            description = "bind to this address (default: all interfaces)")
    String bind;

    @Option(names = {"-d", "--directory"}, paramLabel = "DIRECTORY",
            description = "serve this directory (default: current directory)")
    Path directory;

    @Option(names = {"-p", "--protocol"}, paramLabel = "VERSION", defaultValue = "HTTP/1.1",
            description = "conform to this HTTP version: HTTP/1.1 (the default here: keep-alive) or HTTP/1.0 "
                    + "(CPython's default: a connection per request)")
    String protocol;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'",
            description = "add this header field to every file and listing served (repeatable; CPython 3.15's "
                    + "--header, given as one 'Name: value' argument)")
    List<String> headers = new ArrayList<>();

    @Option(names = "--cors", description = "let pages of any origin read what is served: Access-Control-Allow-Origin: * "
            + "on every response, and OPTIONS preflight requests answered")
    boolean cors;

    @Option(names = "--content-type", paramLabel = "TYPE",
            description = "type of files whose type cannot be guessed from their name (default: application/octet-stream)")
    String contentType;

    @Option(names = "--cache-control", paramLabel = "VALUE",
            description = "Cache-Control value for every file and listing served, e.g. no-cache (default: none, as CPython)")
    String cacheControl;

    @Option(names = "--hide-dotfiles", description = "leave names starting with . out of listings, and answer 404 for "
            + "paths through them (/.git/, /.env)")
    boolean hideDotfiles;

    @Option(names = "--symlinks", paramLabel = "MODE", defaultValue = "follow",
            description = "follow: symbolic links are followed wherever they point (CPython's way; a link can lead "
                    + "out of the directory); within: only to what is really inside the directory, else 404 "
                    + "(default: ${DEFAULT-VALUE})")
    String symlinks;

    @Option(names = "--upload", description = "take uploads: PUT of a file (curl -T) and multipart/form-data POST to a "
            + "folder (curl -F, the form on listings); each file is written whole or not at all, an existing name gets 409")
    boolean upload;

    @Option(names = "--upload-max-size", paramLabel = "BYTES", defaultValue = "1073741824",
            description = "largest file an upload may hold, else 413; -1 for no limit (default: ${DEFAULT-VALUE})")
    long uploadMaxSize;

    @Option(names = "--upload-overwrite", description = "let an upload replace a file of the same name (default: 409)")
    boolean uploadOverwrite;

    @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "time to receive a request head once begun; then 408 (default: ${DEFAULT-VALUE})")
    double headerTimeout;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "time a keep-alive connection may wait for its next request (default: ${DEFAULT-VALUE})")
    double idleTimeout;

    @Option(names = "--body-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "time without a byte of a request body being read (default: ${DEFAULT-VALUE})")
    double bodyTimeout;

    @Option(names = "--write-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "time without progress while the client is not reading (default: ${DEFAULT-VALUE})")
    double writeTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "16384",
            description = "connections served at once; more get 503 (default: ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--max-body-size", paramLabel = "BYTES", defaultValue = "-1",
            description = "largest request body accepted, else 413; -1 for no limit (default: ${DEFAULT-VALUE})")
    long maxBodySize;

    @Option(names = "--shutdown-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "on Ctrl-C or SIGTERM, time given to requests in flight (default: ${DEFAULT-VALUE})")
    double shutdownTimeout;

    @Option(names = "--tls-cert", paramLabel = "PATH",
            description = "path to the TLS certificate chain file (PEM; serve HTTPS)")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PATH",
            description = "path to the TLS key file (PEM; default: the key in the certificate file)")
    Path tlsKey;

    @Option(names = "--tls-password-file", paramLabel = "PATH",
            description = "path to the password file for the TLS key (its first line)")
    Path tlsPasswordFile;

    @Option(names = "--tls-self-signed",
            description = "serve HTTPS with a new self-signed certificate for localhost, made in memory "
                    + "(its SHA-256 fingerprint is printed)")
    boolean tlsSelfSigned;

    @Option(names = "--tls-self-signed-cert-out", paramLabel = "FILE",
            description = "with --tls-self-signed: also write its certificate to FILE (PEM), for "
                    + "curl --cacert FILE or a trust store; written before the server starts")
    Path tlsSelfSignedCertOut;

    @Option(names = "--tls-self-signed-key-out", paramLabel = "FILE",
            description = "with --tls-self-signed: also write its private key to FILE (PEM, readable by "
                    + "its owner only; an existing FILE others can read is refused)")
    Path tlsSelfSignedKeyOut;

    @Option(names = "--alpn", paramLabel = "LIST",
            description = "ALPN protocols offered over TLS, comma-separated, preferred first (default: h2,http/1.1)")
    String alpn;

    @Option(names = "--h2c", description = "also speak cleartext HTTP/2 (prior knowledge and Upgrade: h2c); not with TLS")
    boolean h2c;

    @Option(names = "--compress", description = "compress text, JSON, JavaScript, XML and SVG responses of 1 KiB or more "
            + "with gzip or deflate for clients that accept it (never ranges or already encoded files)")
    boolean compress;

    private final PrintWriter out;
    private final PrintWriter err;
    private Consumer<HttpServer> onServing = s -> { };
    private volatile HttpServer server;

    Cli(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command line: parses {@code args}, serves until stopped, returns the exit code. */
    static int run(String[] args, PrintWriter out, PrintWriter err, Consumer<HttpServer> onServing) {
        Cli cli = new Cli(out, err);
        cli.onServing = onServing;
        CommandLine cmd = new CommandLine(cli)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler((ex, a) -> {
                    err.println("error: " + ex.getMessage());
                    err.println("usage: see --help");
                    err.flush();
                    return USAGE;
                });
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            return usage("port must be between 0 and 65535, not " + port);
        }
        if (!protocol.equals("HTTP/1.0") && !protocol.equals("HTTP/1.1")) {
            return usage("unsupported protocol " + protocol + ": use HTTP/1.0 or HTTP/1.1");
        }
        if (!tlsSelfSigned && (tlsSelfSignedCertOut != null || tlsSelfSignedKeyOut != null)) {
            return usage((tlsSelfSignedCertOut != null ? "--tls-self-signed-cert-out" : "--tls-self-signed-key-out")
                    + " requires --tls-self-signed (it writes that certificate)");
        }
        if (tlsSelfSignedCertOut != null && tlsSelfSignedKeyOut != null
                && tlsSelfSignedCertOut.toAbsolutePath().normalize().equals(tlsSelfSignedKeyOut.toAbsolutePath().normalize())) {
            return usage("--tls-self-signed-cert-out and --tls-self-signed-key-out name the same file: the certificate "
                    + "is public, the key is not");
        }
        if (uploadMaxSize < -1) {
            return usage("--upload-max-size must be a number of bytes, or -1 for no limit, not " + uploadMaxSize);
        }
        if (!upload && (uploadOverwrite || uploadMaxSize != 1L << 30)) {
            return usage((uploadOverwrite ? "--upload-overwrite" : "--upload-max-size") + " requires --upload");
        }
        if (!symlinks.equals("follow") && !symlinks.equals("within")) {
            return usage("--symlinks takes follow or within, not " + symlinks);
        }
        List<Map.Entry<String, String>> responseHeaders = new ArrayList<>();
        List<Map.Entry<String, String>> extraHeaders = responseHeaders;
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                return usage("-H/--header takes one 'Name: value' argument, not " + h);
            }
            responseHeaders.add(Map.entry(h.substring(0, colon).trim(), h.substring(colon + 1).trim()));
        }
        try {
            configure(SimpleHttpRequestHandler.Factory.of("/", "HTTP/1.1"), responseHeaders); // checks them
        } catch (IllegalArgumentException e) {
            String flag = e.getMessage().startsWith("not a media type") ? "--content-type"
                    : e.getMessage().contains("Cache-Control") && cacheControl != null ? "--cache-control" : "-H/--header";
            return usage(flag + ": " + e.getMessage());
        }
        if (maxConnections < 1) {
            return usage("--max-connections must be at least 1, not " + maxConnections);
        }
        if (maxBodySize < -1) {
            return usage("--max-body-size must be a number of bytes, or -1 for no limit, not " + maxBodySize);
        }
        if (cgiMaxProcesses < 1) {
            return usage("--cgi-max-processes must be at least 1, not " + cgiMaxProcesses);
        }
        if (shutdownTimeout < 0 || Double.isNaN(shutdownTimeout) || Double.isInfinite(shutdownTimeout)) {
            return usage("--shutdown-timeout must be 0 or a positive number of seconds, not " + shutdownTimeout);
        }
        if (tlsCert != null && tlsSelfSigned) {
            return usage("--tls-cert and --tls-self-signed cannot be used together: give a certificate or make one");
        }
        if (tlsCert == null && (tlsKey != null || tlsPasswordFile != null)) {
            return usage((tlsKey != null ? "--tls-key" : "--tls-password-file") + " requires --tls-cert");
        }
        boolean tls = tlsCert != null || tlsSelfSigned;
        if (!tls && alpn != null) {
            return usage("--alpn requires --tls-cert or --tls-self-signed (ALPN is part of the TLS handshake)");
        }
        if (tls && h2c) {
            return usage("--h2c is cleartext HTTP/2; over TLS, HTTP/2 is chosen by ALPN (--alpn h2,http/1.1)");
        }
        List<String> alpnProtocols = null;
        if (tls) {
            try {
                alpnProtocols = SslContexts.alpnProtocols(alpn == null ? List.of("h2", "http/1.1")
                        : Arrays.asList(alpn.split(",", -1)));
            } catch (TlsConfigException e) {
                return usage("--alpn: " + e.getMessage());
            }
            if (alpnProtocols.isEmpty()) {
                return usage("--alpn: give at least one protocol (h2, http/1.1)");
            }
        }
        char[] password = null;
        if (tlsPasswordFile != null) {
            try {
                password = firstLine(tlsPasswordFile);
            } catch (IOException e) {
                return usage("cannot read the TLS password file " + tlsPasswordFile + ": " + describe(e));
            }
        }
        Path dir = directory != null ? directory : Path.of(System.getProperty("user.dir"));
        if (!Files.isDirectory(dir)) {
            return usage("directory not found: " + dir + (Files.exists(dir) ? " is not a directory" : ""));
        }
        if (!Files.isReadable(dir)) {
            return usage("directory not readable: " + dir);
        }
        String served = dir.toAbsolutePath().normalize().toString();
        String version = protocol;
        InetSocketAddress address;
        try {
            address = bindAddress();
        } catch (UnknownHostException e) {
            return usage("cannot resolve the bind address " + bind + ": " + e.getMessage());
        }
        Limits limits;
        try {
            limits = Limits.defaults()
                    .withHeaderTimeout(seconds(headerTimeout, "--header-timeout"))
                    .withIdleTimeout(seconds(idleTimeout, "--idle-timeout"))
                    .withBodyTimeout(seconds(bodyTimeout, "--body-timeout"))
                    .withWriteTimeout(seconds(writeTimeout, "--write-timeout"))
                    .withMaxConnections(maxConnections)
                    .withMaxBodySize(maxBodySize)
                    .withMaxCgiProcesses(cgiMaxProcesses)
                    .withShutdownTimeout(shutdownTimeout == 0 ? Duration.ZERO : seconds(shutdownTimeout, "--shutdown-timeout"));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        SelfSigned selfSigned = null;
        PemMaterial material = null;
        try {
            if (tlsSelfSigned) {
                selfSigned = SelfSigned.generate();
                material = selfSigned.material();
                if (tlsSelfSignedCertOut != null) {
                    try {
                        selfSigned.writeCertificatePem(tlsSelfSignedCertOut);
                    } catch (IOException e) {
                        return startFailed("--tls-self-signed-cert-out: cannot write " + tlsSelfSignedCertOut + ": "
                                + describe(e));
                    }
                }
                if (tlsSelfSignedKeyOut != null) {
                    try {
                        selfSigned.writePrivateKeyPem(tlsSelfSignedKeyOut);
                    } catch (IOException e) {
                        return startFailed("--tls-self-signed-key-out: cannot write " + tlsSelfSignedKeyOut + ": "
                                + describe(e));
                    }
                }
            } else if (tlsCert != null) {
                material = PemMaterial.load(tlsCert, tlsKey, password);
            }
        } catch (TlsConfigException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return START_FAILED;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        try {
            HttpServerBuilder builder = HttpServer.builder()
                    .address(address)
                    .threading(true)
                    .compress(compress)
                    .limits(limits);
            if (material != null) {
                builder.tls(material, alpnProtocols);
            } else {
                builder.h2c(h2c);
            }
            server = builder
                    .handler(cgi
                            ? () -> new CgiHttpRequestHandler(served) {
                                {
                                    protocolVersion = version;
                                    responseHeaders = List.copyOf(extraHeaders);
                                    cacheControl = Cli.this.cacheControl;
                                    cors = Cli.this.cors;
                                    hideDotfiles = Cli.this.hideDotfiles;
                                    followSymlinksOutside = symlinks.equals("follow");
                                    uploads = upload;
                                    uploadMaxSize = Cli.this.uploadMaxSize;
                                    uploadOverwrite = Cli.this.uploadOverwrite;
                                    if (contentType != null) {
                                        defaultContentType = contentType;
                                    }
                                }
                            }
                            : configure(SimpleHttpRequestHandler.Factory.of(served, version), extraHeaders))
                    .build()
                    .start();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            String msg = e instanceof UncheckedIOException ? e.getCause().getMessage() : e.getMessage();
            err.println("error: " + msg);
            err.flush();
            return START_FAILED;
        }
        InetSocketAddress bound = server.serverAddress();
        String host = hostText(bound.getAddress());
        String urlHost = host.contains(":") ? "[" + host + "]" : host;
        String scheme = server.isSecure() ? "HTTPS" : "HTTP";
        out.println("Serving " + scheme + " on " + host + " port " + bound.getPort() + " (" + scheme.toLowerCase(Locale.ROOT)
                + "://" + urlHost + ":" + bound.getPort() + "/) ...");
        if (selfSigned != null) {
            out.println("TLS certificate (self-signed, " + SelfSigned.HOST + ") SHA-256 fingerprint: "
                    + selfSigned.sha256Fingerprint());
            if (tlsSelfSignedCertOut != null) {
                out.println("TLS certificate written to " + tlsSelfSignedCertOut + ": curl --cacert "
                        + tlsSelfSignedCertOut + " https://" + SelfSigned.HOST + ":" + bound.getPort() + "/");
            }
            if (tlsSelfSignedKeyOut != null) {
                out.println("TLS private key written to " + tlsSelfSignedKeyOut + " (owner-only)");
            }
        }
        out.flush();
        onServing.accept(server);
        server.serveForever();
        return OK;
    }

    /** {@code factory} with the serving options of the command line. */
    private SimpleHttpRequestHandler.Factory configure(SimpleHttpRequestHandler.Factory factory,
            List<Map.Entry<String, String>> responseHeaders) {
        SimpleHttpRequestHandler.Factory f = factory.withResponseHeaders(responseHeaders).withCacheControl(cacheControl)
                .withCors(cors).withHiddenDotfiles(hideDotfiles).withSymlinksOutside(symlinks.equals("follow"))
                .withUploads(upload, uploadMaxSize, uploadOverwrite);
        return contentType == null ? f : f.withDefaultContentType(contentType);
    }

    /** The first line of {@code file}, without its line ending: the key's password, as the file holds it. */
    static char[] firstLine(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
            end++;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
        char[] password = new char[chars.remaining()];
        chars.get(password);
        Arrays.fill(bytes, (byte) 0);
        if (chars.hasArray()) {
            Arrays.fill(chars.array(), '\0');
        }
        return password;
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static Duration seconds(double value, String flag) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(flag + " must be a positive number of seconds, not " + value);
        }
        return Duration.ofNanos((long) (value * 1e9));
    }

    private InetSocketAddress bindAddress() throws UnknownHostException {
        if (bind != null) {
            return new InetSocketAddress(InetAddress.getByName(bind), port);
        }
        // All interfaces, IPv6 and IPv4 on one dual-stack socket where the machine has IPv6 (as CPython's DualStackServer).
        try {
            InetAddress any6 = InetAddress.getByName("::");
            if (any6 instanceof Inet6Address && !Boolean.getBoolean("java.net.preferIPv4Stack") && ipv6Available()) {
                return new InetSocketAddress(any6, port);
            }
        } catch (UnknownHostException e) {
            // fall through to IPv4
        }
        return new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port);
    }

    private static boolean ipv6Available() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The address as CPython prints it: {@code ::}, {@code 0.0.0.0}, {@code ::1}. */
    static String hostText(InetAddress a) {
        return Addresses.text(a);
    }

    private int startFailed(String message) {
        err.println("error: " + message);
        err.flush();
        return START_FAILED;
    }

    private int usage(String message) {
        err.println("error: " + message);
        err.flush();
        return USAGE;
    }

    /** {@code --version}: the jar's version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"http-server " + (v == null ? "(development build)" : v)
                    + " on Java " + System.getProperty("java.version")};
        }
    }
}
