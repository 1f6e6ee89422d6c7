/**
 * The {@code python -m http.server} command line: {@link dev.httpserver.cli.Cli} parses the flags
 * (picocli), builds a server from {@code http-server-netty} and waits; {@link dev.httpserver.cli.Main}
 * is the only place that calls {@code System.exit}. Thin by design: it holds no serving logic.
 */
package dev.httpserver.cli;
