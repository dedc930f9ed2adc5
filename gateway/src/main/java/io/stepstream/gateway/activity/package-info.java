/**
 * Activities: their registry, the share of activity tasks each gateway holds, how a GetActivityTask
 * on any gateway reaches the gateway holding the activity's tasks, and the API actions.
 */
package io.stepstream.gateway.activity;
