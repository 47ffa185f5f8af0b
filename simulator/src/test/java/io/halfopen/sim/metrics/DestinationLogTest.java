package io.halfopen.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("DestinationLog: distinct destinations, per stream and together")
class DestinationLogTest {

    @Test
    @DisplayName("counts each key once, however often and in whatever order it was added, also after more adds")
    void countsEachKeyOnce() {
        final DestinationLog log = new DestinationLog();
        final Set<Long> reference = new HashSet<>();
        final SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50_000; i++) {
            final long key = random.nextInt(20_000) - 10_000L; // duplicates, negative keys (IPv6 hashes are)
            log.add(key);
            reference.add(key);
            if (i % 10_000 == 0) {
                assertEquals(reference.size(), log.distinct(), "after " + (i + 1) + " adds");
            }
        }
        assertEquals(reference.size(), log.distinct());
        assertEquals(reference.size(), log.distinct(), "counting again changes nothing");
    }

    @Test
    @DisplayName("the union of several logs counts a key that several of them hold once")
    void theUnionCountsSharedKeysOnce() {
        final DestinationLog a = new DestinationLog();
        final DestinationLog b = new DestinationLog();
        final DestinationLog c = new DestinationLog();
        final DestinationLog empty = new DestinationLog();
        final Set<Long> reference = new HashSet<>();
        final SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 30_000; i++) {
            final long key = random.nextLong(40_000);
            (i % 3 == 0 ? a : i % 3 == 1 ? b : c).add(key);
            reference.add(key);
        }
        a.add(Long.MIN_VALUE);
        c.add(Long.MIN_VALUE);
        reference.add(Long.MIN_VALUE);
        assertEquals(reference.size(), DestinationLog.distinctUnion(List.of(a, empty, b, c)));
        assertEquals(0, DestinationLog.distinctUnion(List.of(empty)));
        assertEquals(a.distinct(), DestinationLog.distinctUnion(List.of(a)));
    }
}
