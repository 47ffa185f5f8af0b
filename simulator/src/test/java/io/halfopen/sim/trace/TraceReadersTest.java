package io.halfopen.sim.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.sim.net.Answer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Traces: our CSV, and Zeek's conn.log as TSV and JSON")
class TraceReadersTest {

    @TempDir
    Path dir;

    private Path file(final String name, final String text) throws IOException {
        final Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Nested
    @DisplayName("our CSV")
    class Csv {

        @Test
        @DisplayName("what the writer writes, the reader reads back, IPv6 included")
        void roundTrip() throws IOException {
            final Path f = dir.resolve("t.csv");
            try (TraceWriter w = TraceWriter.open(f)) {
                w.write(0, new InetSocketAddress("192.0.2.7", 80), Answer.ACCEPT, 42_000_000L);
                w.write(1_500_000_000L, new InetSocketAddress("2001:db8::1", 443), Answer.REFUSE, 1_000L);
                w.write(2_000_000_001L, new InetSocketAddress("198.51.100.9", 445), Answer.DROP, 0);
                w.write(3_000_000_000L, new InetSocketAddress("203.0.113.1", 25), Answer.UNREACHABLE, 5_000_000L);
            }
            assertEquals("time,destination,outcome,rtt", Files.readAllLines(f).get(0));
            final Trace t = CsvTrace.read(f);
            assertEquals(List.of(
                    new TraceRecord(0, new InetSocketAddress("192.0.2.7", 80), Answer.ACCEPT, 42_000_000L, 2),
                    new TraceRecord(1_500_000_000L, new InetSocketAddress("2001:db8::1", 443), Answer.REFUSE, 1_000L, 3),
                    new TraceRecord(2_000_000_001L, new InetSocketAddress("198.51.100.9", 445), Answer.DROP, 0, 4),
                    new TraceRecord(3_000_000_000L, new InetSocketAddress("203.0.113.1", 25), Answer.UNREACHABLE,
                            5_000_000L, 5)), t.records());
        }

        @Test
        @DisplayName("records are sorted by time, ties in file order")
        void recordsAreSortedByTime() throws IOException {
            final Trace t = CsvTrace.read(file("s.csv", "time,destination,outcome,rtt\n2,192.0.2.1:1,accepted,0.1\n"
                    + "1,192.0.2.2:1,accepted,0.1\n1,192.0.2.3:1,refused,0.1\n"));
            assertEquals(List.of(3L, 4L, 2L), t.records().stream().map(TraceRecord::line).toList());
        }

        @ParameterizedTest(name = "line {1}: {2}")
        @CsvSource(delimiter = '|', value = {
            "time,dest,outcome,rtt\\n                                          | 1 | the header must be",
            "time,destination,outcome,rtt\\n0,192.0.2.1:80,accepted,0.1\\nx,192.0.2.1:80,accepted,0.1\\n | 3 | time 'x' is not a number",
            "time,destination,outcome,rtt\\n0,192.0.2.1,accepted,0.1\\n         | 2 | is not address:port",
            "time,destination,outcome,rtt\\n0,mail.example.org:25,accepted,0.1\\n | 2 | is not an IP address",
            "time,destination,outcome,rtt\\n0,192.0.2.1:99999,accepted,0.1\\n   | 2 | is not a port",
            "time,destination,outcome,rtt\\n0,192.0.2.1:80,maybe,0.1\\n         | 2 | 'maybe' is not an outcome",
            "time,destination,outcome,rtt\\n0,192.0.2.1:80,accepted,\\n          | 2 | rtt is missing",
            "time,destination,outcome,rtt\\n0,192.0.2.1:80,accepted\\n           | 2 | expected 4 fields",
            "time,destination,outcome,rtt\\n-1,192.0.2.1:80,accepted,0.1\\n      | 2 | is negative"})
        void aMalformedLineFailsWithItsNumber(final String text, final long line, final String what)
                throws IOException {
            final Path f = file("bad.csv", text.replace("\\n", "\n"));
            final TraceFormatException e = assertThrows(TraceFormatException.class, () -> CsvTrace.read(f));
            assertEquals(line, e.line(), e.getMessage());
            assertTrue(e.getMessage().contains(what) && e.getMessage().contains("line " + line), e.getMessage());
        }
    }

    @Nested
    @DisplayName("Zeek conn.log")
    class Zeek {

        private static final String HEADER = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
                + "#unset_field\t-\n#path\tconn\n#open\t2024-05-01-10-00-00\n"
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\t"
                + "orig_bytes\tresp_bytes\tconn_state\n"
                + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\n";

        @Test
        @DisplayName("TSV: S0 is a drop, REJ a refusal, the rest accepts after the duration; UDP is counted and left out")
        void tsvMapsConnStates() throws IOException {
            final Trace t = ZeekConnLog.readTsv(file("conn.log", HEADER
                    + "1714557602.500000\tC2\t10.0.0.5\t40001\t192.0.2.9\t445\ttcp\t-\t-\t-\t-\tS0\n"
                    + "1714557600.000000\tC1\t10.0.0.5\t40000\t192.0.2.8\t80\ttcp\thttp\t0.250000\t10\t20\tSF\n"
                    + "1714557601.000000\tC3\t10.0.0.5\t40002\t192.0.2.10\t25\ttcp\t-\t0.001000\t0\t0\tREJ\n"
                    + "1714557601.100000\tC4\t10.0.0.5\t5353\t192.0.2.11\t53\tudp\tdns\t0.01\t1\t1\tSF\n"
                    + "1714557603.000000\tC5\t10.0.0.5\t40003\t2001:db8::7\t443\ttcp\t-\t-\t-\t-\tSH\n"
                    + "#close\t2024-05-01-10-01-00\n"));
            assertEquals(List.of(
                    new TraceRecord(0, new InetSocketAddress("192.0.2.8", 80), Answer.ACCEPT, 250_000_000L, 10),
                    new TraceRecord(1_000_000_000L, new InetSocketAddress("192.0.2.10", 25), Answer.REFUSE, 1_000_000L, 11),
                    new TraceRecord(2_500_000_000L, new InetSocketAddress("192.0.2.9", 445), Answer.DROP, 0, 9),
                    new TraceRecord(3_000_000_000L, new InetSocketAddress("2001:db8::7", 443), Answer.ACCEPT, 0, 13)),
                    t.records());
            assertEquals(1, t.ignoredNonTcp(), "the UDP line");
            assertEquals(1, t.withoutDuration(), "the SH line has no duration");
            assertTrue(t.summary().contains("1 non-TCP lines left out"), t.summary());
        }

        @Test
        @DisplayName("JSON: the same mapping, ts as epoch seconds or ISO-8601")
        void jsonMapsConnStates() throws IOException {
            final Trace t = ZeekConnLog.readJson(file("conn.json",
                    "{\"ts\":1714557600.0,\"id.orig_h\":\"10.0.0.5\",\"id.resp_h\":\"192.0.2.8\",\"id.resp_p\":80,"
                    + "\"proto\":\"tcp\",\"duration\":0.25,\"conn_state\":\"SF\"}\n"
                    + "{\"ts\":\"2024-05-01T10:00:02.5Z\",\"id.resp_h\":\"192.0.2.9\",\"id.resp_p\":445,"
                    + "\"proto\":\"tcp\",\"conn_state\":\"S0\"}\n"
                    + "{\"ts\":1714557601.0,\"id.resp_h\":\"192.0.2.10\",\"id.resp_p\":25,\"proto\":\"tcp\","
                    + "\"duration\":0.001,\"conn_state\":\"REJ\"}\n"));
            assertEquals(List.of(Answer.ACCEPT, Answer.REFUSE, Answer.DROP),
                    t.records().stream().map(TraceRecord::outcome).toList());
            assertEquals(List.of(0L, 1_000_000_000L, 2_500_000_000L),
                    t.records().stream().map(TraceRecord::timeNanos).toList());
        }

        @Test
        @DisplayName("a malformed TSV line fails with its number and what is wrong")
        void malformedTsvLinesFail() throws IOException {
            final Path wrongCount = file("a.log", HEADER + "1714557600.0\tC1\t10.0.0.5\t1\t192.0.2.8\t80\ttcp\n");
            final TraceFormatException e1 = assertThrows(TraceFormatException.class, () -> ZeekConnLog.readTsv(wrongCount));
            assertEquals(9, e1.line());
            assertTrue(e1.getMessage().contains("expected 12 fields"), e1.getMessage());

            final Path badState = file("b.log", HEADER
                    + "1714557600.0\tC1\t10.0.0.5\t1\t192.0.2.8\t80\ttcp\t-\t0.1\t0\t0\tXYZ\n");
            final TraceFormatException e2 = assertThrows(TraceFormatException.class, () -> ZeekConnLog.readTsv(badState));
            assertTrue(e2.getMessage().contains("line 9") && e2.getMessage().contains("conn_state 'XYZ'"), e2.getMessage());

            final Path noFields = file("c.log", "1714557600.0\tC1\n");
            final TraceFormatException e3 = assertThrows(TraceFormatException.class, () -> ZeekConnLog.readTsv(noFields));
            assertTrue(e3.getMessage().contains("line 1") && e3.getMessage().contains("before the #fields"),
                    e3.getMessage());

            final Path missingColumn = file("d.log", "#fields\tts\tid.resp_h\tproto\n");
            final TraceFormatException e4 = assertThrows(TraceFormatException.class,
                    () -> ZeekConnLog.readTsv(missingColumn));
            assertTrue(e4.getMessage().contains("no 'id.resp_p' column"), e4.getMessage());
        }

        @Test
        @DisplayName("a malformed JSON line fails with its number and what is wrong")
        void malformedJsonLinesFail() throws IOException {
            final Path notJson = file("a.json", "{\"ts\":1.0,\"id.resp_h\":\"192.0.2.8\",\"id.resp_p\":80,"
                    + "\"proto\":\"tcp\",\"conn_state\":\"S0\"}\n{not json\n");
            final TraceFormatException e1 = assertThrows(TraceFormatException.class, () -> ZeekConnLog.readJson(notJson));
            assertEquals(2, e1.line());
            assertTrue(e1.getMessage().contains("not JSON"), e1.getMessage());

            final Path missing = file("b.json", "{\"ts\":1.0,\"id.resp_p\":80,\"proto\":\"tcp\",\"conn_state\":\"S0\"}\n");
            final TraceFormatException e2 = assertThrows(TraceFormatException.class, () -> ZeekConnLog.readJson(missing));
            assertTrue(e2.getMessage().contains("line 1") && e2.getMessage().contains("'id.resp_h' is missing"),
                    e2.getMessage());
        }
    }

    @Test
    @DisplayName("--trace FORMAT:FILE names an unknown format or a missing file")
    void traceFileArgumentsAreChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceFile.workload("pcap:x.pcap"))
                .getMessage().contains("unknown trace format 'pcap'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceFile.workload("csv:/no/such/file.csv"))
                .getMessage().contains("no such file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TraceFile.workload("trace.csv"))
                .getMessage().contains("FORMAT:FILE"));
    }
}
