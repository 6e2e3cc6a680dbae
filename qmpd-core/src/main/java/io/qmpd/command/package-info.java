/** The command registry with typed handlers, QMP request dispatch (envelope, lookup, validation) and the control commands. */
package io.qmpd.command;
