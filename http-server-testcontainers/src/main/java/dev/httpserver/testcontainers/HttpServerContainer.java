package dev.httpserver.testcontainers;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.httpserver.api.internal.TrustAnchors;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The http-server command line ({@code python -m http.server}, on the JVM) in a container: serves a
 * folder of the host, classpath resources or single files, optionally with CGI, a protocol version
 * or TLS, and tells where it can be reached.
 *
 * <pre>{@code
 * try (HttpServerContainer web = new HttpServerContainer()
 *         .withDirectory(Path.of("src/test/resources/site"))
 *         .withNetworkMode("host")) {
 *     web.start();
 *     URI page = web.getUrl("/index.html");   // from this JVM
 *     URI same = web.getInternalUrl("/");      // from another container
 * }
 * }</pre>
 *
 * <p><b>Image.</b> {@link #HttpServerContainer()} takes the system property {@value #IMAGE_PROPERTY},
 * else the environment variable {@value #IMAGE_ENV}, else the image published with this artifact's
 * release, {@code ghcr.io/http-server-jvm/http-server:<version>} ({@link #publishedImage()}); a
 * {@code -SNAPSHOT} build of this artifact has no published image and takes {@value #LOCAL_IMAGE}, built
 * on the machine ({@code .ci/image-build.sh}, or {@code docker/Dockerfile}). The image's entry
 * point is the command line; this class gives it the arguments: the port, {@code --directory}
 * {@value #SERVED_DIRECTORY}, and the options chosen here. The container is ready when the server
 * prints {@code Serving HTTP on ...} (or {@code Serving HTTPS on ...}).
 *
 * <p><b>Networks.</b>
 * <ul>
 *   <li>On a bridge network (Docker's default), the server listens on port {@value #DEFAULT_PORT} of
 *       the container (or {@link #withServerPort}), which is published on a random host port:
 *       {@link #getUrl} uses it. Other containers on the same {@code Network} reach the server by a
 *       network alias ({@code withNetworkAliases("web")}): {@link #getInternalUrl} is
 *       {@code http://web:8000/...}.</li>
 *   <li>With host networking ({@code withNetworkMode("host")}, where ports cannot be published), the
 *       server listens on the host itself: on a free port picked just before the start (or
 *       {@link #withServerPort}), bound to {@code 127.0.0.1} unless {@link #withBind} says otherwise.
 *       The URL is then the same from the host and from other host-networked containers:
 *       {@link #getInternalUrl} equals {@link #getUrl}.</li>
 * </ul>
 *
 * <p><b>What is served</b> is {@value #SERVED_DIRECTORY} in the container: {@link #withDirectory}
 * copies a host folder in before the start (works with a remote Docker engine),
 * {@link #withMountedDirectory} binds it read-only (changes show at once; the engine must see the
 * host's files), {@link #withClasspathResource} and {@link #withFile} copy resources and files.
 */
public class HttpServerContainer extends GenericContainer<HttpServerContainer> {

    /** The system property naming the image ({@code -Dhttp-server.image=...}). */
    public static final String IMAGE_PROPERTY = "http-server.image";

    /** The environment variable naming the image, read when the system property is not set. */
    public static final String IMAGE_ENV = "HTTP_SERVER_IMAGE";

    /**
     * The image built on this machine ({@code .ci/image-build.sh}, or {@code docker build -f
     * docker/Dockerfile -t local/http-server:latest .}): the default of a {@code -SNAPSHOT} build.
     */
    public static final String LOCAL_IMAGE = "local/http-server:latest";

    /** Where the release of this artifact was read from: a resource filtered at build time. */
    private static final String IMAGE_RESOURCE = "image.properties";

    /** The folder of the container that is served. */
    public static final String SERVED_DIRECTORY = "/srv";

    /** The port the server listens on in a bridge network. */
    public static final int DEFAULT_PORT = 8000;

    /** Where {@link #withTls} puts the certificate chain, key and password files. */
    public static final String TLS_DIRECTORY = "/etc/http-server/tls";

    /** Where {@link #withTlsSelfSigned()} has the server write its certificate, in the container. */
    static final String SELF_SIGNED_CERT = "/tmp/http-server-self-signed.pem";

    private Integer serverPort;
    private String bind;
    private String protocol;
    private boolean cgi;
    private boolean tls;
    private boolean tlsPassword;
    private boolean tlsSelfSigned;
    private boolean http2;
    /** The certificates clients trust: from the host's chain file, or read back from the container. */
    private volatile List<X509Certificate> certificates;
    private Path certificateChain;
    private final List<String> extraArguments = new ArrayList<>();
    private int chosenPort = -1;

    /** A container of the {@linkplain #defaultImage() default image}. */
    public HttpServerContainer() {
        this(defaultImage());
    }

    /**
     * A container of {@code image} (any image whose entry point is the http-server command line).
     *
     * @param image the image's name and tag ({@code ghcr.io/http-server-jvm/http-server:0.1.0})
     */
    public HttpServerContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /**
     * A container of {@code image}.
     *
     * @param image the image's name and tag
     */
    public HttpServerContainer(DockerImageName image) {
        super(image);
        waitingFor(Wait.forLogMessage(".*Serving HTTPS? on .*\\n", 1).withStartupTimeout(Duration.ofSeconds(60)));
    }

    /**
     * The image named by {@value #IMAGE_PROPERTY}, else {@value #IMAGE_ENV}, else
     * {@link #publishedImage()}, or {@value #LOCAL_IMAGE} when this artifact is a {@code -SNAPSHOT}.
     *
     * @return the image's name and tag
     */
    public static String defaultImage() {
        return chooseImage(System.getProperty(IMAGE_PROPERTY), System.getenv(IMAGE_ENV), Release.VERSION,
                Release.REPOSITORY);
    }

    /**
     * The server's image published with this release of the artifact, on the registry the release
     * workflow pushes to: {@code ghcr.io/http-server-jvm/http-server:0.1.0} for version 0.1.0, for
     * {@code linux/amd64} and {@code linux/arm64}. Testcontainers pulls it on first use.
     *
     * @return the image's name and tag; the tag is {@link #version()}
     */
    public static String publishedImage() {
        return Release.REPOSITORY + ":" + Release.VERSION;
    }

    /**
     * The version of this artifact (http-server-testcontainers), as it was built.
     *
     * @return the Maven version ({@code 0.1.0}, {@code 0.2.0-SNAPSHOT})
     */
    public static String version() {
        return Release.VERSION;
    }

    /** {@link #defaultImage()} from its inputs; package-private for tests. */
    static String chooseImage(String property, String env, String version, String repository) {
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        return version.endsWith("-SNAPSHOT") ? LOCAL_IMAGE : repository + ":" + version;
    }

    /** The version and image repository written into {@value #IMAGE_RESOURCE} when this artifact was built. */
    private static final class Release {
        static final String VERSION;
        static final String REPOSITORY;

        static {
            Properties p = new Properties();
            try (InputStream in = HttpServerContainer.class.getResourceAsStream(IMAGE_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(IMAGE_RESOURCE + " is missing from http-server-testcontainers");
                }
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + IMAGE_RESOURCE + " of http-server-testcontainers", e);
            }
            VERSION = p.getProperty("version", "");
            REPOSITORY = p.getProperty("repository", "");
            if (VERSION.isBlank() || VERSION.contains("${") || REPOSITORY.isBlank() || REPOSITORY.contains("${")) {
                throw new IllegalStateException(IMAGE_RESOURCE + " of http-server-testcontainers was not filtered by"
                        + " the build: version=" + VERSION + ", repository=" + REPOSITORY);
            }
        }
    }

    // ---- what is served ----

    /**
     * Copies the host folder {@code directory} (its contents) into {@value #SERVED_DIRECTORY} before the start.
     *
     * @param directory a folder of the host; its contents are served
     * @return this container
     * @throws IllegalArgumentException if {@code directory} is not a folder
     */
    public HttpServerContainer withDirectory(Path directory) {
        requireDirectory(directory);
        return withCopyFileToContainer(MountableFile.forHostPath(directory), SERVED_DIRECTORY);
    }

    /**
     * Binds the host folder {@code directory} read-only on {@value #SERVED_DIRECTORY}: files changed on the host show at once.
     *
     * @param directory a folder of the host, which the Docker engine must see; its contents are served
     * @return this container
     * @throws IllegalArgumentException if {@code directory} is not a folder
     */
    public HttpServerContainer withMountedDirectory(Path directory) {
        requireDirectory(directory);
        String hostPath = directory.toAbsolutePath().normalize().toString();
        // Added to the create command itself rather than through withFileSystemBind, whose first use
        // checks that mounts work by running Testcontainers' helper image: a pull no air-gapped
        // machine can make.
        return withCreateContainerCmdModifier(cmd -> {
            HostConfig config = cmd.getHostConfig();
            List<Bind> binds = new ArrayList<>();
            if (config.getBinds() != null) {
                binds.addAll(List.of(config.getBinds()));
            }
            binds.add(new Bind(hostPath, new Volume(SERVED_DIRECTORY), AccessMode.ro));
            config.withBinds(binds);
        });
    }

    /**
     * Copies a classpath resource (a file, or a folder and its contents) into {@value #SERVED_DIRECTORY}.
     *
     * @param resource the resource's name on the class path ({@code "site"}, {@code "site/index.html"})
     * @return this container
     * @throws IllegalArgumentException if no such resource is on the class path
     */
    public HttpServerContainer withClasspathResource(String resource) {
        Objects.requireNonNull(resource, "resource");
        return withCopyFileToContainer(MountableFile.forClasspathResource(resource), SERVED_DIRECTORY);
    }

    /**
     * Puts a file holding {@code content} at {@code path} below {@value #SERVED_DIRECTORY} ({@code "a/b.txt"}).
     *
     * @param path where to put the file, relative to {@value #SERVED_DIRECTORY}; may not climb out of it
     * @param content the file's bytes
     * @return this container
     * @throws IllegalArgumentException if {@code path} is empty or climbs above {@value #SERVED_DIRECTORY}
     */
    public HttpServerContainer withFile(String path, byte[] content) {
        return withFile(path, content, 0644);
    }

    /**
     * {@link #withFile(String, byte[])} with a file mode ({@code 0755} for a CGI script).
     *
     * @param path where to put the file, relative to {@value #SERVED_DIRECTORY}; may not climb out of it
     * @param content the file's bytes
     * @param mode the file's POSIX mode, in octal ({@code 0644}, {@code 0755})
     * @return this container
     * @throws IllegalArgumentException if {@code path} is empty or climbs above {@value #SERVED_DIRECTORY}
     */
    public HttpServerContainer withFile(String path, byte[] content, int mode) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(content, "content");
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty() || relative.equals("..") || relative.startsWith("../") || relative.contains("/../")
                || relative.endsWith("/..")) {
            throw new IllegalArgumentException("not a path below " + SERVED_DIRECTORY + ": " + path);
        }
        return withCopyToContainer(Transferable.of(content, mode), SERVED_DIRECTORY + "/" + relative);
    }

    /**
     * {@link #withFile(String, byte[])} with {@code content} as UTF-8.
     *
     * @param path where to put the file, relative to {@value #SERVED_DIRECTORY}; may not climb out of it
     * @param content the file's text, written as UTF-8
     * @return this container
     * @throws IllegalArgumentException if {@code path} is empty or climbs above {@value #SERVED_DIRECTORY}
     */
    public HttpServerContainer withFile(String path, String content) {
        return withFile(path, content.getBytes(StandardCharsets.UTF_8));
    }

    // ---- server options ----

    /**
     * {@code --cgi}: runs the scripts below {@code /cgi-bin} and {@code /htbin} of the served folder.
     *
     * @return this container
     */
    public HttpServerContainer withCgi() {
        this.cgi = true;
        return this;
    }

    /**
     * {@code --protocol VERSION}: {@code HTTP/1.0} (CPython's default) or {@code HTTP/1.1} (the command line's).
     *
     * @param version {@code HTTP/1.0} or {@code HTTP/1.1}
     * @return this container
     */
    public HttpServerContainer withProtocol(String version) {
        this.protocol = Objects.requireNonNull(version, "version");
        return this;
    }

    /**
     * HTTPS: copies the PEM certificate chain and key files into {@value #TLS_DIRECTORY} and passes
     * {@code --tls-cert} and {@code --tls-key}; {@link #getUrl} then says {@code https}.
     *
     * @param certificateChain a PEM file of the host: the server's certificate, then its intermediates
     * @param key a PEM file of the host holding the certificate's private key
     * @return this container
     * @throws IllegalArgumentException if either file does not exist
     */
    public HttpServerContainer withTls(Path certificateChain, Path key) {
        requireFile(certificateChain);
        requireFile(key);
        this.certificateChain = certificateChain;
        withCopyFileToContainer(MountableFile.forHostPath(certificateChain, 0644), TLS_DIRECTORY + "/cert.pem");
        withCopyFileToContainer(MountableFile.forHostPath(key, 0600), TLS_DIRECTORY + "/key.pem");
        this.tls = true;
        return this;
    }

    /**
     * {@code --tls-self-signed}: HTTPS with a certificate for {@code localhost}, {@code 127.0.0.1} and
     * {@code ::1} that the server makes at start. The server writes it out
     * ({@code --tls-self-signed-cert-out}) and the container reads it back once started, so that
     * {@link #sslContext()}, {@link #trustManager()} and {@link #getCertificatePem()} let a client
     * trust it, as {@code HttpServerExtension.https()} does in-process.
     *
     * @return this container
     */
    public HttpServerContainer withTlsSelfSigned() {
        this.tlsSelfSigned = true;
        return this;
    }

    /**
     * HTTP/2 besides HTTP/1.1: over HTTPS it is on already (ALPN {@code h2,http/1.1}, the command
     * line's default); over plain HTTP this passes {@code --h2c} (prior knowledge and
     * {@code Upgrade: h2c}), as {@code HttpServerExtension.http2()} does in-process.
     *
     * @return this container
     */
    public HttpServerContainer withHttp2() {
        this.http2 = true;
        return this;
    }

    /**
     * The certificates a client should trust to reach this HTTPS server: the chain given to
     * {@link #withTls}, or the certificate the server made for {@link #withTlsSelfSigned} (read from
     * the container once it has started).
     *
     * @return the certificates, the server's first
     * @throws IllegalStateException if the server is not an HTTPS one, its self-signed certificate
     *                               is not known yet (the container has not started), or the chain
     *                               file holds no certificate
     */
    public List<X509Certificate> getCertificates() {
        if (certificates == null && certificateChain != null) {
            try (InputStream in = Files.newInputStream(certificateChain)) {
                certificates = readCertificates(in);
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot read the certificates of " + certificateChain + ": "
                        + e.getMessage(), e);
            }
        }
        List<X509Certificate> c = certificates;
        if (c == null) {
            throw new IllegalStateException(tlsSelfSigned ? "the self-signed certificate is known once the container has started"
                    : "not an HTTPS server: call withTls or withTlsSelfSigned");
        }
        return c;
    }

    /**
     * {@link #getCertificates()} in PEM, for {@code curl --cacert} or other tools.
     *
     * @return the certificates as PEM text
     * @throws IllegalStateException as {@link #getCertificates()}
     */
    public String getCertificatePem() {
        return TrustAnchors.pem(getCertificates());
    }

    /**
     * A trust manager that trusts {@link #getCertificates()}, and nothing else.
     *
     * @return the trust manager
     * @throws IllegalStateException as {@link #getCertificates()}
     */
    public X509TrustManager trustManager() {
        return TrustAnchors.trustManager(getCertificates());
    }

    /**
     * A client-side TLS context that trusts {@link #getCertificates()}, and nothing else: for the JDK's
     * {@code HttpClient}, OkHttp or Apache HttpClient.
     *
     * @return a new, initialised {@code TLS} context
     * @throws IllegalStateException as {@link #getCertificates()}
     */
    public SSLContext sslContext() {
        return TrustAnchors.sslContext(getCertificates());
    }

    private static List<X509Certificate> readCertificates(InputStream in) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new CertificateException("no certificate in it");
        }
        return List.copyOf(out);
    }

    @Override
    protected void containerIsStarted(InspectContainerResponse info) {
        super.containerIsStarted(info);
        if (tlsSelfSigned) {
            certificates = copyFileFromContainer(SELF_SIGNED_CERT, in -> {
                try {
                    return readCertificates(in);
                } catch (GeneralSecurityException e) {
                    throw new IOException("the server's certificate " + SELF_SIGNED_CERT + " cannot be read: " + e.getMessage(), e);
                }
            });
        }
    }

    /**
     * {@code --tls-password-file}: the file holding the password of an encrypted key (with {@link #withTls}).
     *
     * @param passwordFile a file of the host whose first line is the key's password
     * @return this container
     * @throws IllegalArgumentException if the file does not exist
     */
    public HttpServerContainer withTlsPasswordFile(Path passwordFile) {
        requireFile(passwordFile);
        withCopyFileToContainer(MountableFile.forHostPath(passwordFile, 0600), TLS_DIRECTORY + "/password.txt");
        this.tlsPassword = true;
        return this;
    }

    /**
     * {@code --bind ADDRESS}. Default: all interfaces on a bridge network, {@code 127.0.0.1} with host networking.
     *
     * @param address the address to listen on ({@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1})
     * @return this container
     */
    public HttpServerContainer withBind(String address) {
        this.bind = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * The port the server listens on: in the container (bridge network, default 8000) or on the host (host networking, default a free one).
     *
     * @param port the port, 1 to 65535
     * @return this container
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public HttpServerContainer withServerPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
        }
        this.serverPort = port;
        return this;
    }

    /**
     * More command-line arguments, passed as they are ({@code "--idle-timeout", "5"}).
     *
     * @param arguments command-line options and their values, one per element
     * @return this container
     */
    public HttpServerContainer withArguments(String... arguments) {
        for (String a : arguments) {
            extraArguments.add(Objects.requireNonNull(a, "argument"));
        }
        return this;
    }

    // ---- start ----

    @Override
    protected void configure() {
        super.configure();
        boolean host = isHostNetwork();
        int port = serverPort != null ? serverPort : host ? freeLoopbackPort() : DEFAULT_PORT;
        chosenPort = port;
        setCommand(arguments(port, host).toArray(new String[0]));
        if (!host) {
            addExposedPort(port);
        }
    }

    /** The command-line arguments for {@code port}; package-private for tests. */
    List<String> arguments(int port, boolean hostNetwork) {
        List<String> args = new ArrayList<>(List.of(Integer.toString(port), "--directory", SERVED_DIRECTORY));
        String address = bind != null ? bind : hostNetwork ? "127.0.0.1" : null;
        if (address != null) {
            args.add("--bind");
            args.add(address);
        }
        if (protocol != null) {
            args.add("--protocol");
            args.add(protocol);
        }
        if (cgi) {
            args.add("--cgi");
        }
        if (tls) {
            args.addAll(List.of("--tls-cert", TLS_DIRECTORY + "/cert.pem", "--tls-key", TLS_DIRECTORY + "/key.pem"));
        }
        if (tlsPassword) {
            args.addAll(List.of("--tls-password-file", TLS_DIRECTORY + "/password.txt"));
        }
        if (tlsSelfSigned) {
            args.addAll(List.of("--tls-self-signed", "--tls-self-signed-cert-out", SELF_SIGNED_CERT));
        }
        if (http2 && !tls && !tlsSelfSigned) {
            args.add("--h2c");
        }
        args.addAll(extraArguments);
        return args;
    }

    // ---- where it is ----

    /**
     * Whether the container uses the host's network ({@code withNetworkMode("host")}).
     *
     * @return true with host networking
     */
    public boolean isHostNetwork() {
        return "host".equals(getNetworkMode());
    }

    /**
     * The port the server listens on in its network namespace (the container's, or the host's with host networking).
     *
     * @return the port the server listens on
     * @throws IllegalStateException if the container has not been started
     */
    public int getServerPort() {
        requireConfigured();
        return chosenPort;
    }

    /**
     * The port this JVM reaches the server on: the published port, or with host networking the server's own.
     *
     * @return the port to connect to from this JVM
     * @throws IllegalStateException if the container has not been started
     */
    public int getPort() {
        requireConfigured();
        return isHostNetwork() ? chosenPort : getMappedPort(chosenPort);
    }

    /**
     * {@code http}, or {@code https} with {@link #withTls} or {@link #withTlsSelfSigned}.
     *
     * @return {@code http} or {@code https}
     */
    public String getScheme() {
        return tls || tlsSelfSigned ? "https" : "http";
    }

    /**
     * The URL of {@code path} (a request target, already percent-encoded; a missing leading {@code /}
     * is added) as this JVM reaches it.
     *
     * @param path the request target, percent-encoded ({@code /a%20b.txt?x=1})
     * @return an absolute URL reachable from this JVM
     * @throws IllegalStateException if the container has not been started
     */
    public URI getUrl(String path) {
        String h = isHostNetwork() ? hostNetworkAddress() : getHost();
        return url(h, getPort(), path);
    }

    /**
     * The URL of {@code path} as another container reaches it: with host networking the same as
     * {@link #getUrl} (the other container must use host networking too); on a bridge network, the
     * last network alias given and the server's port ({@code http://web:8000/...}).
     *
     * @param path the request target, percent-encoded ({@code /a%20b.txt?x=1})
     * @return an absolute URL reachable from another container
     * @throws IllegalStateException on a bridge network when the container has no network alias
     */
    public URI getInternalUrl(String path) {
        if (isHostNetwork()) {
            return getUrl(path);
        }
        List<String> aliases = getNetworkAliases();
        if (aliases.isEmpty()) {
            throw new IllegalStateException("no network alias: put the container on a Network with "
                    + "withNetwork(network).withNetworkAliases(\"web\") for other containers to reach it");
        }
        return url(aliases.get(aliases.size() - 1), getServerPort(), path);
    }

    private URI url(String host, int port, String path) {
        Objects.requireNonNull(path, "path");
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create(getScheme() + "://" + h + ":" + port + (path.startsWith("/") ? path : "/" + path));
    }

    /** The address a client of the host uses: the bound one, or the loopback for a wildcard. */
    private String hostNetworkAddress() {
        String address = bind != null ? bind : "127.0.0.1";
        if (address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
            return "127.0.0.1";
        }
        return address;
    }

    private void requireConfigured() {
        if (chosenPort < 0) {
            throw new IllegalStateException("the container is not started");
        }
    }

    /** A port of the loopback free right now (another process could take it before the server does: unlikely). */
    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on the loopback", e);
        }
    }

    private static void requireDirectory(Path directory) {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a directory: " + directory);
        }
    }

    private static void requireFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("not a file: " + file);
        }
    }
}
