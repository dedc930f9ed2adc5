/**
 * Test users' state machines in-process, without Kafka: {@link io.stepstream.testing.StepFunctionsExtension}
 * injects {@link io.stepstream.testing.Workflows}; Task states answer with mocked responses per state.
 */
package io.stepstream.testing;
