package tcpestats.snmp;

import org.junit.jupiter.api.Test;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.agent.CommandProcessor;
import org.snmp4j.agent.DefaultMOServer;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOScalar;
import org.snmp4j.agent.mo.snmp.CoexistenceInfo;
import org.snmp4j.agent.mo.snmp.CoexistenceInfoProvider;
import org.snmp4j.agent.security.VACM;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.StateReference;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import tcpestats.collect.Endpoint;
import tcpestats.collect.KernelFeatures;
import tcpestats.collect.KernelPass;
import tcpestats.collect.SocketRecord;
import tcpestats.mib.MibTable;
import tcpestats.snmp4j.LengthCachingPdus;
import tcpestats.snmp4j.WalkContinuation;
import tcpestats.snmp4j.WalkingCommandProcessor;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GETBULK answered by our command processor, which continues a walk within a table without the
 * server's lookup, is what SNMP4J-Agent's own command processor answers over the same objects:
 * for repetitions that start before, inside and after the tables, run off a table's end into
 * the next object and the end of the MIB, carry non-repeaters and several repeated varbinds,
 * stop at the response's size, in views that leave out a column, cells or whole tables.
 */
class BulkContinuationTest {
    private static final OID PERF = MibTable.PERF.entry();
    private static final OID CONNECTION = MibTable.TCP_CONNECTION.entry();
    /** Views by name, as the requests' security names select them. */
    private static final Map<String, Predicate<OID>> VIEWS = Map.of(
            "all", oid -> true,
            "noSecondPerfColumn", oid -> !oid.startsWith(new OID(PERF).append(2)),
            "someCells", oid -> oid.hashCode() % 3 != 0,
            "noPerfTable", oid -> !oid.startsWith(PERF));

    private final EstatsStore store = new EstatsStore(BulkContinuationTest::pass, inode -> 0);
    private final EstatsControls controls = new EstatsControls(Set.of(), 0);
    private final TableViews views = new TableViews(store, controls, Long.MAX_VALUE, System.nanoTime(), 0);

    private static KernelPass pass() {
        List<SocketRecord> sockets = new ArrayList<>();
        long cookie = 1;
        for (int host = 1; host <= 4; host++) {
            Endpoint local = new Endpoint(new byte[]{10, 0, 0, (byte) host}, 5000 + host);
            for (int port = 1; port <= 15; port++) {
                Endpoint remote = new Endpoint(new byte[]{10, 0, 1, (byte) port}, 40000 + port);
                // a fourth of them without statistics (TIME_WAIT)
                sockets.add(RecordedSockets.connection(cookie, local, remote, cookie % 4 == 0));
                cookie++;
            }
        }
        return new KernelPass(sockets, Map.of(), 0, Set.of(0L));
    }

    /** A command processor over the tables, a scalar before them and one after, the given views. */
    private CommandProcessor processor(CommandProcessor processor) throws Exception {
        DefaultMOServer server = new DefaultMOServer();
        new RegistryTables(views, controls, store, null, KernelFeatures.all()).register(server, null);
        server.register(new MOScalar<>(new OID("1.3.6.1.2.1.1.1.0"), MOAccessImpl.ACCESS_READ_ONLY,
                new OctetString("before")), null);
        server.register(new MOScalar<>(new OID("1.3.6.1.2.1.200.1.0"), MOAccessImpl.ACCESS_READ_ONLY,
                new Integer32(200)), null);
        processor.addMOServer(server);
        // v2c: the community names the security name, and with it the view
        processor.setCoexistenceProvider(new CoexistenceInfoProvider() {
            @Override
            public CoexistenceInfo[] getCoexistenceInfo(OctetString community) {
                return new CoexistenceInfo[]{new CoexistenceInfo(community, processor.getContextEngineID(),
                        new OctetString())};
            }

            @Override
            public OctetString getCommunity(OctetString securityName, OctetString contextEngineID,
                                            OctetString contextName) {
                return securityName;
            }

            @Override
            public boolean passesFilter(org.snmp4j.smi.Address address, CoexistenceInfo info) {
                return true;
            }
        });
        processor.setVacm(new VACM() {
            @Override
            public int isAccessAllowed(OctetString context, OctetString securityName, int securityModel,
                                       int securityLevel, int viewType, OID oid) {
                return isAccessAllowed(securityName, oid);
            }

            @Override
            public int isAccessAllowed(OctetString viewName, OID oid) {
                return VIEWS.get(viewName.toString()).test(oid) ? VACM_OK : VACM_NOT_IN_VIEW;
            }

            @Override
            public OctetString getViewName(OctetString context, OctetString securityName, int securityModel,
                                           int securityLevel, int viewType) {
                return securityName;
            }
        });
        return processor;
    }

    /** The response of {@code processor} to a GETBULK from {@code view}. */
    private static PDU bulk(CommandProcessor processor, String view, int nonRepeaters, int maxRepetitions,
                            int maxSize, List<OID> oids) {
        PDU[] response = new PDU[1];
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl() {
            @Override
            public <A extends org.snmp4j.smi.Address> int returnResponsePdu(int model, int securityModel,
                    byte[] securityName, int securityLevel, PDU pdu, int maxSizeResponseScopedPDU,
                    StateReference<A> stateReference, StatusInformation statusInformation) {
                response[0] = pdu;
                return 0;
            }
        };
        PDU request = LengthCachingPdus.V2C.createPDU((org.snmp4j.Target<?>) null);
        request.setType(PDU.GETBULK);
        request.setNonRepeaters(nonRepeaters);
        request.setMaxRepetitions(maxRepetitions);
        oids.forEach(oid -> request.add(new VariableBinding(oid)));
        UdpAddress peer = new UdpAddress("127.0.0.1/161");
        processor.processPdu(new CommandResponderEvent<>(dispatcher, null, peer, MPv2c.ID,
                SecurityModel.SECURITY_MODEL_SNMPv2c, view.getBytes(), SecurityLevel.NOAUTH_NOPRIV, new PduHandle(1),
                request, maxSize, new StateReference<>()));
        return response[0];
    }

    @Test
    void bulkResponsesAreSnmp4jAgentsOwn() throws Exception {
        int[] continued = new int[1];
        WalkContinuation counted = new WalkContinuation() {
            @Override
            public boolean next(org.snmp4j.agent.request.SubRequest<?> repetition,
                                java.util.function.Function<OID, Boolean> filter) {
                boolean answered = RegistryTables.CONTINUATION.next(repetition, filter);
                continued[0] += answered ? 1 : 0;
                return answered;
            }

            @Override
            public void end() {
                RegistryTables.CONTINUATION.end();
            }
        };
        CommandProcessor ours = processor(new WalkingCommandProcessor(new OctetString("ours"), counted));
        CommandProcessor oracle = processor(new CommandProcessor(new OctetString("oracle")));
        TableViews.View perf = views.view(MibTable.PERF);
        OID lastPerfRow = perf.indexes()[perf.indexes().length - 1];
        List<List<OID>> starts = List.of(
                List.of(new OID("1.3.6.1.2.1.1")),
                List.of(new OID("1.3.6.1.2.1.6")),
                List.of(CONNECTION),
                List.of(new OID(CONNECTION).append(7)),
                List.of(new OID(PERF).append(1)),
                List.of(new OID(PERF).append(1).append(perf.indexes()[5])),
                List.of(new OID(PERF).append(2).append(lastPerfRow)), // the last cell of a column
                List.of(new OID(PERF).append(99)),
                List.of(new OID("1.3.6.1.2.1.156.1.1.9")),
                List.of(new OID("1.3.6.1.2.1.200.1.0")), // the last object: end of the MIB view
                List.of(new OID(PERF).append(1), new OID(CONNECTION)),
                List.of(new OID("1.3.6.1.2.1.1.1.0"), new OID(PERF).append(3), new OID(PERF).append(1)));
        int compared = 0;
        for (String view : VIEWS.keySet()) {
            for (List<OID> oids : starts) {
                for (int nonRepeaters : new int[]{0, 1}) {
                    for (int maxRepetitions : new int[]{0, 1, 3, 10, 50, 400}) {
                        for (int maxSize : new int[]{484, 1472, 65535}) {
                            PDU expected = bulk(oracle, view, nonRepeaters, maxRepetitions, maxSize, oids);
                            PDU actual = bulk(ours, view, nonRepeaters, maxRepetitions, maxSize, oids);
                            String what = view + " " + oids + " non-repeaters " + nonRepeaters + " max-repetitions "
                                    + maxRepetitions + " max size " + maxSize;
                            assertEquals(expected.getErrorStatus(), actual.getErrorStatus(), what);
                            assertEquals(expected.getVariableBindings(), actual.getVariableBindings(), what);
                            compared += expected.size();
                        }
                    }
                }
            }
        }
        assertTrue(compared > 20_000, "varbinds compared: " + compared);
        assertTrue(continued[0] > compared / 2, "repetitions continued without a lookup: " + continued[0]
                + " of " + compared);
    }
}
