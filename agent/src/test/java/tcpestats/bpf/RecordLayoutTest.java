package tcpestats.bpf;

import org.junit.jupiter.api.Test;
import tcpestats.collect.KernelCollector;
import tcpestats.collect.Records;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java decoders match the C structs, as the compiled object's BTF describes them. */
class RecordLayoutTest {
    @Test
    void javaLayoutsMatchTheBpfObject() {
        try (BpfObject obj = BpfObject.open(KernelCollector.packagedObject(), "layout")) {
            assertDoesNotThrow(() -> obj.checkStructLayout("estats_sock_record", Records.SOCK_RECORD));
            assertDoesNotThrow(() -> obj.checkStructLayout("estats_event", Records.EVENT));
        }
    }

    @Test
    void aDriftedLayoutIsReported() {
        StructLayout drifted = MemoryLayout.structLayout(
                JAVA_INT.withName("cookie"), JAVA_INT.withName("pad_x"), JAVA_LONG.withName("time_ns"));
        try (BpfObject obj = BpfObject.open(KernelCollector.packagedObject(), "layout")) {
            BpfException e = assertThrows(BpfException.class, () -> obj.checkStructLayout("estats_event", drifted));
            assertTrue(e.getMessage().contains("size is " + Records.EVENT.byteSize() + " in C, 16 in Java"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("member time_ns is at byte 0 in C, 8 in Java"), e.getMessage());
            assertTrue(e.getMessage().contains("member type is missing in Java"), e.getMessage());
            assertTrue(e.getMessage().contains("member cookie is missing in C"), e.getMessage());
        }
    }

    @Test
    void theSharedConstantsAreCheckedAgainstTheObject() {
        assertDoesNotThrow(() -> KernelCollector.openChecked().close());
        try (BpfObject obj = BpfObject.open(KernelCollector.packagedObject(), "layout")) {
            BpfException e = assertThrows(BpfException.class, () -> obj.checkEnum("estats_control",
                    java.util.Map.of("ESTATS_CTL_PATH", 1L, "ESTATS_CTL_STACK", 4L, "ESTATS_CTL_APP", 4L)));
            assertTrue(e.getMessage().contains("ESTATS_CTL_STACK is 2 in C, 4 in Java"), e.getMessage());
            e = assertThrows(BpfException.class, () -> obj.checkEnum("estats_event_type",
                    java.util.Map.of("ESTATS_EVENT_ESTABLISHED", 1L)));
            assertTrue(e.getMessage().contains("C has [ESTATS_EVENT_ESTABLISHED, ESTATS_EVENT_CLOSED]"),
                    e.getMessage());
        }
    }

    @Test
    void garbageIsRefusedWithLibbpfsMessage() {
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.open(new byte[]{1, 2, 3, 4}, "junk"));
        assertTrue(e.getMessage().startsWith("cannot open BPF object junk: "), e.getMessage());
        assertTrue(e.errno() > 0);
    }
}
