package io.qmpd.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qmpd.chardev.ProcFds;
import io.qmpd.io.NameMemory;
import io.qmpd.qapi.QmpException;
import io.qmpd.server.ServerInternals;
import io.qmpd.server.TestServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;
import org.newsclub.net.unix.FileDescriptorCast;

/** A monitor's named descriptors, checked against {@code /proc/self/fd}. */
class MonitorFdsTest {

    private static FileDescriptor dup(AFUNIXSocketPair<AFUNIXSocketChannel> pair) throws Exception {
        return FileDescriptorCast.duplicating(pair.getSocket1().getFileDescriptor())
                .getFileDescriptor();
    }

    @Test
    void destroying_a_monitor_closes_its_descriptors_and_only_its_own() throws Exception {
        try (TestServer t = new TestServer();
                AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open();
                AFUNIXSocketPair<AFUNIXSocketChannel> b = AFUNIXSocketPair.open()) {
            t.monitor("m1", true, false);
            t.monitor("m2", true, false);
            Monitor m1 = ServerInternals.monitors(t.server).get(0);
            Monitor m2 = ServerInternals.monitors(t.server).get(1);
            String targetA = ProcFds.target(a.getSocket1().getFileDescriptor());
            String targetB = ProcFds.target(b.getSocket1().getFileDescriptor());
            m1.fds().put("a", dup(a));
            m2.fds().put("b", dup(b));
            assertThat(ProcFds.referring(targetA)).isEqualTo(2);

            t.server.callOnDispatcher(() -> {
                m1.destroy();
                return null;
            });
            m1.closeFuture().join();
            assertThat(ProcFds.referring(targetA)).isEqualTo(1);
            assertThat(ProcFds.referring(targetB))
                    .as("another monitor's descriptor stays")
                    .isEqualTo(2);
            assertThat(m1.fds().count()).isZero();
            assertThatThrownBy(() -> m1.fds().take("a"))
                    .isInstanceOf(QmpException.class)
                    .hasMessage("File descriptor named 'a' has not been found");

            t.server.close();
            assertThat(m2.closeFuture())
                    .as("the server's close destroys every monitor")
                    .isDone();
            assertThat(ProcFds.referring(targetB))
                    .as("server shutdown closes the rest")
                    .isEqualTo(1);
        }
    }

    @Test
    void take_hands_the_descriptor_over_without_closing_it() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            MonitorFds fds = new MonitorFds(new NameMemory(Long.MAX_VALUE));
            String target = ProcFds.target(a.getSocket1().getFileDescriptor());
            FileDescriptor fd = dup(a);
            fds.put("a", fd);
            assertThat(fds.take("a")).isSameAs(fd);
            fds.closeAll();
            assertThat(ProcFds.referring(target)).as("the taker owns it now").isEqualTo(2);
            new FileInputStream(fd).close();
            assertThat(ProcFds.referring(target)).isEqualTo(1);
        }
    }

    @Test
    void a_monitor_names_at_most_its_limit_and_a_descriptor_past_it_is_closed() throws Exception {
        try (AFUNIXSocketPair<AFUNIXSocketChannel> a = AFUNIXSocketPair.open()) {
            NameMemory names = new NameMemory(Long.MAX_VALUE);
            MonitorFds fds = new MonitorFds(names);
            String target = ProcFds.target(a.getSocket1().getFileDescriptor());
            for (int i = 0; i < MonitorFds.NAMES_PER_MONITOR; i++) {
                fds.put("n" + i, dup(a));
            }
            assertThatThrownBy(() -> fds.put("one-more", dup(a)))
                    .isInstanceOf(QmpException.class)
                    .hasMessage("too many file descriptors named by this monitor (limit 1024)");
            fds.put("n0", dup(a)); // a name already held is replaced, not refused
            assertThat(ProcFds.referring(target)).isEqualTo(1 + MonitorFds.NAMES_PER_MONITOR);
            fds.closeAll();
            assertThat(ProcFds.referring(target)).isEqualTo(1);
        }
    }
}
