/** The embeddable server: wires the event loop, dispatcher, registries, monitors and commands together. */
package io.qmpd.server;
