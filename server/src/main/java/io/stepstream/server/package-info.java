/** The stepstream executable: its commands and dev mode. */
package io.stepstream.server;
