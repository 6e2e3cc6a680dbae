package io.qmpd.qapi;

/** QEMU's {@code QapiErrorClass}: the {@code class} member of every error reply. */
public enum ErrorClass {
    GenericError,
    CommandNotFound,
    DeviceNotActive,
    DeviceNotFound,
    KVMMissingCap
}
