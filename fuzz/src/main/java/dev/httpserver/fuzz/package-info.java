/**
 * The fuzz target of the request path (Jazzer): {@link dev.httpserver.fuzz.HttpRequestFuzzer} sends
 * generated requests to a real server and {@link dev.httpserver.fuzz.ResponseChecker} checks every
 * answer against HTTP's framing rules; leaks and unexpected errors are findings.
 */
package dev.httpserver.fuzz;
