package tcpestats.config;

import org.junit.jupiter.api.Test;
import org.snmp4j.smi.OID;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserDirectivesTest {
    private static AgentConfig parse(String... lines) throws ConfigException {
        return ConfigParser.parse("test.conf", List.of(lines));
    }

    private static String error(String... lines) {
        return assertThrows(ConfigException.class, () -> parse(lines)).getMessage();
    }

    @Test
    void createUserRouserRwuserAndPersistentDirAsInSnmpdConf() throws Exception {
        AgentConfig cfg = parse("createUser admin SHA-512 authpass123 AES-256 privpass123",
                "createUser reader sha-256 authpass123 AES",
                "createUser signer SHA-256 authpass123",
                "rouser reader", "rouser -s usm signer auth .1.3.6.1.2.1.156", "rwuser admin priv",
                "persistentDir /var/lib/tcp-estats-agent");
        assertEquals(List.of(new SnmpUser("admin", "SHA-512", "authpass123", "AES-256", "privpass123"),
                new SnmpUser("reader", "SHA-256", "authpass123", "AES", "authpass123"),
                new SnmpUser("signer", "SHA-256", "authpass123", null, null)), cfg.users());
        assertEquals(List.of(new Vacm.GroupMember("rouser1", Vacm.Model.USM, "reader"),
                new Vacm.GroupMember("rouser2", Vacm.Model.USM, "signer"),
                new Vacm.GroupMember("rwuser3", Vacm.Model.USM, "admin")), cfg.vacm().groups());
        assertEquals(List.of(new Vacm.Access("rouser1", Vacm.Model.USM, Vacm.Level.AUTH, "rouser1", ""),
                new Vacm.Access("rouser2", Vacm.Model.USM, Vacm.Level.AUTH, "rouser2", ""),
                new Vacm.Access("rwuser3", Vacm.Model.USM, Vacm.Level.PRIV, "rwuser3", "rwuser3")),
                cfg.vacm().accesses());
        assertEquals(new OID("1.3.6.1.2.1.156"), cfg.vacm().views().get(1).subtree());
        assertEquals(Optional.of(Path.of("/var/lib/tcp-estats-agent")), cfg.persistentDir());
        assertFalse(cfg.users().toString().contains("authpass123"), "passphrases stay out of logs");
    }

    @Test
    void malformedUsersAreErrorsThatNameTheProblem() {
        assertTrue(error("createUser u MD5 authpass123").contains("MD5 is not supported"));
        assertTrue(error("createUser u SHA authpass123").contains("SHA is not supported"));
        assertTrue(error("createUser u SHA-256 short").contains("at least 8 characters"));
        assertTrue(error("createUser u SHA-256 authpass123 DES privpass123").contains("DES is not supported"));
        assertTrue(error("createUser u SHA-256 authpass123 AES tiny").contains("privacy passphrase"));
        assertTrue(error("createUser -e 0x8000 u SHA-256 authpass123").contains("-e is not supported"));
        assertTrue(error("createUser u").contains("expected createUser"));
        assertTrue(error("createUser u SHA-256 authpass123", "createUser u SHA-256 authpass123")
                .contains("already defined"));
        assertTrue(error("rouser u secret").contains("level must be noauth, auth or priv"));
        assertTrue(error("rouser -s v2c u").contains("-s v2c is not supported"));
        assertTrue(error("createUser u SHA-256 authpass123", "rouser u priv -V all").contains(
                "no view line defines the view 'all'"));
        assertTrue(error("rouser u priv system").contains("not a numeric OID"));
        String missing = error("# users", "rouser ghost priv");
        assertTrue(missing.startsWith("test.conf:2: user ghost has no createUser line"), missing);
    }
}
