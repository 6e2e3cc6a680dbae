/** QMP events: checked against the schema, stamped, and broadcast to every monitor in command mode. */
package io.qmpd.event;
