package io.halfopen.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.halfopen.limiter.ConnectAttempt;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The per-destination cap through the real limiter: k slots per destination within the host's cap, no
 * head-of-line blocking, FIFO within a destination, order of arrival across destinations, keys by address or
 * by /24 and /64; and a randomized run against a model of the rule.
 */
@DisplayName("perDestination: k slots per destination within the host's cap, no head-of-line blocking")
class PerDestinationSpecificationTest {

    private static InetSocketAddress v6(final String address) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), 25);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aBlackHoledDestinationTakesKSlotsAndTheOthersKeepTheRest() {
        final Host host = new Host(AdmissionPolicy.perDestination(2));
        final List<ConnectAttempt> blackHole = host.connect(10, 1);
        final List<ConnectAttempt> others = new ArrayList<>();
        for (int i = 2; i < 12; i++) {
            others.add(host.connect(i));
        }
        assertEquals(2, blackHole.stream().filter(host::granted).count(), "the black hole holds two slots");
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, -1L, -1L), host.grantTimesMillis(others),
                "the other destinations got the other eight at once: nobody waited behind the black hole");
        assertEquals(10, host.halfOpen());
    }

    @Test
    void afreedSlotGoesToTheOldestWaiterWhoseDestinationIsUnderK() {
        final Host host = new Host(AdmissionPolicy.perDestination(1).within(AdmissionPolicy.halfOpenCap(2)));
        final ConnectAttempt a1 = host.connect(1);
        final ConnectAttempt b1 = host.connect(2);
        final ConnectAttempt a2 = host.connect(1); // waits for a1 and for the cap
        final ConnectAttempt c1 = host.connect(3); // waits for the cap
        final ConnectAttempt a3 = host.connect(1);
        b1.established();
        assertEquals(List.of(-1L, 0L, -1L), host.grantTimesMillis(List.of(a2, c1, a3)), "a2 is older but its"
                + " destination is at k; c1 is next in arrival among those that may go");
        a1.refused();
        assertEquals(0L, host.grantedAtMillis(a2), "then a2: FIFO within destination 1");
        assertEquals(-1L, host.grantedAtMillis(a3));
        c1.established();
        assertEquals(-1L, host.grantedAtMillis(a3), "a cap slot is free, but destination 1 is at k");
        a2.established();
        assertEquals(0L, host.grantedAtMillis(a3));
    }

    @Test
    void acrossDestinationsWaitersGoInOrderOfArrival() {
        final Host host = new Host(AdmissionPolicy.perDestination(2).within(AdmissionPolicy.halfOpenCap(1)));
        final ConnectAttempt holder = host.connect(9);
        final List<ConnectAttempt> waiting = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            waiting.add(host.connect(1 + i % 4));
        }
        ConnectAttempt last = holder;
        for (int i = 0; i < waiting.size(); i++) {
            last.established();
            last = waiting.get(i);
            assertEquals(0L, host.grantedAtMillis(last), "waiter " + i);
        }
        assertEquals(waiting, host.grantOrder().subList(1, 13));
    }

    @Test
    void networksAreKeyedByPrefix() {
        final Host host = new Host(AdmissionPolicy.perDestination(1).prefixes(24, 64));
        final ConnectAttempt a = host.connect(Host.address(0, 1));
        final ConnectAttempt sameNet = host.connect(Host.address(0, 200));
        final ConnectAttempt otherNet = host.connect(Host.address(1, 1));
        final ConnectAttempt v6a = host.connect(v6("2001:db8:0:1::1"));
        final ConnectAttempt v6sameNet = host.connect(v6("2001:db8:0:1:ffff::2"));
        final ConnectAttempt v6otherNet = host.connect(v6("2001:db8:0:2::1"));
        assertEquals(List.of(0L, -1L, 0L, 0L, -1L, 0L), host.grantTimesMillis(List.of(a, sameNet, otherNet, v6a,
                v6sameNet, v6otherNet)));
        final Host byAddress = new Host(AdmissionPolicy.perDestination(1));
        byAddress.connect(Host.address(0, 1));
        assertEquals(0L, byAddress.grantedAtMillis(byAddress.connect(Host.address(0, 2))), "by address by default");
        assertEquals(-1L, byAddress.grantedAtMillis(byAddress.connect(new InetSocketAddress(
                Host.address(0, 1).getAddress(), 443))), "the port does not count");
    }

    @Test
    void aRandomRunMatchesAModelOfTheRule() {
        final SplittableRandom random = new SplittableRandom(12);
        final int k = 2;
        final int cap = 4;
        final Host host = new Host(AdmissionPolicy.perDestination(k).within(AdmissionPolicy.halfOpenCap(cap)));
        final List<ConnectAttempt> live = new ArrayList<>();      // granted, not ended
        final List<ConnectAttempt> waiting = new ArrayList<>();   // in arrival order
        final java.util.Map<ConnectAttempt, Integer> dest = new java.util.HashMap<>();
        for (int step = 0; step < 5_000; step++) {
            if (random.nextInt(3) > 0 || live.isEmpty()) {
                final int d = 1 + random.nextInt(5);
                final ConnectAttempt a = host.connect(d);
                dest.put(a, d);
                waiting.add(a);
            } else if (random.nextInt(4) == 0 && !waiting.isEmpty()) {
                final ConnectAttempt a = waiting.remove(random.nextInt(waiting.size()));
                a.cancel();
            } else {
                live.remove(random.nextInt(live.size())).established();
            }
            // the model: admit, in arrival order, every waiter whose destination is under k, while the cap has room
            for (final java.util.Iterator<ConnectAttempt> it = waiting.iterator(); it.hasNext(); ) {
                final ConnectAttempt a = it.next();
                final long sameDest = live.stream().filter(l -> dest.get(l).equals(dest.get(a))).count();
                if (live.size() < cap && sameDest < k) {
                    assertEquals(true, host.granted(a), "step " + step + ": the model admits " + a);
                    live.add(a);
                    it.remove();
                } else {
                    assertEquals(false, host.granted(a), "step " + step + ": the model holds " + a);
                }
            }
            assertEquals(live.size(), host.halfOpen());
            assertEquals(waiting.size(), host.queued());
        }
    }

    @Test
    void badParametersFailAtOnceNamingThem() {
        assertEquals("k", assertThrows(PolicyParameterException.class, () -> AdmissionPolicy.perDestination(0))
                .parameter());
        assertEquals("ipv4Prefix must be between 1 and 32, was 33", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.perDestination(1).prefixes(33, 64)).getMessage());
        assertEquals("ipv6Prefix", assertThrows(PolicyParameterException.class,
                () -> AdmissionPolicy.perDestination(1).prefixes(24, 0)).parameter());
        assertEquals(AdmissionPolicy.perDestination(2).within(AdmissionPolicy.halfOpenCap(10)),
                PolicyRegistry.builtIn().parse("perDestination(k=2, within=halfOpenCap(10))"));
    }
}
