/**
 * The Distributed Map {@code ResultWriter}: {@link io.stepstream.maprun.writer.ResultWriter} exports a
 * finished Map Run's child executions to an object store in AWS's layout ({@code SUCCEEDED_n.json},
 * {@code FAILED_n.json}, {@code PENDING_n.json} and {@code manifest.json} under
 * {@code <Prefix>/<map run id>/}).
 */
package io.stepstream.maprun.writer;
