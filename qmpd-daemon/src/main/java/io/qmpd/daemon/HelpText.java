package io.qmpd.daemon;

/** {@code -version} and {@code -h}: QEMU's shapes in qmpd's words. */
final class HelpText {

    static final String VERSION = "QEMU emulator version 11.0.0 (qmpd 0.1.0)\n"
            + "qmpd: QEMU's monitor subsystem (QMP and HMP) without an emulator; not a QEMU build\n";

    static final String HELP = """
            usage: qmpd [options]

            qmpd speaks QEMU's monitor protocols (QMP, HMP) for a simulated machine with no guest,
            or in front of a running QEMU (-upstream).
            Without options it offers a QMP socket and, on a terminal, an HMP monitor on stdio.

            Standard options:
            -h or -help     display this help and exit
            -version        display version information and exit
            -machine none   the only machine type (also -M none); its guest has no vCPUs
            -smp N          the simulated machine's vCPUs (default 1; 0 with -machine none)
            -name NAME[,process=P][,debug-threads=on|off]
                            the machine's name (query-name)
            -uuid UUID      the machine's UUID (query-uuid)
            -S              start paused, in the prelaunch state ('cont' runs it)
            -no-shutdown    a guest shutdown stops the machine instead of ending qmpd
            -nodefaults     no default monitors
            -display none   accepted for compatibility (qmpd has no display)
            -nographic      an HMP monitor on stdio

            Broker:
            -upstream unix:PATH|fd:N
                            stand in front of the running QEMU whose QMP monitor listens on PATH (or
                            is connected on descriptor N): every monitor of qmpd is an independent
                            QMP session on it (-machine, -M, -name, -uuid, -smp, -S, -no-shutdown
                            are then QEMU's business and refused)

            Character devices:
            -chardev null,id=ID
            -chardev socket,id=ID,path=PATH[,server=on|off][,wait=on|off][,reconnect=S][,reconnect-ms=MS]
            -chardev socket,id=ID,host=HOST,port=PORT[,server=on|off][,wait=on|off][,nodelay=on|off]
            -chardev socket,id=ID,fd=NAME
            -chardev ringbuf,id=ID[,size=SIZE]   (also memory)
            -chardev file,id=ID,path=PATH[,input-path=PATH][,append=on|off]
            -chardev pipe,id=ID,path=PATH
            -chardev stdio,id=ID[,signal=on|off]

            Monitors:
            -mon [chardev=]ID[,mode=readline|control][,pretty=on|off][,id=ID]
            -qmp DEV        a QMP monitor on DEV (unix:PATH,server=on,wait=off; tcp:HOST:PORT,...;
                            stdio; null; file:PATH; pipe:PATH; chardev:ID)
            -qmp-pretty DEV as -qmp, with pretty-printed JSON
            -monitor DEV    an HMP monitor on DEV; -monitor none: none
            -object monitor-qmp,id=ID,chardev=ID[,pretty=on|off][,close-action=none|delete]
            -object monitor-hmp,id=ID,chardev=ID[,readline=on|off]

            Process:
            -pidfile FILE   write the process id to FILE (removed at exit)
            -daemonize      detach once started (errors still reach the terminal)
            -D FILE         write the log to FILE (default: warnings only, on stderr)
            -io-poll-max-ns N
                            after handling a request, poll up to N ns for the next one before
                            sleeping (default 32768; 0: never): the window adapts to how soon
                            requests come, and closes for clients that pause longer

            See docs/usage.md.
            """;

    private HelpText() {}
}
