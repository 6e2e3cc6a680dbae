/** Character devices: the byte pipes monitors stand on, their registry and QEMU's one-frontend rule. Knows nothing of QMP. */
package io.qmpd.chardev;
