"""Runs the socket tests of CPython's own Lib/test/test_httpservers.py, unchanged, against this server.

The test module is the running interpreter's own (``from test import test_httpservers``): nothing in it
is edited. Only the seam where it starts its server is replaced: ``TestServerThread``, which runs
CPython's ``HTTPServer`` in a thread, becomes a process of ours on a port reserved up front:

- ``BaseHTTPServerTestCase`` and ``RequestHandlerLoggingTestCase``: their ``request_handler`` classes,
  ported to Java (``dev.httpserver.it.CPythonSuiteHandlers``), served by ``HttpServer``;
- ``SimpleHTTPServerTestCase`` and ``CGIHTTPServerTestCase``: the command line itself,
  ``java -jar http-server-cli-*-all.jar --protocol HTTP/1.0 --directory DIR [--cgi] PORT``.

CPython's handlers serve the directory that is current when a request comes, and these test cases
change directory after their server has started; so our server is started at the test's first
connection (``http.client.HTTPConnection.connect``), serving the directory current then.

The other test cases of the file call handler methods on objects without a socket, or run Python's own
command line: they test CPython's code, not a server, and are not run.

Environment: SUITE_JAVA (the java executable), SUITE_CLASSPATH (the it-tests test class path),
SUITE_CLI_JAR (the CLI's -all jar), SUITE_EXPECTED (the expected-failures file), SUITE_REPORT (where to
write the outcome of each test, one per line). Exit code 0 when every test passed or failed as expected.
"""
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import unittest

from test import test_httpservers as T

JAVA = os.environ["SUITE_JAVA"]
CLASSPATH = os.environ["SUITE_CLASSPATH"]
CLI_JAR = os.environ["SUITE_CLI_JAR"]
EXPECTED = os.environ.get("SUITE_EXPECTED")
REPORT = os.environ.get("SUITE_REPORT")
SERVER_LOG = os.environ.get("SUITE_SERVER_LOG")  # a file for the servers' stderr, when looking into a failure
ONLY = os.environ.get("SUITE_ONLY")  # a test case (class) name, to run only that one

CASES = {
    "BaseHTTPServerTestCase": "base",
    "RequestHandlerLoggingTestCase": "logging",
    "SimpleHTTPServerTestCase": "simple",
    "CGIHTTPServerTestCase": "cgi",
}


def reserve_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class JavaServer:
    """One server process of ours, started at the first connection to its port."""

    pending = None

    def __init__(self, kind, port):
        self.kind = kind
        self.port = port
        self.process = None
        self.reader = None

    def launch(self):
        if self.kind in ("simple", "cgi"):
            command = [JAVA, "-jar", CLI_JAR, "--bind", "127.0.0.1", "--protocol", "HTTP/1.0",
                       "--directory", os.getcwd()]
            if self.kind == "cgi":
                command.append("--cgi")
            command.append(str(self.port))
        else:
            command = [JAVA, "-cp", CLASSPATH, "dev.httpserver.it.CPythonSuiteHandlers", self.kind, str(self.port)]
        logs = subprocess.PIPE if self.kind == "logging" else open(SERVER_LOG, "ab") if SERVER_LOG else subprocess.DEVNULL
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=logs, cwd=os.getcwd())
        if logs is subprocess.PIPE:
            # The request log goes where the test looks for it: sys.stderr as it is when the line comes.
            def forward(stream):
                for line in iter(stream.readline, b""):
                    sys.stderr.write(line.decode("utf-8", "replace"))
            self.reader = threading.Thread(target=forward, args=(self.process.stderr,), daemon=True)
            self.reader.start()
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start: %s (exit %s)" % (command, self.process.poll()))
                time.sleep(0.05)

    def close(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(15)
            if self.reader is not None:
                self.reader.join(5)
            if self.process.stderr is not None:
                self.process.stderr.close()
            self.process = None


class JavaServerThread:
    """Stands in for test_httpservers.TestServerThread."""

    def __init__(self, test_object, request_handler):
        kind = next(CASES[c.__name__] for c in type(test_object).__mro__ if c.__name__ in CASES)
        self.server = JavaServer(kind, reserve_port())
        self.test_object = test_object

    def start(self):
        self.test_object.HOST, self.test_object.PORT = "127.0.0.1", self.server.port
        JavaServer.pending = self.server
        self.test_object.server_started.set()
        self.test_object = None

    def stop(self):
        if JavaServer.pending is self.server:
            JavaServer.pending = None
        self.server.close()

    def join(self, timeout=None):
        pass


_connect = http.client.HTTPConnection.connect
_getresponse = http.client.HTTPConnection.getresponse


def connect(self):
    server = JavaServer.pending
    if server is not None and server.process is None and self.port == server.port:
        server.launch()
    return _connect(self)


def getresponse(self):
    response = _getresponse(self)
    server = JavaServer.pending
    if server is not None and server.reader is not None:
        time.sleep(0.3)  # the log line crosses a pipe from the server's process to this one
    return response


T.TestServerThread = JavaServerThread
http.client.HTTPConnection.connect = connect
http.client.HTTPConnection.getresponse = getresponse


def expected_failures():
    expected = {}
    if EXPECTED and os.path.exists(EXPECTED):
        with open(EXPECTED, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    name, _, reason = line.partition(" ")
                    expected[name] = reason.strip()
    return expected


class Outcomes(unittest.TextTestResult):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcomes = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.outcomes.append((test.id(), "pass", ""))

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.outcomes.append((test.id(), "fail", self._exc_info_to_string(err, test)))

    def addError(self, test, err):
        super().addError(test, err)
        self.outcomes.append((test.id(), "error", self._exc_info_to_string(err, test)))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.outcomes.append((test.id(), "skip", reason))

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.outcomes.append((test.id(), "fail", self._exc_info_to_string(err, test)))


def main():
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for name in CASES:
        if ONLY and name != ONLY:
            continue
        suite.addTests(loader.loadTestsFromTestCase(getattr(T, name)))
    T.setUpModule() if hasattr(T, "setUpModule") else None
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2, resultclass=Outcomes)
    result = runner.run(suite)
    expected = expected_failures()
    short = lambda test_id: test_id.split(".", 2)[-1] if test_id.startswith("test.") else test_id
    failed = {}
    for test_id, outcome, detail in result.outcomes:
        if outcome in ("fail", "error"):
            failed.setdefault(short(test_id), detail)
    passed = {short(t) for t, o, _ in result.outcomes if o == "pass"} - set(failed)
    unexpected = sorted(set(failed) - set(expected))
    fixed = sorted(name for name in expected if name in passed)
    lines = []
    for test_id, outcome, detail in result.outcomes:
        name = short(test_id)
        tag = outcome
        if outcome in ("fail", "error") and name in expected:
            tag = "expected-" + outcome
        lines.append("%s %s %s" % (tag, name, detail.strip().splitlines()[-1] if detail.strip() else ""))
    summary = "run %d, passed %d, failed as expected %d, failed unexpectedly %d, skipped %d, expected but passed %d" % (
        result.testsRun, len(passed), len(set(failed) & set(expected)), len(unexpected),
        len(result.skipped), len(fixed))
    lines.append("SUMMARY " + summary)
    for name in unexpected:
        lines.append("UNEXPECTED %s\n%s" % (name, failed[name]))
    for name in fixed:
        lines.append("NOW-PASSING %s (remove it from the expected failures)" % name)
    text = "\n".join(lines) + "\n"
    if REPORT:
        with open(REPORT, "w", encoding="utf-8") as f:
            f.write(text)
    print(text)
    return 0 if not unexpected and not fixed else 1


if __name__ == "__main__":
    sys.exit(main())
