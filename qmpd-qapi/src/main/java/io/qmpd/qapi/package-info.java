/** QAPI: the schema language reader, the schema model, argument validation in QEMU's words, and introspection. */
package io.qmpd.qapi;
