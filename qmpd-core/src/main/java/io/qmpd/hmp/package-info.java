/**
 * The human monitor: HMP monitors with QEMU's line editor, their command table and commands
 * (each running its QMP twin through {@code HostCall}), and {@code human-monitor-command}.
 */
package io.qmpd.hmp;
