/** QEMU's JSON dialect: the streaming lexer and streamer that turn monitor input into values, and the writer that prints replies byte for byte as QEMU does. */
package io.qmpd.json;
