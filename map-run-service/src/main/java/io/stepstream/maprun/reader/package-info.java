/**
 * Distributed Map item readers: {@link io.stepstream.maprun.reader.ItemReaders} reads the items an
 * evaluated {@code ItemReader} names (S3 object listings, JSON, JSON Lines, CSV and S3 inventory
 * manifests) one bounded page at a time, resuming from an opaque cursor with ranged reads.
 */
package io.stepstream.maprun.reader;
