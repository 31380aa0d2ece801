package tcpestats.snmp4j;

import org.junit.jupiter.api.Test;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.MOServer;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiled views answer every view check as SNMP4J-Agent's VacmMIB does (the oracle), for views
 * with nested included and excluded subtrees and masks, and follow changes of the family table.
 */
class CompiledViewsTest {
    private static final String ESTATS = "1.3.6.1.2.1.156";

    private final DefaultMOServer server = new DefaultMOServer();
    private final VacmMIB vacm = new VacmMIB(new MOServer[]{server});
    private final CompiledViews compiled;

    CompiledViewsTest() throws Exception {
        vacm.registerMOs(server, null);
        compiled = CompiledViews.of(vacm, server.getManagedObject(VacmMIB.vacmViewTreeFamilyEntryOID, null));
        family("all", ".1", "", true);
        family("estats", ESTATS, "", true);
        family("estats", ESTATS + ".1.1.3.1.5", "", false); // a column of tcpEStatsPerfTable
        family("estats", ESTATS + ".1.1.3.1.5.7", "", true); // one cell of it again
        family("estats", "1.3.6.1.2.1.6.19.1.0.1", "ffbf", true); // a mask: any column, IPv4 rows
        family("estats", "1.3.6.1.2.1.1", "", true);
        family("e", "1.3.6.1.2.1.6", "", true); // a view named as a prefix of another's name
        family("none", ".1", "", false);
    }

    private void family(String view, String subtree, String mask, boolean included) {
        vacm.addViewTreeFamily(new OctetString(view), new OID(subtree), OctetString.fromHexString(mask),
                included ? VacmMIB.vacmViewIncluded : VacmMIB.vacmViewExcluded, StorageType.volatile_);
    }

    @Test
    void everyCheckIsVacmMibs() {
        List<OID> oids = oids();
        int checked = 0;
        for (String view : List.of("all", "estats", "e", "none", "missing", "")) {
            for (OID oid : oids) {
                assertEquals(vacm.isAccessAllowed(new OctetString(view), oid),
                        compiled.isAccessAllowed(new OctetString(view), oid), view + " " + oid);
                checked++;
            }
        }
        assertTrue(checked > 1000);
        assertEquals(VACM.VACM_OK, compiled.isAccessAllowed(new OctetString("estats"),
                new OID(ESTATS + ".1.1.3.1.5.7")), "the included cell inside the excluded column");
        assertEquals(VACM.VACM_NOT_IN_VIEW, compiled.isAccessAllowed(new OctetString("estats"),
                new OID(ESTATS + ".1.1.3.1.5.8")));
    }

    @Test
    void aChangedFamilyTableIsSeenAtOnce() {
        OctetString estats = new OctetString("estats");
        OID cell = new OID(ESTATS + ".1.1.3.1.1.42");
        assertEquals(VACM.VACM_OK, compiled.isAccessAllowed(estats, cell));
        family("estats", ESTATS + ".1.1.3.1.1", "", false);
        assertEquals(VACM.VACM_NOT_IN_VIEW, compiled.isAccessAllowed(estats, cell), "after a family was added");
        vacm.removeViewTreeFamily(estats, new OID(ESTATS + ".1.1.3.1.1"));
        assertEquals(VACM.VACM_OK, compiled.isAccessAllowed(estats, cell), "after it was removed");
        assertEquals(VACM.VACM_NO_SUCH_VIEW, compiled.isAccessAllowed(new OctetString("later"), cell));
        family("later", ESTATS, "", true);
        assertEquals(VACM.VACM_OK, compiled.isAccessAllowed(new OctetString("later"), cell), "a view added later");
    }

    private static List<OID> oids() {
        List<OID> oids = new ArrayList<>();
        for (String s : List.of("1", "1.3", "1.3.6.1.2.1", "1.3.6.1.2.1.1.1.0", "1.3.6.1.2.1.6.19.1.7.1.4.127.0.0.1.80",
                "1.3.6.1.2.1.6.19.1.7.2.16.0", "1.3.6.1.2.1.6.19.1.8.1.4.10.0.0.1", "1.3.6.1.2.1.6.19.1",
                ESTATS, ESTATS + ".1.1.3.1.5", ESTATS + ".1.1.3.1.5.7", ESTATS + ".1.1.3.1.5.7.1",
                ESTATS + ".1.1.3.1.5.8", ESTATS + ".1.1.3.1.4.7", "1.3.6.1.2.1.157", "1.3.6.1.6.3.16.1")) {
            oids.add(new OID(s));
        }
        Random random = new Random(4898);
        for (int i = 0; i < 300; i++) {
            OID oid = new OID(random.nextBoolean() ? ESTATS + ".1.1" : "1.3.6.1.2.1.6.19.1");
            int length = random.nextInt(8);
            for (int j = 0; j < length; j++) {
                oid.append(random.nextInt(random.nextInt(3) == 0 ? 3 : 10));
            }
            oids.add(oid);
        }
        return oids;
    }
}
