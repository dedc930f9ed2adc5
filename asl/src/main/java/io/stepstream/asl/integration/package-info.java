/** Shapes of Step Functions service integrations that more than one role produces. */
package io.stepstream.asl.integration;
