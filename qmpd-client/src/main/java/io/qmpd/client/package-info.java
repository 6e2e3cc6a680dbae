/**
 * A QMP client for QEMU and qmpd: {@link io.qmpd.client.QmpClient} pipelines commands over a unix
 * or TCP socket, matches replies by id, delivers events to listeners and passes file descriptors.
 */
package io.qmpd.client;
