package io.qmpd.monitor;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code query-monitors} says of one monitor (its members in the order QEMU's schema declares
 * them; a null id is left out).
 *
 * @param id      the monitor's id, or null for a command-line monitor given none
 * @param mode    QMP ({@code control}) or HMP ({@code readline})
 * @param chardev the id of the chardev it serves
 * @param dynamic whether it was added at run time, so that it may be removed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MonitorInfo(String id, MonitorMode mode, String chardev, boolean dynamic) {}
