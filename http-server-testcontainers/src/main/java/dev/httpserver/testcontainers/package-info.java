/**
 * The server as a Testcontainers container: {@link dev.httpserver.testcontainers.HttpServerContainer}
 * runs the CLI's image serving a folder, with the CLI's flags. Uses Testcontainers only (the server
 * runs inside the container).
 */
package dev.httpserver.testcontainers;
