/** The pure ASL core: definitions, validation, data flow and the interpreter; no Kafka, I/O, clock or unseeded randomness. */
package io.stepstream.asl;
