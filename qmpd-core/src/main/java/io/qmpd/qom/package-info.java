/** QEMU's object tree as far as qmpd has one: the {@code /objects} container of user-created objects (monitors, secrets). */
package io.qmpd.qom;
