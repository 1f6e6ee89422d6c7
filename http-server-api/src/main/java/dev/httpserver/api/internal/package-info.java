/**
 * Implementation helpers shared by the api module and the server modules. Not part of the public
 * API: the types here may change or disappear without notice, and applications should not use them.
 * Like the rest of {@code http-server-api}, this package uses the JDK only.
 */
package dev.httpserver.api.internal;
