/**
 * The simulated machine as a back end of qmpd's server: its run state, name, UUID and vCPUs, the
 * commands and events that act on them, and {@link io.qmpd.machine.MachineBackend}, which
 * attaches a machine to a server.
 */
package io.qmpd.machine;
