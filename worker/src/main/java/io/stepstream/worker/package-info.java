/**
 * The worker SDK and service: {@link io.stepstream.worker.TaskHandler}s registered in
 * {@link io.stepstream.worker.TaskHandlers}, run by a {@link io.stepstream.worker.WorkerService} for the
 * Task states of executions, and unit-tested with {@link io.stepstream.worker.TaskTestEnvironment}.
 */
package io.stepstream.worker;
