package io.halfopen.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The page decoder against hand-made pages in the layout of {@code events/header_page} and
 * {@code events/header_event}: deltas, time extensions, absolute stamps, padding, long records, lost events.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RingBufferPagesTest {

    /** The format of sock:inet_sock_set_state on Linux 6.18 (x86-64), as tracefs prints it. */
    static final String FORMAT = """
            name: inet_sock_set_state
            ID: 2287
            format:
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
            \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            \tfield:const void * skaddr;\toffset:8;\tsize:8;\tsigned:0;
            \tfield:int oldstate;\toffset:16;\tsize:4;\tsigned:1;
            \tfield:int newstate;\toffset:20;\tsize:4;\tsigned:1;
            \tfield:__u16 sport;\toffset:24;\tsize:2;\tsigned:0;
            \tfield:__u16 dport;\toffset:26;\tsize:2;\tsigned:0;
            \tfield:__u16 family;\toffset:28;\tsize:2;\tsigned:0;
            \tfield:__u16 protocol;\toffset:30;\tsize:2;\tsigned:0;
            \tfield:__u8 saddr[4];\toffset:32;\tsize:4;\tsigned:0;
            \tfield:__u8 daddr[4];\toffset:36;\tsize:4;\tsigned:0;
            \tfield:__u8 saddr_v6[16];\toffset:40;\tsize:16;\tsigned:0;
            \tfield:__u8 daddr_v6[16];\toffset:56;\tsize:16;\tsigned:0;

            print fmt: "family=%s ..."
            """;

    static final String HEADER_PAGE = """
            \tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;
            \tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;
            \tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;
            \tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;
            """;

    static final String HEADER_EVENT = """
            # compressed entry header
            \ttype_len    :    5 bits
            \ttime_delta  :   27 bits
            \tarray       :   32 bits

            \tpadding     : type == 29
            \ttime_extend : type == 30
            \ttime_stamp : type == 31
            \tdata max type_len  == 28
            """;

    private static final EventLayout LAYOUT = EventLayout.parse(FORMAT);
    private static final RingBufferPages DECODER = new RingBufferPages(PageLayout.parse(HEADER_PAGE, HEADER_EVENT),
            LAYOUT);

    /** A record the sink saw. */
    record Seen(long nanos, long socket, int oldState, int newState, int sport, int dport, long high, long low) {
    }

    /** Writes a page the way the kernel's ring buffer does. */
    static final class Page {
        private final ByteBuffer buffer = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        private int at = 16;
        private long flags;

        Page(final long timestamp) {
            buffer.putLong(0, timestamp);
        }

        private void header(final int typeLength, final long delta) {
            buffer.putInt(at, (int) (delta << 5) | typeLength);
        }

        /** A record of the tracepoint, {@code delta} ns after the previous one. */
        Page record(final long delta, final long socket, final int oldState, final int newState, final int dport,
                final byte[] daddrV6) {
            return record(delta, socket, oldState, newState, dport, daddrV6, false);
        }

        Page record(final long delta, final long socket, final int oldState, final int newState, final int dport,
                final byte[] daddrV6, final boolean longForm) {
            final int size = 72;
            final int data;
            if (longForm) {
                header(0, delta);
                buffer.putInt(at + 4, size + 4);
                data = at + 8;
            } else {
                header(size / 4, delta);
                data = at + 4;
            }
            buffer.putShort(data, (short) LAYOUT.id());
            buffer.putLong(data + LAYOUT.skaddr(), socket);
            buffer.putInt(data + LAYOUT.oldstate(), oldState);
            buffer.putInt(data + LAYOUT.newstate(), newState);
            buffer.putShort(data + LAYOUT.sport(), (short) 40000);
            buffer.putShort(data + LAYOUT.dport(), (short) dport);
            buffer.putShort(data + LAYOUT.protocol(), (short) 6);
            for (int i = 0; i < 16; i++) {
                buffer.put(data + LAYOUT.daddrV6() + i, daddrV6[i]);
            }
            at = data + size;
            return this;
        }

        /** A record of another event, which the decoder must count and skip. */
        Page other(final long delta) {
            header(4, delta);
            buffer.putShort(at + 4, (short) 5);
            at += 4 + 16;
            return this;
        }

        Page timeExtend(final long delta) {
            header(PageLayout.TIME_EXTEND, delta & ((1 << 27) - 1));
            buffer.putInt(at + 4, (int) (delta >>> 27));
            at += 8;
            return this;
        }

        Page timeStamp(final long stamp) {
            header(PageLayout.TIME_STAMP, stamp & ((1 << 27) - 1));
            buffer.putInt(at + 4, (int) (stamp >>> 27));
            at += 8;
            return this;
        }

        Page discarded(final long delta, final int length) {
            header(PageLayout.PADDING, delta);
            buffer.putInt(at + 4, length);
            at += 4 + length;
            return this;
        }

        Page missed(final long count) {
            flags = PageLayout.MISSED_EVENTS | (count >= 0 ? PageLayout.MISSED_STORED : 0);
            if (count >= 0) {
                buffer.putLong(at, count);
            }
            return this;
        }

        ByteBuffer bytes() {
            buffer.putLong(8, (at - 16) | flags);
            return buffer.duplicate().order(ByteOrder.nativeOrder());
        }
    }

    static byte[] mapped(final int a, final int b, final int c, final int d) {
        return new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c,
            (byte) d};
    }

    private static List<Seen> decode(final ByteBuffer page, final RingBufferPages.PageSummary[] summary) {
        final List<Seen> seen = new ArrayList<>();
        summary[0] = DECODER.decode(page, (nanos, socket, oldState, newState, sport, dport, protocol, high, low) ->
                seen.add(new Seen(nanos, socket, oldState, newState, sport, dport, high, low)));
        return seen;
    }

    @Test
    void recordsCarryThePageStampPlusEveryDeltaSoFar() {
        final byte[] loopback = mapped(127, 0, 0, 1);
        final ByteBuffer page = new Page(1_000_000).record(5, 0xffff888100000001L, 7, 2, 8080, loopback)
                .other(10).record(20, 0xffff888100000001L, 2, 1, 8080, loopback).bytes();
        final RingBufferPages.PageSummary[] summary = new RingBufferPages.PageSummary[1];
        final List<Seen> seen = decode(page, summary);
        assertEquals(List.of(
                new Seen(1_000_005, 0xffff888100000001L, 7, 2, 40000, 8080, 0, 0xffff7f000001L),
                new Seen(1_000_035, 0xffff888100000001L, 2, 1, 40000, 8080, 0, 0xffff7f000001L)), seen);
        assertEquals(3, summary[0].records(), "every data record counts, the other event's too");
        assertEquals(0, summary[0].lost());
    }

    @Test
    void aTimeExtensionAddsItsUpperBitsAndAnAbsoluteStampReplacesTheTime() {
        final byte[] loopback = mapped(127, 0, 0, 1);
        final long big = (5L << 27) + 123; // wider than a header's 27 bits
        final ByteBuffer page = new Page(1_000).timeExtend(big).record(0, 1, 7, 2, 1, loopback)
                .timeStamp(9_000_000_000L).record(7, 2, 7, 2, 1, loopback).bytes();
        final List<Seen> seen = decode(page, new RingBufferPages.PageSummary[1]);
        assertEquals(1_000 + big, seen.get(0).nanos());
        assertEquals(9_000_000_007L, seen.get(1).nanos());
    }

    @Test
    void discardedRecordsAreSkippedButTheirTimeCounts() {
        final byte[] loopback = mapped(127, 0, 0, 1);
        final ByteBuffer page = new Page(100).discarded(50, 76).record(1, 3, 7, 2, 1, loopback).bytes();
        final RingBufferPages.PageSummary[] summary = new RingBufferPages.PageSummary[1];
        final List<Seen> seen = decode(page, summary);
        assertEquals(1, seen.size());
        assertEquals(151, seen.get(0).nanos());
        assertEquals(1, summary[0].records(), "a discarded record is not a record the kernel counts as read");
    }

    @Test
    void aLongRecordWithItsLengthInTheNextWordIsRead() {
        final byte[] v6 = new byte[16];
        v6[15] = 1; // ::1
        final ByteBuffer page = new Page(0).record(1, 4, 7, 2, 443, v6, true).record(1, 4, 2, 7, 443, v6).bytes();
        final List<Seen> seen = decode(page, new RingBufferPages.PageSummary[1]);
        assertEquals(2, seen.size());
        assertEquals(new Seen(1, 4, 7, 2, 40000, 443, 0, 1), seen.get(0));
        assertEquals(2, seen.get(1).nanos());
    }

    @Test
    void aPageThatSaysEventsWereLostSaysHowMany() {
        final byte[] loopback = mapped(127, 0, 0, 1);
        final RingBufferPages.PageSummary[] summary = new RingBufferPages.PageSummary[1];
        decode(new Page(0).record(1, 1, 7, 2, 1, loopback).missed(42).bytes(), summary);
        assertEquals(42, summary[0].lost());
        decode(new Page(0).record(1, 1, 7, 2, 1, loopback).missed(-1).bytes(), summary);
        assertEquals(-1, summary[0].lost(), "lost, number unknown");
    }

    @Test
    void aRecordRunningPastThePageIsRefusedNotGuessed() {
        final ByteBuffer page = new Page(0).bytes();
        page.putInt(16, 28); // a 112-byte record...
        page.putLong(8, 8);  // ...in 8 bytes of data
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DECODER.decode(page, (n, s, o, w, sp, dp, p, h, l) -> { }));
        assertTrue(e.getMessage().contains("runs past"), e.getMessage());
    }

    @Test
    void theLayoutIsReadFromTheFormatFile() {
        assertEquals(new EventLayout(2287, 0, 8, 16, 20, 24, 26, 30, 56, 72), LAYOUT);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventLayout.parse(FORMAT.replace("daddr_v6[16];\toffset:56;\tsize:16", "daddr_v6[16];\toffset:56;\tsize:8")));
        assertTrue(e.getMessage().contains("daddr_v6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventLayout.parse(FORMAT.replace("skaddr", "sk")));
    }

    @Test
    void anUnknownPageLayoutIsRefused() {
        final IllegalArgumentException commit = assertThrows(IllegalArgumentException.class,
                () -> PageLayout.parse(HEADER_PAGE.replace("commit;\toffset:8;\tsize:8", "commit;\toffset:8;\tsize:4"),
                        HEADER_EVENT));
        assertTrue(commit.getMessage().contains("commit"), commit.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PageLayout.parse(HEADER_PAGE, HEADER_EVENT.replace("27 bits", "26 bits")));
    }
}
