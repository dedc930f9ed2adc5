/** Benchmarks that need a whole installation (run from the fat jar, not from the build). */
package io.stepstream.server.bench;
