package io.qmpd.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.chardev.ProcFds;
import io.qmpd.monitor.Monitor;
import io.qmpd.qapi.QmpException;
import io.qmpd.server.TestServer;
import java.io.FileDescriptor;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/** A monitor's named descriptors, checked against {@code /proc/self/fd}. */
class MonitorFdTableTest {

    private static FileDescriptor dup(AFUNIXSocketPair<AFUNIXSocketChannel> pair) throws Exception {
        return FileDescriptorCast.duplicating(pair.getSocket1().getFileDescriptor()).getFileDescriptor();
    }

    @Test
    void destroying_a_monitor_closes_its_descriptors_and_only_its_own() throws Exception {
        try (TestServer t = new TestServer();
             AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open();
             AFUNIXSocketPair<AFUNIXSocketChannel> b = AFUNIXSocketPair.open()) {
            t.monitor("m1", true, false);
            t.monitor("m2", true, false);
            Monitor m1 = t.server.monitors().get(0);
            Monitor m2 = t.server.monitors().get(1);
            String targetA = ProcFds.target(a.getSocket1().getFileDescriptor());
            String targetB = ProcFds.target(b.getSocket1().getFileDescriptor());
            MonitorFdTable table = new MonitorFdTable(new io.qmpd.io.NameMemory(Long.MAX_VALUE));
            table.put(m1, "a", dup(a));
            table.put(m2, "b", dup(b));
            assertThat(ProcFds.referring(targetA)).isEqualTo(2);

            table.closeAll(m1);
            assertThat(ProcFds.referring(targetA)).isEqualTo(1);
            assertThat(ProcFds.referring(targetB)).as("another monitor's descriptor stays").isEqualTo(2);
            assertThat(table.count(m1)).isZero();
            assertThatThrownBy(() -> table.take(m1, "a")).isInstanceOf(QmpException.class)
                    .hasMessage("File descriptor named 'a' has not been found");

            table.closeAll();
            assertThat(ProcFds.referring(targetB)).as("server shutdown closes the rest").isEqualTo(1);
        }
    }

    @Test
    void take_hands_the_descriptor_over_without_closing_it() throws Exception {
        try (TestServer t = new TestServer(); AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            t.monitor("m1", true, false);
            Monitor m1 = t.server.monitors().get(0);
            String target = ProcFds.target(a.getSocket1().getFileDescriptor());
            MonitorFdTable table = new MonitorFdTable(new io.qmpd.io.NameMemory(Long.MAX_VALUE));
            FileDescriptor fd = dup(a);
            table.put(m1, "a", fd);
            assertThat(table.take(m1, "a")).isSameAs(fd);
            table.closeAll(m1);
            assertThat(ProcFds.referring(target)).as("the taker owns it now").isEqualTo(2);
            new java.io.FileInputStream(fd).close();
            assertThat(ProcFds.referring(target)).isEqualTo(1);
        }
    }

    @Test
    void a_monitor_names_at_most_its_limit_and_a_descriptor_past_it_is_closed() throws Exception {
        try (TestServer t = new TestServer(); AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            t.monitor("m1", true, false);
            Monitor m1 = t.server.monitors().get(0);
            String target = ProcFds.target(a.getSocket1().getFileDescriptor());
            MonitorFdTable table = new MonitorFdTable(new io.qmpd.io.NameMemory(Long.MAX_VALUE));
            for (int i = 0; i < MonitorFdTable.NAMES_PER_MONITOR; i++) {
                table.put(m1, "n" + i, dup(a));
            }
            assertThatThrownBy(() -> table.put(m1, "one-more", dup(a)))
                    .isInstanceOf(QmpException.class)
                    .hasMessage("too many file descriptors named by this monitor (limit 256)");
            table.put(m1, "n0", dup(a)); // a name already held is replaced, not refused
            assertThat(ProcFds.referring(target)).isEqualTo(1 + MonitorFdTable.NAMES_PER_MONITOR);
            table.closeAll(m1);
            assertThat(ProcFds.referring(target)).isEqualTo(1);
        }
    }
}
