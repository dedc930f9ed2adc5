/**
 * Object storage for Distributed Map: the {@link io.stepstream.maprun.store.ObjectStore} that item
 * readers read from and the result writer writes to, over local directories ({@code LocalBuckets}) or
 * an S3-compatible service ({@code S3ObjectStore}), with S3's error codes and messages.
 */
package io.stepstream.maprun.store;
