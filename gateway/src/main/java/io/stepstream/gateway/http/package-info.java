/** Netty plumbing from HTTP requests to actions and back. */
package io.stepstream.gateway.http;
