/**
 * Character devices: the byte pipes monitors stand on, their registry and QEMU's one-frontend rule,
 * and {@code -chardev}-syntax specs turned into QAPI backends ({@link io.qmpd.chardev.ChardevOpts}).
 * Knows nothing of QMP.
 */
package io.qmpd.chardev;
