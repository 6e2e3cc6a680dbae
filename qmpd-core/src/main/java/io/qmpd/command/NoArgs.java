package io.qmpd.command;

/** The arguments of a command that takes none. */
public record NoArgs() {}
