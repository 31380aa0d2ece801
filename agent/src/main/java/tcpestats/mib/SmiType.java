package tcpestats.mib;

import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The SMI types the registry uses, with the conversion of a 64-bit value from the
 * kernel or the agent: 32-bit counters take the low 32 bits (they wrap like the RFC's
 * counters, and the 64-bit twin carries the full value); Gauge32 and Unsigned32 latch
 * at 2^32-1.
 */
public enum SmiType {
    COUNTER32(SMIConstants.SYNTAX_COUNTER32),
    /**
     * RMON2-MIB's ZeroBasedCounter32: SYNTAX Gauge32 on the wire, but it counts from zero
     * at row creation and wraps at 2^32 like a counter.
     */
    ZERO_BASED_COUNTER32(SMIConstants.SYNTAX_GAUGE32),
    COUNTER64(SMIConstants.SYNTAX_COUNTER64),
    /** HCNUM-TC's ZeroBasedCounter64: SYNTAX Counter64, zero at row creation. */
    ZERO_BASED_COUNTER64(SMIConstants.SYNTAX_COUNTER64),
    GAUGE32(SMIConstants.SYNTAX_GAUGE32),
    UNSIGNED32(SMIConstants.SYNTAX_UNSIGNED_INTEGER32),
    /** INTEGER enumerations (TruthValue, TcpEStatsNegotiated, ...) and Integer32. */
    INTEGER(SMIConstants.SYNTAX_INTEGER32),
    /** TimeStamp: sysUpTime (TimeTicks) at an event; the value is in hundredths of a second. */
    TIMESTAMP(SMIConstants.SYNTAX_TIMETICKS),
    /** DateAndTime, 11 octets in UTC; the value is milliseconds since the epoch. */
    DATE_AND_TIME(SMIConstants.SYNTAX_OCTET_STRING),
    /** OCTET STRING (SIZE(1)); the value is the octet. */
    OCTET(SMIConstants.SYNTAX_OCTET_STRING);

    private static final long MAX32 = 0xFFFF_FFFFL;
    private final int syntax;

    SmiType(int syntax) {
        this.syntax = syntax;
    }

    /** The BER syntax tag, as SNMP4J names it. */
    public int syntax() {
        return syntax;
    }

    public Variable toVariable(long value) {
        return switch (this) {
            case COUNTER32 -> new Counter32(value & MAX32);
            case ZERO_BASED_COUNTER32 -> new Gauge32(value & MAX32);
            case COUNTER64, ZERO_BASED_COUNTER64 -> new Counter64(value);
            case GAUGE32 -> new Gauge32(latch(value));
            case UNSIGNED32 -> new UnsignedInteger32(latch(value));
            case INTEGER -> new Integer32(Math.toIntExact(value));
            case TIMESTAMP -> new TimeTicks(value & MAX32);
            case DATE_AND_TIME -> dateAndTime(value);
            case OCTET -> new OctetString(new byte[]{(byte) value});
        };
    }

    private static long latch(long value) {
        return value < 0 || value > MAX32 ? MAX32 : value;
    }

    /** SNMPv2-TC DateAndTime: year(2) month day hour minutes seconds deci-seconds '+' 0 0. */
    static OctetString dateAndTime(long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
        return new OctetString(new byte[]{
                (byte) (t.getYear() >> 8), (byte) t.getYear(), (byte) t.getMonthValue(), (byte) t.getDayOfMonth(),
                (byte) t.getHour(), (byte) t.getMinute(), (byte) t.getSecond(), (byte) (t.getNano() / 100_000_000),
                (byte) '+', 0, 0});
    }
}
