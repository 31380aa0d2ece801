package tcpestats.mib;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.UnsignedInteger32;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmiTypeTest {
    @Test
    void counter32IsTheLowHalfOfTheKernelCounter() {
        long kernel = (3L << 32) + 17;
        assertEquals(new Counter32(17), SmiType.COUNTER32.toVariable(kernel));
        assertEquals(new Counter32(0xFFFF_FFFFL), SmiType.COUNTER32.toVariable(0xFFFF_FFFFL));
        assertEquals(new Counter32(0), SmiType.COUNTER32.toVariable(1L << 32));
    }

    @Test
    void zeroBasedCounter32IsAGaugeOnTheWireThatWraps() {
        long kernel = (3L << 32) + 17;
        assertEquals(new Gauge32(17), SmiType.ZERO_BASED_COUNTER32.toVariable(kernel));
    }

    @Test
    void counter64CarriesTheWholeValue() {
        long kernel = (3L << 32) + 17;
        assertEquals(new Counter64(kernel), SmiType.COUNTER64.toVariable(kernel));
    }

    @Test
    void gaugesLatchAtTheirMaximum() {
        assertEquals(new Gauge32(0xFFFF_FFFFL), SmiType.GAUGE32.toVariable(1L << 40));
        assertEquals(new Gauge32(5), SmiType.GAUGE32.toVariable(5));
        assertEquals(new UnsignedInteger32(0xFFFF_FFFFL), SmiType.UNSIGNED32.toVariable(-1));
    }
}
