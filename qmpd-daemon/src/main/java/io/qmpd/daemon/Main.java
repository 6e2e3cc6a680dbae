package io.qmpd.daemon;

/** {@code bin/qmpd}: QEMU's command line in front of an embedded {@code QmpServer}. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(new Daemon(System.out, System.err).run(args));
    }
}
