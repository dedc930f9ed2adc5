/** Kafka plumbing every role shares: topics and the embedded broker. */
package io.stepstream.kafka;
