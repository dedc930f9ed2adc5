/** How a worker runs tasks: built-in resources, offsets, commands; not a public API. */
package io.stepstream.worker.internals;
