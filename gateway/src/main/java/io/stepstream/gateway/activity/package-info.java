/** Activities: their registry, the tasks waiting for GetActivityTask, and the API actions. */
package io.stepstream.gateway.activity;
