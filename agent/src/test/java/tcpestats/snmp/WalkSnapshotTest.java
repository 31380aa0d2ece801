package tcpestats.snmp;

import org.junit.jupiter.api.Test;
import org.snmp4j.agent.DefaultMOContextScope;
import org.snmp4j.agent.DefaultMOQuery;
import org.snmp4j.agent.mo.MOColumn;
import org.snmp4j.agent.mo.MOTableIndex;
import org.snmp4j.agent.mo.MOTableSubIndex;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import tcpestats.collect.Endpoint;
import tcpestats.collect.KernelPass;
import tcpestats.collect.SocketRecord;
import tcpestats.collect.TcpState;
import tcpestats.mib.MibTable;
import tcpestats.mib.Registry;
import tcpestats.store.EstatsControls;
import tcpestats.store.EstatsStore;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A walk keeps the snapshot it started on (one kernel pass, one consistent view); a walk's first
 * request, a GET and a GETNEXT from a row the snapshot lacks take a fresh one. Fed with recorded
 * kernel passes; estatsSnapshotMaxAge 0, so every request that may take a new snapshot does.
 */
class WalkSnapshotTest {
    private final AtomicInteger passes = new AtomicInteger();
    private final EstatsStore store = new EstatsStore(() -> {
        passes.incrementAndGet();
        Endpoint local = new Endpoint(new byte[]{127, 0, 0, 1}, 5000);
        Endpoint remote = new Endpoint(new byte[]{127, 0, 0, 1}, 80);
        SocketRecord base = SocketRecord.established(7, local, remote);
        return new KernelPass(List.of(new SocketRecord(7, 70, TcpState.ESTABLISHED, local, remote, true, 0, 0,
                base.fields())), Map.of(), 0, Set.of(0L));
    }, inode -> 0);
    private final EstatsControls controls = new EstatsControls(java.util.Set.of(), 0);
    private final TableViews views = new TableViews(store, controls, 0, System.nanoTime(), 0);
    private final RegistryTable perf = new RegistryTable(MibTable.PERF, new MOTableIndex(new MOTableSubIndex[]{
            new MOTableSubIndex(SMIConstants.SYNTAX_GAUGE32)}), new MOColumn[0],
            new RegistryTableModel(MibTable.PERF, Registry.columns(MibTable.PERF), views), views);

    private void getNextFrom(OID oid) {
        perf.update(new DefaultMOContextScope(null, oid, false, null, false));
    }

    @Test
    void aWalkKeepsItsSnapshotOtherRequestsTakeAFreshOne() {
        OID segsOut = new OID(MibTable.PERF.entry()).append(1);
        OID tableOid = new OID(MibTable.PERF.entry());
        tableOid.trim(1);
        getNextFrom(tableOid); // the walk's first request: from the table
        assertEquals(1, passes.get());
        int index = (int) store.snapshot(Long.MAX_VALUE, 0).connections().getFirst().connectIndex();
        getNextFrom(new OID(segsOut).append(index)); // continues from its row
        getNextFrom(new OID(segsOut).append(index));
        assertEquals(1, passes.get(), "the walk keeps its snapshot");
        getNextFrom(new OID(segsOut).append(index + 1)); // a row this snapshot does not have
        assertEquals(2, passes.get());
        perf.update(new DefaultMOContextScope(null, new OID(segsOut).append(index), true,
                new OID(segsOut).append(index), true)); // a GET
        assertEquals(3, passes.get());
    }

    @Test
    void oneRequestReadsOneSnapshot() {
        OID tableOid = new OID(MibTable.PERF.entry());
        tableOid.trim(1);
        Object request = new Object();
        Object next = new Object();
        // varbinds that would each take a new snapshot (from the table: not a walk in progress)
        perf.find(new DefaultMOQuery(new DefaultMOContextScope(null, tableOid, false, null, false), false, request), null);
        perf.find(new DefaultMOQuery(new DefaultMOContextScope(null, tableOid, false, null, false), false, request), null);
        assertEquals(1, passes.get(), "the request's second varbind reads the snapshot of its first");
        perf.find(new DefaultMOQuery(new DefaultMOContextScope(null, tableOid, false, null, false), false, next), null);
        assertEquals(2, passes.get(), "the next request takes a fresh one");
    }
}
