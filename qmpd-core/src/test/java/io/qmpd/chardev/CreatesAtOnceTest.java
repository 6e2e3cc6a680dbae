package io.qmpd.chardev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which chardev-add backends may be created on the event loop (ADR 7): only those that cannot block. */
class CreatesAtOnceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "{'type': 'null', 'data': {}}                                                           | true",
                "{'type': 'ringbuf', 'data': {'size': 1024}}                                            | true",
                "{'type': 'memory', 'data': {}}                                                         | true",
                "{'type': 'socket', 'data': {'addr': {'type': 'unix', 'data': {'path': '/x'}}}}         | true",
                "{'type': 'socket', 'data': {'addr': {'type': 'unix', 'data': {'path': '/x'}}, 'server': true, 'wait': true}} | true",
                "{'type': 'socket', 'data': {'addr': {'type': 'unix', 'data': {'path': '/x'}}, 'server': false}} | false",
                "{'type': 'socket', 'data': {'addr': {'type': 'inet', 'data': {'host': 'h', 'port': '1'}}}} | false",
                "{'type': 'socket', 'data': {'addr': {'type': 'fd', 'data': {'str': 'f'}}, 'server': false}} | false",
                "{'type': 'socket', 'data': {}}                                                         | false",
                "{'type': 'file', 'data': {'out': '/x'}}                                                | false",
                "{'type': 'pipe', 'data': {'device': '/x'}}                                             | false",
                "{'type': 'stdio', 'data': {}}                                                          | false",
                "{'type': 7}                                                                            | false",
                "'socket'                                                                               | false",
                "[]                                                                                     | false",
            })
    void onlyBackendsThatCannotBlock(String backend, boolean atOnce) throws Exception {
        JsonNode node = JSON.readTree(backend.replace('\'', '"'));
        assertThat(ChardevBackends.BUILTIN.createsAtOnce(node)).isEqualTo(atOnce);
    }

    @Test
    void anAbsentBackendIsLeftToTheDispatcher() {
        assertThat(ChardevBackends.BUILTIN.createsAtOnce(null)).isFalse();
    }
}
