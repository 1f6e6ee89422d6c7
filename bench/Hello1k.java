// bench/Hello1k.java -- the server of the handler-1k scenario of bench/run.sh: our library used the
// way Python's http.server is, with a request handler class of one's own.  A ThreadingHttpServer
// whose BaseHttpRequestHandler subclass answers every GET with the same 1 KiB body, from memory,
// with a Content-Length, over HTTP/1.1 keep-alive.  The handler declares methods, so the server runs
// it on a handler thread (a virtual thread on JDK 21 and later) like any user handler; request
// logging stays on (stderr), as with the CLI.
//
// Run with the JDK's single-file source launcher against the CLI's fat jar:
//   java -cp http-server-cli/target/http-server-cli-0.1.0-SNAPSHOT-all.jar bench/Hello1k.java PORT
import dev.httpserver.api.BaseHttpRequestHandler;
import dev.httpserver.netty.ThreadingHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Random;

public class Hello1k {

    /** 1024 bytes, the same on every run (the size of the corpus' 1k.bin). */
    static final byte[] BODY = new byte[1024];

    static {
        new Random(1024).nextBytes(BODY);
    }

    public static class Handler extends BaseHttpRequestHandler {
        public Handler() {
            protocolVersion = "HTTP/1.1";
        }

        // found by name, as Python's do_GET is: the base class declares no doGET
        protected void doGET() throws IOException {
            sendResponse(200);
            sendHeader("Content-Type", "application/octet-stream");
            sendHeader("Content-Length", "1024");
            endHeaders();
            wfile.write(BODY);
        }
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp <http-server-cli ...-all.jar> bench/Hello1k.java PORT");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        ThreadingHttpServer server = new ThreadingHttpServer(new InetSocketAddress("127.0.0.1", port), Handler::new);
        System.out.println("Hello1k: serving 1 KiB on http://127.0.0.1:" + port + "/ (Java "
                + System.getProperty("java.version") + ")");
        System.out.flush();
        server.serveForever();
    }
}
