package io.qmpd.monitor;

/** QEMU's {@code MonitorMode}: {@code readline} is HMP, {@code control} is QMP. */
public enum MonitorMode {
    readline,
    control
}
