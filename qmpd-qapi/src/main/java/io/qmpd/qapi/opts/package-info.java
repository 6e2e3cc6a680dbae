/**
 * QEMU's option-argument syntax ({@code QemuOpts}): {@code key=value,...} with {@code ,,} escapes,
 * an implied first key and short-form flags, parsed and checked against an option list with
 * QEMU's texts. Used by the command line ({@code -chardev}, {@code -mon}, ...) and by HMP commands
 * that take the same syntax ({@code chardev-add}). Immutable values; no state.
 */
package io.qmpd.qapi.opts;
