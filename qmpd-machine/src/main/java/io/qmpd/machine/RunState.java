package io.qmpd.machine;

import com.fasterxml.jackson.annotation.JsonValue;

/** QEMU's {@code RunState} values qmpd's machines take (a subset of QEMU's list). */
public enum RunState {
    PRELAUNCH("prelaunch"),
    RUNNING("running"),
    PAUSED("paused"),
    SHUTDOWN("shutdown");

    private final String qapiName;

    RunState(String qapiName) {
        this.qapiName = qapiName;
    }

    @JsonValue
    public String qapiName() {
        return qapiName;
    }
}
