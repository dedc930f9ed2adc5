/** Roles a process runs, registered in one table, and what they share. */
package io.stepstream.server.role;
