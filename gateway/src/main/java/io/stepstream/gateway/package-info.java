/** The Step Functions API server: its HTTP endpoint and its table of actions. */
package io.stepstream.gateway;
