package io.halfopen.testkit.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes one ring-buffer page as {@code per_cpu/cpuN/trace_pipe_raw} hands it out: the page header, then
 * records of 4-byte headers (type_len, time delta) in time order, with time extensions, absolute timestamps
 * and padding between them (the layout is checked by {@link PageLayout}; the decoding follows the kernel's
 * {@code rb_event_length} and libtraceevent's {@code kbuffer}). Records of {@code sock:inet_sock_set_state} are
 * handed to a {@link Sink} with their absolute timestamps; every other record is counted and skipped.
 *
 * <p>Stateless; pages are read in native byte order (the kernel writes them so), addresses in network order.
 */
public final class RingBufferPages {

    /** Receives the tracepoint's records of one page, in time order. */
    public interface Sink {
        /**
         * One state change of one socket.
         *
         * @param nanos    when, in the trace clock ({@code mono}: the clock of {@link System#nanoTime()})
         * @param socket   the socket's kernel address
         * @param oldState the state it left ({@code include/net/tcp_states.h})
         * @param newState the state it entered
         * @param sport    its local port (0 while it is not bound yet, e.g. on entering SYN_SENT)
         * @param dport    its destination port
         * @param protocol its protocol (6 for TCP)
         * @param addrHigh the destination address's first 8 bytes, big-endian (IPv4 is mapped: ::ffff:a.b.c.d)
         * @param addrLow  its last 8 bytes
         */
        void record(long nanos, long socket, int oldState, int newState, int sport, int dport, int protocol,
                long addrHigh, long addrLow);
    }

    /**
     * What one page held besides the records handed out.
     *
     * @param records     how many data records it held (of any event), as the kernel counts read events
     * @param lost        events the kernel says were lost before this page (-1: some, number unknown)
     * @param dataLength  the length of the page's data, to tell a full page from a partial one
     */
    public record PageSummary(int records, long lost, int dataLength) {
    }

    private final PageLayout pages;
    private final EventLayout event;

    /**
     * Creates a decoder for one kernel's layouts.
     *
     * @param pages the page layout
     * @param event the tracepoint's record layout
     */
    public RingBufferPages(final PageLayout pages, final EventLayout event) {
        this.pages = pages;
        this.event = event;
    }

    /**
     * Decodes a page.
     *
     * @param page the page, from position 0 to its limit
     * @param sink receives the tracepoint's records
     * @return what else the page said
     * @throws IllegalStateException if the page is malformed (a record runs past the data)
     */
    public PageSummary decode(final ByteBuffer page, final Sink sink) {
        page.order(ByteOrder.nativeOrder());
        long nanos = page.getLong(0);
        final long commit = page.getLong(8);
        final int length = (int) (commit & ~(PageLayout.MISSED_EVENTS | PageLayout.MISSED_STORED));
        final int start = pages.dataOffset();
        final int end = start + length;
        if (length < 0 || end > page.limit()) {
            throw new IllegalStateException("a trace page says it holds " + length + " bytes of data, more than its "
                    + (page.limit() - start));
        }
        long lost = 0;
        if ((commit & PageLayout.MISSED_EVENTS) != 0) {
            lost = (commit & PageLayout.MISSED_STORED) != 0 && end + 8 <= page.limit() ? page.getLong(end) : -1;
        }
        int records = 0;
        int at = start;
        while (at + 4 <= end) {
            final int header = page.getInt(at);
            final int typeLength = header & 0x1f;
            final long delta = header >>> 5;
            final int next;
            switch (typeLength) {
                case PageLayout.PADDING -> {
                    if (delta == 0) {
                        return new PageSummary(records, lost, length); // the rest of the page is empty
                    }
                    // a record discarded in place (by a filter, when the per-CPU scratch buffer was busy): the next
                    // record's delta counts from it, as libtraceevent's kbuffer reads it
                    nanos += delta;
                    next = at + 4 + page.getInt(at + 4);
                }
                case PageLayout.TIME_EXTEND -> {
                    nanos += ((long) page.getInt(at + 4) << PageLayout.TS_SHIFT) | delta;
                    next = at + 8;
                }
                case PageLayout.TIME_STAMP -> {
                    nanos = absolute(((long) page.getInt(at + 4) << PageLayout.TS_SHIFT) | delta, nanos);
                    next = at + 8;
                }
                default -> {
                    nanos += delta;
                    final int data;
                    final int size;
                    if (typeLength == 0) {
                        data = at + 8;
                        size = page.getInt(at + 4) - 4;
                    } else {
                        data = at + 4;
                        size = typeLength * 4;
                    }
                    next = data + ((size + 3) & ~3);
                    if (next > end) {
                        throw new IllegalStateException("a trace record at " + at + " runs past its page's data ("
                                + end + ")");
                    }
                    records++;
                    if (size >= event.size() && (page.getShort(data + event.type()) & 0xffff) == event.id()) {
                        sink.record(nanos, page.getLong(data + event.skaddr()), page.getInt(data + event.oldstate()),
                                page.getInt(data + event.newstate()), page.getShort(data + event.sport()) & 0xffff,
                                page.getShort(data + event.dport()) & 0xffff,
                                page.getShort(data + event.protocol()) & 0xffff,
                                bigEndian(page, data + event.daddrV6()), bigEndian(page, data + event.daddrV6() + 8));
                    }
                }
            }
            if (next <= at) {
                throw new IllegalStateException("a trace record at " + at + " has length " + (next - at));
            }
            at = next;
        }
        return new PageSummary(records, lost, length);
    }

    private static long bigEndian(final ByteBuffer page, final int at) {
        final long value = page.getLong(at);
        return page.order() == ByteOrder.BIG_ENDIAN ? value : Long.reverseBytes(value);
    }

    /** The kernel's {@code rb_fix_abs_ts}: an absolute stamp keeps only 59 bits; the rest come from the last one. */
    private static long absolute(final long stamp, final long previous) {
        final long mostSignificant = 0xf8L << 56;
        long full = stamp;
        if ((previous & mostSignificant) != 0) {
            full |= previous & mostSignificant;
            if (Long.compareUnsigned(full, previous) < 0) {
                full += 1L << 59;
            }
        }
        return full;
    }
}
