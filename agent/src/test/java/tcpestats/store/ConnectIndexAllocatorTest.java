package tcpestats.store;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectIndexAllocatorTest {
    @Test
    void indexesStartAtOneAndAreStablePerCookie() {
        ConnectIndexAllocator a = new ConnectIndexAllocator(1);
        assertEquals(1, a.indexOf(100, 0));
        assertEquals(2, a.indexOf(200, 0));
        assertEquals(1, a.indexOf(100, 0));
    }

    @Test
    void releasedIndexesAreNotReusedBeforeTheCounterWraps() {
        ConnectIndexAllocator a = new ConnectIndexAllocator(1);
        a.indexOf(100, 0);
        a.release(100);
        assertEquals(2, a.indexOf(300, 0));
    }

    @Test
    void wrapSkipsIndexesStillInUse() {
        ConnectIndexAllocator a = new ConnectIndexAllocator(ConnectIndexAllocator.MAX_INDEX - 1);
        assertEquals(ConnectIndexAllocator.MAX_INDEX - 1, a.indexOf(1, 0));
        assertEquals(ConnectIndexAllocator.MAX_INDEX, a.indexOf(2, 0));
        assertEquals(1, a.indexOf(3, 0));
        a.release(1);
        // 2 .. MAX-2 are free, MAX-1 was released, MAX and 1 are in use
        assertEquals(2, a.indexOf(4, 0));
    }

    @Test
    void aPassReleasesOnlyWhatItCouldHaveSeen() {
        ConnectIndexAllocator a = new ConnectIndexAllocator(1);
        a.indexOf(1, 100);
        a.indexOf(2, 100);
        a.indexOf(3, 500); // established while the pass ran
        a.retainOnly(Set.of(1L), 200);
        assertEquals(2, a.size());
        assertEquals(1, a.indexOf(1, 600));
        assertEquals(3, a.indexOf(3, 600));
    }
}
