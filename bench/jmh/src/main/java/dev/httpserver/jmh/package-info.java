/** JMH microbenchmarks of the api's hot functions ({@link dev.httpserver.jmh.HotPaths}). */
package dev.httpserver.jmh;
