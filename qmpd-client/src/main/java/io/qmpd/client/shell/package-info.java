/** {@code bin/qmp-shell}: QEMU's qmp-shell input language over {@link io.qmpd.client.QmpClient}. */
package io.qmpd.client.shell;
