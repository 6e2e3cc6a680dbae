/** The qmpd daemon: QEMU's command-line syntax and options, turned into a running {@code QmpServer}. */
package io.qmpd.daemon;
