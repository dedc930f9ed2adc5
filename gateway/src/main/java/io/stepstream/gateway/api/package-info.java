/** What every action shares: the Action contract, AWS-shaped errors, ARNs, names and request members. */
package io.stepstream.gateway.api;
