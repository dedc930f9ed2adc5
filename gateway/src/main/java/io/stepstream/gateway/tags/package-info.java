/** Tag actions on state machines. */
package io.stepstream.gateway.tags;
