package tcpestats.mib;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;
import tcpestats.collect.Endpoint;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexesTest {
    @Test
    void ipv4TupleIsTypeLengthOctetsPortTwice() {
        OID oid = Indexes.connection(new Endpoint(new byte[]{127, 0, 0, 1}, 47344),
                new Endpoint(new byte[]{10, 0, (byte) 200, 9}, 161));
        assertEquals(new OID("1.4.127.0.0.1.47344.1.4.10.0.200.9.161"), oid);
    }

    @Test
    void ipv6TupleHasSixteenOctets() throws Exception {
        byte[] v6 = InetAddress.getByName("2001:db8::1").getAddress();
        OID oid = Indexes.connection(new Endpoint(v6, 80), new Endpoint(v6, 81));
        assertEquals("2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1.80.2.16.32.1.13.184.0.0.0.0.0.0.0.0.0.0.0.1.81",
                oid.toDottedString());
    }

    @Test
    void orderIsLexicographicByTypeThenAddressThenPort() {
        OID v4 = Indexes.connection(new Endpoint(new byte[]{(byte) 200, 0, 0, 1}, 9), new Endpoint(new byte[4], 1));
        OID v4LowerAddress = Indexes.connection(new Endpoint(new byte[]{10, 0, 0, 1}, 60000), new Endpoint(new byte[4], 1));
        OID v6 = Indexes.connection(new Endpoint(new byte[16], 1), new Endpoint(new byte[16], 1));
        assertTrue(v4LowerAddress.compareTo(v4) < 0);
        assertTrue(v4.compareTo(v6) < 0, "every ipv4(1) row precedes the ipv6(2) rows");
    }
}
