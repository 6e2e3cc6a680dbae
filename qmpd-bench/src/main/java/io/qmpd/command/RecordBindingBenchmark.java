package io.qmpd.command;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether {@link PlainRecords} still pays: binding {@code chardev-add}'s arguments to their record
 * the first time in a fresh JVM (single shot, one per fork), as the daemon's first
 * {@code -chardev} does, through {@code PlainRecords} and through a new Jackson
 * {@code ObjectMapper}. In this package (of qmpd-core's) because {@code PlainRecords} is internal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(10)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class RecordBindingBenchmark {

    private static ObjectNode chardevAddArguments() {
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("id", "qmp0");
        ObjectNode backend = args.putObject("backend").put("type", "socket");
        ObjectNode data = backend.putObject("data").put("server", true).put("wait", false);
        data.putObject("addr").put("type", "unix").putObject("data").put("path", "/run/qmp0.sock");
        return args;
    }

    @Benchmark
    public Object firstBindingThroughPlainRecords() {
        return new PlainRecords()
                .read(ChardevCommands.ChardevAdd.class, chardevAddArguments())
                .orElseThrow();
    }

    @Benchmark
    public Object firstBindingThroughJackson() throws Exception {
        return new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .treeToValue(chardevAddArguments(), ChardevCommands.ChardevAdd.class);
    }
}
