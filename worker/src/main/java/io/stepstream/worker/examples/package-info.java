/** The example worker used by the README: an order saga's handlers. */
package io.stepstream.worker.examples;
