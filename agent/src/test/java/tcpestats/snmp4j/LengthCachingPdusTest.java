package tcpestats.snmp4j;

import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.asn1.BEROutputStream;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.VariableBinding;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The remembered lengths always equal what SNMP4J computes and encodes, as a response is built and changed. */
class LengthCachingPdusTest {
    private final Random random = new Random(4898);

    @Test
    void v2cResponseLengthFollowsEveryChange() throws IOException {
        buildAndChange(() -> (PDU) LengthCachingPdus.V2C.createPDU((org.snmp4j.mp.MessageProcessingModel) null));
    }

    @Test
    void scopedResponseLengthFollowsEveryChange() throws IOException {
        buildAndChange(() -> {
            ScopedPDU pdu = (ScopedPDU) LengthCachingPdus.V3.createPDU((org.snmp4j.mp.MessageProcessingModel) null);
            pdu.setContextEngineID(new OctetString(new byte[]{(byte) 0x80, 0, 0x1f, (byte) 0x88, 4, 1, 2, 3}));
            pdu.setContextName(new OctetString(""));
            return pdu;
        });
    }

    @Test
    void whileABulkRunsTheNewestAreCheckedAfterItEveryVarbind() throws IOException {
        PDU response = (PDU) LengthCachingPdus.V2C.createPDU((org.snmp4j.mp.MessageProcessingModel) null);
        response.setType(PDU.RESPONSE);
        LengthCachingPdus.VarbindLengths lengths = LengthCachingPdus.lengthsOf(response);
        lengths.checkNewest(4);
        for (int i = 0; i < 300; i++) {
            // as the bulk handler: a repetition appended, the previous one filled in, this one set up
            VariableBinding vb = new VariableBinding(new OID("1.3.6.1.2.1.156.1.1.3.1.5." + i));
            response.add(vb);
            check(response);
            if (i > 0) {
                response.get(i - 1).setVariable(new Counter64(random.nextLong() >>> random.nextInt(64)));
            }
            vb.setOid(new OID("1.3.6.1.2.1.156.1.1.3.1.6." + random.nextInt(1 << 20)));
            check(response);
        }
        response.getVariableBindings().subList(290, 300).clear(); // the repetitions that did not fit
        check(response);
        lengths.checkAll();
        response.get(7).setVariable(new OctetString(new byte[200]));
        check(response);
        response.get(0).setOid(new OID("1.3.6.1.2.1.156.1.1.3.1.6.4294967295"));
        check(response);
    }

    /** As SNMP4J-Agent does: clone the request, add varbinds, fill them in, drop the tail. */
    private void buildAndChange(Supplier<PDU> request) throws IOException {
        PDU req = request.get();
        req.setType(PDU.GETBULK);
        req.setMaxRepetitions(300);
        req.add(new VariableBinding(new OID("1.3.6.1.2.1.156.1.1.3")));
        PDU response = (PDU) req.clone();
        assertEquals(req.getClass(), response.getClass(), "clones keep the remembered lengths");
        response.clear();
        response.setType(PDU.RESPONSE);
        response.setErrorStatus(0);
        response.setErrorIndex(0);
        check(response);
        for (int i = 0; i < 300; i++) {
            VariableBinding vb = new VariableBinding();
            response.add(vb);
            check(response);
            vb.setOid(new OID("1.3.6.1.2.1.156.1.1.3.1." + (1 + i % 31) + "." + random.nextInt(1 << 20)));
            vb.setVariable(i % 3 == 0 ? new Counter64(random.nextLong() >>> random.nextInt(64))
                    : new Gauge32(random.nextLong(1L << 32)));
            check(response);
        }
        response.get(7).setVariable(new OctetString(new byte[200]));
        check(response);
        response.get(8).getOid().append(2_000_000);
        check(response);
        response.get(9).setVariable(Null.endOfMibView);
        check(response);
        response.getVariableBindings().subList(100, 300).clear();
        check(response);
        response.remove(0);
        response.setRequestID(new org.snmp4j.smi.Integer32(random.nextInt()));
        response.setErrorStatus(PDU.tooBig);
        check(response);
    }

    /** Against SNMP4J's own computation on a plain copy, and the bytes it encodes. */
    private static void check(PDU pdu) throws IOException {
        PDU plain = pdu instanceof ScopedPDU s ? new ScopedPDU(s) : new PDU(pdu);
        assertEquals(plain.getBERLength(), pdu.getBERLength());
        BEROutputStream out = new BEROutputStream(ByteBuffer.allocate(pdu.getBERLength() + 16));
        pdu.encodeBER(out);
        assertEquals(pdu.getBERLength(), out.getBuffer().position(), "encoded octets");
    }
}
