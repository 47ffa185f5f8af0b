package io.halfopen.testkit.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A CPU's reader ends only when closed. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class CpuReaderTest {

    /**
     * {@code trace_pipe_raw} sometimes returns nothing without blocking though records are waiting (seen while a
     * network namespace was torn down); the reader once took that for the end and stopped reading its CPU, so the
     * watch's catch-up waited for records nobody would read. A file at its end reads the same way.
     */
    @Test
    void aReadThatReturnsNothingIsRetriedNotTakenForTheEnd(@TempDir final Path dir) throws Exception {
        final Path empty = Files.createFile(dir.resolve("trace_pipe_raw"));
        final CpuReader reader = new CpuReader(0, empty, 4096,
                new RingBufferPages(PageLayout.parse(RingBufferPagesTest.HEADER_PAGE, RingBufferPagesTest.HEADER_EVENT),
                        EventLayout.parse(RingBufferPagesTest.FORMAT)),
                Destinations.onPorts(List.of(9)));
        reader.start();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reader.emptyReads() < 3 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the reader runs on its own thread
        }
        assertTrue(reader.emptyReads() >= 3, "it read again after nothing came");
        assertTrue(reader.alive(), "still reading");
        reader.close();
        assertFalse(reader.alive(), "closing ends it");
        assertNull(reader.failure());
    }
}
