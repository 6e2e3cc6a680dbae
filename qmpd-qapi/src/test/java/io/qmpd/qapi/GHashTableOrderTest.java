package io.qmpd.qapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The recorded QEMU 7.2 orders of {@code /chardevs} (conformance cases 085, 092, 099, 104, 125),
 * replayed from the exact add/remove history of the conformance run. The container's instance
 * table holds only the children ({@code type} is a class property).
 */
class GHashTableOrderTest {

    @Test
    void reproduces_the_recorded_chardev_orders() {
        GHashTableOrder t = new GHashTableOrder();
        List.of("qmp0", "hmp0", "spare").forEach(t::insert);
        assertThat(t.prependedOrder()).containsExactly("hmp0", "qmp0", "spare"); // 085
        List.of("cnull", "cring", "cring2", "cmem", "csock", "csockw").forEach(t::insert);
        assertThat(t.prependedOrder())
                .containsExactly( // 092
                        "cnull", "cring", "cmem", "hmp0", "qmp0", "spare", "csockw", "cring2", "csock");
        t.remove("csockw");
        t.insert("csockd");
        t.remove("csockd");
        t.insert("ctcp");
        assertThat(t.prependedOrder())
                .containsExactly( // 099
                        "cnull", "ctcp", "cring", "cmem", "hmp0", "qmp0", "spare", "cring2", "csock");
        List.of("cfile", "cpty", "1bad", "", "a b").forEach(t::insert);
        assertThat(t.prependedOrder())
                .containsExactly( // 104
                        "cnull", "ctcp", "cring", "cmem", "hmp0", "qmp0", "spare", "cfile", "", "cpty", "cring2",
                        "csock", "a b", "1bad");
        List.of("cnull", "cfile", "csock").forEach(t::remove);
        assertThat(t.prependedOrder())
                .containsExactly( // 125 (qom-list puts the class property 'type' first)
                        "ctcp", "cring", "cmem", "hmp0", "qmp0", "spare", "", "cpty", "cring2", "a b", "1bad");
    }

    @Test
    void g_str_hash_is_djb2_over_signed_bytes() {
        assertThat(GHashTableOrder.strHash("")).isEqualTo(5381);
        assertThat(GHashTableOrder.strHash("a")).isEqualTo(5381 * 33 + 'a');
        assertThat(GHashTableOrder.strHash("\u00e9")).isEqualTo((5381 * 33 + (byte) 0xc3) * 33 + (byte) 0xa9);
    }

    @Test
    void grows_and_shrinks_without_losing_keys() {
        GHashTableOrder t = new GHashTableOrder();
        for (int i = 0; i < 1000; i++) {
            t.insert("k" + i);
        }
        for (int i = 0; i < 990; i++) {
            t.remove("k" + i);
        }
        assertThat(t.iterationOrder())
                .containsExactlyInAnyOrder(
                        "k990", "k991", "k992", "k993", "k994", "k995", "k996", "k997", "k998", "k999");
    }

    @Test
    void first_is_the_first_key_in_slot_order() {
        GHashTableOrder t = new GHashTableOrder();
        assertThat(t.first()).isNull();
        // g_str_hash * 11 % 7: "b" lands in slot 2, "a" in slot 5, whatever the insertion order
        t.insert("a");
        t.insert("b");
        assertThat(t.first()).isEqualTo("b");
        assertThat(t.iterationOrder()).containsExactly("b", "a");
        t.remove("b");
        assertThat(t.first()).isEqualTo("a");
        t.remove("a");
        assertThat(t.first()).isNull();
    }

    @Test
    void first_matches_iteration_order_across_resizes() {
        GHashTableOrder t = new GHashTableOrder();
        for (int i = 0; i < 200; i++) {
            t.insert("arg-" + i);
            assertThat(t.first()).isEqualTo(t.iterationOrder().get(0));
        }
        for (int i = 0; i < 199; i++) {
            t.remove("arg-" + i);
            assertThat(t.first()).isEqualTo(t.iterationOrder().get(0));
        }
        assertThat(t.first()).isEqualTo("arg-199");
    }
}
