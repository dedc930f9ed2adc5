/** The web console: static pages under {@code /console/} that call the Step Functions API of the same origin. */
package io.stepstream.gateway.console;
