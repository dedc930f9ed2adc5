/** Reading an execution's history and definition back from Kafka, for {@code stepstream replay}. */
package io.stepstream.server.replay;
