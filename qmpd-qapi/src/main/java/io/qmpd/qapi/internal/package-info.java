/** The QAPI implementation behind {@link io.qmpd.qapi.Schema}: the schema-language reader, the type model, QEMU's input visitor and the introspection generator. */
package io.qmpd.qapi.internal;
