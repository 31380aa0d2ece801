package tcpestats.config;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import tcpestats.config.Vacm.Access;
import tcpestats.config.Vacm.GroupMember;
import tcpestats.config.Vacm.Level;
import tcpestats.config.Vacm.Model;
import tcpestats.config.Vacm.ViewFamily;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessDirectivesTest {
    private static Vacm parse(String... lines) throws ConfigException {
        return ConfigParser.parse("test.conf", List.of(lines)).vacm();
    }

    private static String error(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void communityShorthandsExpandToCom2secGroupAccessAndView() throws Exception {
        Vacm vacm = parse("rocommunity public default",
                "rocommunity lan 10.0.0.0/255.0.0.0 .1.3.6.1.2.1.156",
                "rwcommunity6 v6 ::1 -V estats",
                "view estats included .1.3.6.1.2.1.156");
        assertNull(vacm.communities().get(0).source());
        assertEquals("10.0.0.0/8", vacm.communities().get(1).source().toString());
        assertEquals(128, vacm.communities().get(2).source().prefixLength());
        assertEquals(List.of("rocommunity1", "rocommunity2", "rwcommunity3"),
                vacm.communities().stream().map(Vacm.CommunityMapping::securityName).toList());
        assertEquals(List.of(new GroupMember("rocommunity1", Model.V1, "rocommunity1"),
                new GroupMember("rocommunity1", Model.V2C, "rocommunity1")), vacm.groups().subList(0, 2));
        assertEquals(List.of(new Access("rocommunity1", Model.ANY, Level.NOAUTH, "rocommunity1", ""),
                new Access("rocommunity2", Model.ANY, Level.NOAUTH, "rocommunity2", ""),
                new Access("rwcommunity3", Model.ANY, Level.NOAUTH, "estats", "estats")), vacm.accesses());
        assertEquals(List.of(new ViewFamily("rocommunity1", new OID("1"), new OctetString(), true),
                new ViewFamily("rocommunity2", new OID("1.3.6.1.2.1.156"), new OctetString(), true),
                new ViewFamily("estats", new OID("1.3.6.1.2.1.156"), new OctetString(), true)), vacm.views());
    }

    @Test
    void com2secGroupAccessAndViewAsInSnmpdConf() throws Exception {
        Vacm vacm = parse("com2sec local 127.0.0.1 secret42",
                "com2sec -Cn netns:4026532291 pod 127.0.0.1 podsecret",
                "createUser ops SHA-512 authpass123 AES-256 privpass123",
                "group operators usm ops",
                "group legacy v2c local",
                "view estatsOnly included .1.3.6.1.2.1.156",
                "view estatsOnly excluded .1.3.6.1.2.1.156.1.1.3 ff:a0",
                "view sys included .1.3.6.1.2.1.1 0xfe",
                "access operators \"\" usm priv exact estatsOnly estatsOnly none",
                "access legacy \"\" v2c noauth prefix sys none none",
                "group pods v2c pod",
                "access pods netns:4026532291 v2c noauth exact sys none none");
        SourceNetwork loopback = new SourceNetwork(java.net.InetAddress.getByName("127.0.0.1"), 32);
        assertEquals(List.of(new Vacm.CommunityMapping("secret42", "local", loopback),
                new Vacm.CommunityMapping("podsecret", "pod", loopback, "netns:4026532291")), vacm.communities());
        assertEquals(List.of(new GroupMember("operators", Model.USM, "ops"), new GroupMember("legacy", Model.V2C,
                "local"), new GroupMember("pods", Model.V2C, "pod")), vacm.groups());
        assertEquals(List.of(new Access("operators", Model.USM, Level.PRIV, "estatsOnly", "estatsOnly"),
                new Access("legacy", Model.V2C, Level.NOAUTH, "sys", "", "", true),
                new Access("pods", Model.V2C, Level.NOAUTH, "sys", "", "netns:4026532291", false)), vacm.accesses());
        assertEquals(OctetString.fromHexString("ffa0"), vacm.views().get(1).mask());
        assertEquals(OctetString.fromHexString("fe"), vacm.views().get(2).mask());
        assertEquals(false, vacm.views().get(1).included());
    }

    @Test
    void malformedOrDanglingLinesAreErrorsThatNameTheProblem() {
        assertTrue(error("rocommunity public").contains("rocommunity public: give a SOURCE"));
        assertTrue(error("rocommunity").contains("expected rocommunity COMMUNITY SOURCE [OID | -V VIEW]"));
        assertTrue(error("rocommunity a b c d").contains("expected rocommunity COMMUNITY"));
        assertTrue(error("rocommunity a default .1 extra").contains("expected rocommunity COMMUNITY"));
        assertTrue(error("rocommunity a 10.0.0.0/33").contains("SOURCE '10.0.0.0/33' must be"));
        assertTrue(error("rocommunity a 255.0.255.0/255.0.255.0").contains("not contiguous"));
        assertTrue(error("rocommunity a somehost").contains("SOURCE 'somehost' must be"));
        assertTrue(error("rocommunity a ::1").contains("is IPv6; use rocommunity6"));
        assertTrue(error("rocommunity6 a 127.0.0.1").contains("is IPv4; use rocommunity"));
        assertTrue(error("rocommunity a default system").contains("'system' is not a numeric OID"));
        assertTrue(error("rocommunity a default -V all").startsWith("test.conf:1: no view line defines the view 'all'"));
        assertTrue(error("com2sec -Cn").contains("-Cn needs a CONTEXT"));
        assertTrue(error("com2sec -Cn ctx local default").contains("expected com2sec [-Cn CONTEXT] SECNAME SOURCE"));
        assertTrue(error("com2sec local default").contains("expected com2sec [-Cn CONTEXT] SECNAME SOURCE COMMUNITY"));
        assertTrue(error("com2sec a default public", "com2sec b default public").contains("already mapped"));
        assertTrue(error("group g tsm u").contains("'tsm' is not supported"));
        assertTrue(error("group g v2c nobody").contains("no com2sec line defines the security name 'nobody'"));
        assertTrue(error("group g usm ghost").contains("user ghost has no createUser line"));
        assertTrue(error("com2sec s default c", "group a v2c s", "group b v2c s")
                .contains("already has its access from line 2"));
        assertTrue(error("access g \"\" usm priv exact v v").contains("expected access GROUP"));
        assertTrue(error("access g \"\" tsm priv exact none none none").contains("'tsm' is not supported"));
        assertTrue(error("access g \"\" usm secret exact none none none").contains("level must be noauth, auth or priv"));
        assertTrue(error("access g \"\" usm priv sometimes none none none").contains("exact or prefix"));
        assertTrue(error("access g \"\" v2c priv exact none none none").contains("never authenticated"));
        assertTrue(error("# ", "access g \"\" usm priv exact none none none")
                .startsWith("test.conf:2: access: no group line defines the group 'g'"));
        assertTrue(error("view v maybe .1").contains("included or excluded"));
        assertTrue(error("view v included system").contains("not a numeric OID"));
        assertTrue(error("view v included .1 zz").contains("must be hex octets"));
        assertTrue(error("view v included").contains("expected view NAME"));
    }
}
