package io.halfopen.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.time.VirtualClock;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 20, defect 5: a computer has one canonical name (IPv6 in RFC 5952's form, an IPv4-mapped address as
 * its IPv4 address), shown in the table and accepted in every spelling by {@code disconnect}, {@code find}
 * and {@link ConnectionInfo#withComputer(String)}; whitespace around the name, before or after its
 * {@code \\}, is not part of it.
 */
@DisplayName("A computer's name is canonical and accepted in every spelling")
class ComputerNameSpellingTest {

    private final VirtualClock clock = new VirtualClock();
    private final InboundSessionLimiter limiter = InboundSessionLimiter.builder().clock(clock).build();

    private static InetSocketAddress ipv6(final int port, final int... groups) throws Exception {
        final byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (groups[i] >> 8);
            bytes[2 * i + 1] = (byte) groups[i];
        }
        return new InetSocketAddress(Inet6Address.getByAddress(null, bytes, -1), port);
    }

    @Test
    void theIpv6LoopbackIsShownInRfc5952Form() throws Exception {
        limiter.admit(ipv6(1, 0, 0, 0, 0, 0, 0, 0, 1));

        assertEquals("::1", limiter.sessions().rows().get(0).computer());
        assertTrue(limiter.sessions().render().contains("\\\\::1 "), limiter.sessions().render());
    }

    @ParameterizedTest(name = "find and disconnect accept \"{0}\" for ::1")
    @ValueSource(strings = {"::1", "\\\\::1", "0:0:0:0:0:0:0:1", "0000:0000:0000:0000:0000:0000:0000:0001",
        "[::1]", "\\\\[::1]", "::0:1", " \\\\::1 "})
    void everySpellingOfAnIpv6AddressFindsItsSession(final String spelling) throws Exception {
        limiter.admit(ipv6(1, 0, 0, 0, 0, 0, 0, 0, 1));

        assertTrue(limiter.sessions().find(spelling).isPresent(), spelling);
        assertEquals(1, limiter.disconnect(spelling), spelling);
        assertEquals(0, limiter.stats().sessions());
    }

    @ParameterizedTest(name = "\"{0}\" names 2001:db8::a:0:0:1")
    @ValueSource(strings = {"2001:db8::a:0:0:1", "2001:DB8:0:0:A:0:0:1", "2001:0db8:0000:0000:000a:0000:0000:0001"})
    void ipv6NamesAreCompressedAndLowerCased(final String spelling) throws Exception {
        limiter.admit(ipv6(1, 0x2001, 0xdb8, 0, 0, 0xa, 0, 0, 1));

        assertEquals("2001:db8::a:0:0:1", limiter.sessions().rows().get(0).computer(),
                "the longest run of zero groups is compressed, the first of two equal runs");
        assertEquals(1, limiter.disconnect(spelling));
    }

    @ParameterizedTest(name = "disconnect accepts \"{0}\" for 127.0.0.2")
    @ValueSource(strings = {"127.0.0.2", "::ffff:127.0.0.2", "::FFFF:7F00:2", "0:0:0:0:0:ffff:7f00:2",
        "\\\\::ffff:127.0.0.2", "[::ffff:127.0.0.2]"})
    void anIpv4MappedSpellingNamesTheIpv4Computer(final String spelling) {
        limiter.admit(Remote.computer(2));

        assertTrue(limiter.sessions().find(spelling).isPresent(), spelling);
        assertEquals(1, limiter.disconnect(spelling), spelling);
    }

    @Test
    void aComputerNamedByTheProtocolWithAnIpv6SpellingIsTheSameComputerAsItsAddress() throws Exception {
        limiter.admit(ipv6(1, 0, 0, 0, 0, 0, 0, 0, 1));
        limiter.admit(ConnectionInfo.fromComputer("0:0:0:0:0:0:0:1"));
        limiter.admit(ConnectionInfo.from(InetSocketAddress.createUnresolved("[::1]", 445)));

        assertEquals(1, limiter.stats().sessions());
        assertEquals(3, limiter.sessions().rows().get(0).connections());
        assertEquals("::1", ConnectionInfo.fromComputer("\\\\0::1").computer());
    }

    @Test
    void anIpv4MappedAddressAndItsIpv4AddressShareOneSession() throws Exception {
        limiter.admit(Remote.computer(2));
        limiter.admit(ipv6(2, 0, 0, 0, 0, 0, 0xffff, 0x7f00, 2));
        limiter.admit(ConnectionInfo.fromComputer("::ffff:127.0.0.2"));

        assertEquals(1, limiter.stats().sessions());
        assertEquals("127.0.0.2", limiter.sessions().rows().get(0).computer());
    }

    @Test
    void aScopedLinkLocalAddressKeepsItsZone() throws Exception {
        final byte[] linkLocal = new byte[16];
        linkLocal[0] = (byte) 0xfe;
        linkLocal[1] = (byte) 0x80;
        linkLocal[15] = 1;
        limiter.admit(new InetSocketAddress(Inet6Address.getByAddress(null, linkLocal, 3), 1));

        assertEquals("fe80::1%3", limiter.sessions().rows().get(0).computer());
        assertEquals(1, limiter.disconnect("FE80:0:0:0:0:0:0:1%3"));
    }

    @ParameterizedTest(name = "\"{0}\" names HOST")
    @ValueSource(strings = {"HOST", "host", "\\\\HOST", "\\\\ HOST", " \\\\HOST ", "\\\\host\t"})
    void whitespaceAroundTheNameIsNotPartOfIt(final String spelling) {
        limiter.admit(ConnectionInfo.fromComputer("HOST"));

        assertEquals("HOST", ConnectionInfo.fromComputer(spelling).computer().toUpperCase(java.util.Locale.ROOT));
        assertEquals(1, limiter.disconnect(spelling), spelling);
    }

    @Test
    void anIpv4AddressNameIsNeverLookedUpAndStaysAsWritten() {
        assertEquals("127.0.0.2", ConnectionInfo.fromComputer("127.0.0.2").computer());
        assertEquals("1234", ConnectionInfo.fromComputer("1234").computer(), "a NetBIOS name, not 0.0.4.210");
    }

    @Test
    void badNamesAreRefusedWithAMessageNamingThem() {
        assertEquals("computer is not a valid IPv6 address: \"::1::2\"",
                assertThrows(IllegalArgumentException.class, () -> ConnectionInfo.fromComputer("::1::2")).getMessage());
        assertEquals("computer is not a valid IPv6 address: \"127.0.0.2:445\"",
                assertThrows(IllegalArgumentException.class, () -> limiter.disconnect("127.0.0.2:445")).getMessage());
        assertEquals("computer must be a computer name, not a path: \"\\\\HOST\\IPC$\"",
                assertThrows(IllegalArgumentException.class, () -> limiter.disconnect("\\\\HOST\\IPC$")).getMessage());
        assertEquals("computer must name a computer, was \"\\\\ \"",
                assertThrows(IllegalArgumentException.class, () -> limiter.sessions().find("\\\\ ")).getMessage());
    }
}
