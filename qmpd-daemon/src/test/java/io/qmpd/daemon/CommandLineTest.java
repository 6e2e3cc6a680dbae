package io.qmpd.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final String QMP0 = "socket,id=qmp0,path=/tmp/q/qmp0.sock,server=on,wait=off";

    @Test
    void theCorpusCommandLineParses() throws OptionException {
        DaemonOptions o = CommandLine.parse(
                "-machine",
                "none",
                "-nodefaults",
                "-display",
                "none",
                "-S",
                "-chardev",
                QMP0,
                "-mon",
                "chardev=qmp0,mode=control,id=mon0",
                "-chardev",
                "socket,id=hmp0,path=/tmp/q/hmp0.sock,server=on,wait=off",
                "-mon",
                "chardev=hmp0,mode=readline,id=mon1",
                "-chardev",
                "socket,id=spare,path=/tmp/q/spare.sock,server=on,wait=off",
                "-pidfile",
                "/tmp/q/qemu.pid");
        assertThat(o.chardevs()).extracting(ChardevSpec::id).containsExactly("qmp0", "hmp0", "spare");
        assertThat(o.chardevs().get(0).backend().toString())
                .isEqualTo(
                        "{\"type\":\"socket\",\"data\":{\"addr\":{\"data\":{\"path\":\"/tmp/q/qmp0.sock\"},\"type\":\"unix\"},"
                                + "\"server\":true,\"wait\":false}}");
        assertThat(o.chardevs().get(0).waitingOn()).isNull();
        assertThat(o.vcpus()).isZero();
        assertThat(o.firstRun()).isFalse();
        assertThat(o.monitors())
                .containsExactly(
                        new MonitorSpec("mon0", "qmp0", true, false, "-mon chardev=qmp0,mode=control,id=mon0"),
                        new MonitorSpec("mon1", "hmp0", false, false, "-mon chardev=hmp0,mode=readline,id=mon1"));
        assertThat(o.startPaused()).isTrue();
        assertThat(o.pidfile()).contains(Path.of("/tmp/q/qemu.pid"));
    }

    @Test
    void monDefaultsToReadlineAsInQemuAndTakesTheChardevAsImpliedKey() throws OptionException {
        DaemonOptions o = CommandLine.parse("-chardev", QMP0, "-mon", "qmp0,pretty=on");
        assertThat(o.monitors()).containsExactly(new MonitorSpec(null, "qmp0", false, true, "-mon qmp0,pretty=on"));
    }

    @Test
    void aMonMayNameAChardevDefinedAfterIt() throws OptionException {
        assertThat(CommandLine.parse("-mon", "qmp0,mode=control", "-chardev", QMP0)
                        .monitors())
                .hasSize(1);
    }

    @Test
    void legacyDevicesCreateCompatMonitorChardevsCountedAcrossOptions() throws OptionException {
        DaemonOptions o = CommandLine.parse(
                "-chardev",
                QMP0,
                "-qmp",
                "chardev:qmp0",
                "-qmp",
                "unix:/tmp/q/a,,b.sock,server=on,wait=off",
                "-qmp-pretty",
                "tcp:127.0.0.1:4444,server=on,wait=off",
                "-monitor",
                "tcp:[::1]:0,server=on,wait=off");
        assertThat(o.chardevs())
                .extracting(ChardevSpec::id)
                .containsExactly("qmp0", "compat_monitor1", "compat_monitor2", "compat_monitor3");
        assertThat(o.chardevs().get(1).backend().at("/data/addr/data/path").asText())
                .isEqualTo("/tmp/q/a,b.sock");
        assertThat(o.chardevs().get(2).backend().at("/data/addr/data").toString())
                .isEqualTo("{\"host\":\"127.0.0.1\",\"port\":\"4444\"}");
        assertThat(o.chardevs().get(3).backend().at("/data/addr/data").toString())
                .isEqualTo("{\"host\":\"::1\",\"port\":\"0\"}");
        assertThat(o.monitors())
                .extracting(MonitorSpec::chardev, MonitorSpec::control, MonitorSpec::pretty)
                .containsExactly(
                        Tuple.tuple("qmp0", true, false),
                        Tuple.tuple("compat_monitor1", true, false),
                        Tuple.tuple("compat_monitor2", true, true),
                        Tuple.tuple("compat_monitor3", false, false));
    }

    @Test
    void doubleDashOptionsAndIgnoredOptionsAreAccepted() throws OptionException {
        DaemonOptions o = CommandLine.parse(
                "--machine", "type=none", "-M", "none", "--display", "none", "-name", "guest=vm1,debug-threads=on");
        assertThat(o.name()).contains("vm1");
        assertThat(o.startPaused()).isFalse();
    }

    @Test
    void ioPollMaxNsIsQmpdsOwnAndDefaultsToQemusIothreadWindow() throws OptionException {
        assertThat(CommandLine.parse("-nodefaults").ioPollMaxNanos()).isEqualTo(32_768);
        assertThat(CommandLine.parse("-io-poll-max-ns", "0").ioPollMaxNanos()).isZero();
        assertThat(CommandLine.parse("-io-poll-max-ns", "50000").ioPollMaxNanos())
                .isEqualTo(50_000);
        fails(
                "qmpd: -io-poll-max-ns 2000000000: expects a number of nanoseconds from 0 to 1000000000",
                "-io-poll-max-ns",
                "2000000000");
        fails(
                "qmpd: -io-poll-max-ns -5: expects a number of nanoseconds from 0 to 1000000000",
                "-io-poll-max-ns",
                "-5");
    }

    private static void fails(String message, String... args) {
        assertThatThrownBy(() -> CommandLine.parse(args))
                .isInstanceOf(OptionException.class)
                .hasMessage(message);
    }

    @Test
    void badOptionsGetOneLineNamingTheOptionInQemusWords() {
        fails("qmpd: -mon chardev=x: chardev \"x\" not found", "-mon", "chardev=x");
        fails("qmpd: -bogus: invalid option", "-bogus");
        fails("qmpd: -mon: requires an argument", "-mon");
        fails(
                "qmpd: -mon x,mode=weird: Parameter 'mode' does not accept value 'weird'",
                "-chardev",
                QMP0.replace("qmp0", "x"),
                "-mon",
                "x,mode=weird");
        fails(
                "qmpd: -chardev socket,id=x,path=/p,server=maybe: Parameter 'server' expects 'on' or 'off'",
                "-chardev",
                "socket,id=x,path=/p,server=maybe");
        fails(
                "qmpd: -chardev socket,id=x,path=/p,server=on,foo=1: Invalid parameter 'foo'",
                "-chardev",
                "socket,id=x,path=/p,server=on,foo=1");
        fails(
                "qmpd: -chardev socket,path=/p,server=on: chardev: no id specified",
                "-chardev",
                "socket,path=/p,server=on");
        fails(
                "qmpd: -chardev socket,id=1x,path=/p: Parameter 'id' expects an identifier",
                "-chardev",
                "socket,id=1x,path=/p");
        fails(
                "qmpd: -chardev socket,id=x,path=/b,server=on: Duplicate ID 'x' for chardev",
                "-chardev",
                "socket,id=x,path=/a,server=on",
                "-chardev",
                "socket,id=x,path=/b,server=on");
        fails(
                "qmpd: -chardev socket,id=x,path=/p,host=h,port=1,server=on: None or one of 'path', 'fd' or 'host' option required.",
                "-chardev",
                "socket,id=x,path=/p,host=h,port=1,server=on");
        fails(
                "qmpd: -chardev socket,id=x,host=127.0.0.1,server=on: chardev: socket: no port given",
                "-chardev",
                "socket,id=x,host=127.0.0.1,server=on");
        fails(
                "qmpd: -mon x: Device 'x' is in use",
                "-chardev",
                "socket,id=x,path=/p,server=on",
                "-mon",
                "x,mode=control",
                "-mon",
                "x");
        fails("qmpd: -mon y,id=m: Duplicate ID 'm' for mon", "-mon", "x,id=m", "-mon", "y,id=m");
        fails("qmpd: -qmp bogus:foo: 'bogus:foo' is not a valid char driver", "-qmp", "bogus:foo");
        fails(
                "qmpd: -qmp tcp:127.0.0.1,server=on,wait=off: parse error: tcp:127.0.0.1,server=on,wait=off",
                "-qmp",
                "tcp:127.0.0.1,server=on,wait=off");
        fails("qmpd: -qmp unix:/p,server=on,foo=bar: Invalid parameter 'foo'", "-qmp", "unix:/p,server=on,foo=bar");
        fails("qmpd: -machine pc: machine type 'pc' is not supported (qmpd has only 'none')", "-machine", "pc");
        fails("qmpd: disk.img: disk images are not supported", "disk.img");
    }
}
