package io.qmpd.command;

/**
 * Commands registered together (the chardev commands, the monitor commands, a back end's): each
 * registers what the server's schema declares of it
 * ({@link CommandRegistry.Builder#registerIfDeclared}), so a schema without a command is served
 * without its handler.
 */
@FunctionalInterface
public interface CommandGroup {

    void registerAll(CommandRegistry.Builder commands);
}
