package io.halfopen.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TcpModel: XP's SYN timers, losses and the retry after a reset")
class TcpModelTest {

    private static final long S = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    @Test
    @DisplayName("SYNs go at 0, 3 and 9 s and the stack gives up at 21 s")
    void xpsSynSchedule() {
        assertEquals(0, TcpModel.XP.synNanos(0));
        assertEquals(3 * S, TcpModel.XP.synNanos(1));
        assertEquals(9 * S, TcpModel.XP.synNanos(2));
        assertEquals(21 * S, TcpModel.XP.giveUpNanos());
    }

    @Test
    @DisplayName("an accept, a refusal and an unreachable end after the RTT; a drop at the give-up instant")
    void answersEndAfterTheRtt() {
        assertEquals(80 * MS, TcpModel.XP.endNanos(Answer.ACCEPT, 80 * MS, 0));
        assertEquals(80 * MS, TcpModel.XP.endNanos(Answer.REFUSE, 80 * MS, 0));
        assertEquals(80 * MS, TcpModel.XP.endNanos(Answer.UNREACHABLE, 80 * MS, 0));
        assertEquals(21 * S, TcpModel.XP.endNanos(Answer.DROP, 80 * MS, 0));
        assertEquals(Answer.DROP, TcpModel.XP.effective(Answer.DROP, 21 * S));
    }

    @Test
    @DisplayName("after one lost SYN the answer comes RTT after the SYN at 3 s; with all three lost the stack gives up")
    void lostSynsDelayTheAnswer() {
        assertEquals(3 * S + 80 * MS, TcpModel.XP.endNanos(Answer.ACCEPT, 80 * MS, 1));
        assertEquals(9 * S + 80 * MS, TcpModel.XP.endNanos(Answer.ACCEPT, 80 * MS, 2));
        assertEquals(21 * S, TcpModel.XP.endNanos(Answer.ACCEPT, 80 * MS, 3));
        assertEquals(Answer.DROP, TcpModel.XP.effective(Answer.ACCEPT, 21 * S), "an answer that never came");
        assertEquals(Answer.ACCEPT, TcpModel.XP.effective(Answer.ACCEPT, 9 * S + 80 * MS));
    }

    @Test
    @DisplayName("an answer later than the give-up instant comes too late: the attempt times out")
    void aLateAnswerTimesOut() {
        assertEquals(21 * S, TcpModel.XP.endNanos(Answer.ACCEPT, 30 * S, 0));
        assertEquals(Answer.DROP, TcpModel.XP.effective(Answer.ACCEPT, 21 * S));
    }

    @Test
    @DisplayName("SYN losses are drawn per SYN: with a loss of 0.5 about half the attempts lose none")
    void lossesAreDrawnPerSyn() {
        final SplittableRandom random = new SplittableRandom(5);
        final int[] lost = new int[4];
        for (int i = 0; i < 100_000; i++) {
            lost[TcpModel.XP.lostSyns(0.5, random)]++;
        }
        assertEquals(0.5, lost[0] / 100_000.0, 0.01);
        assertEquals(0.25, lost[1] / 100_000.0, 0.01);
        assertEquals(0.125, lost[2] / 100_000.0, 0.01);
        assertEquals(0.125, lost[3] / 100_000.0, 0.01, "all three lost");
        assertEquals(0, TcpModel.XP.lostSyns(0, null), "a lossless path draws nothing");
    }

    @Test
    @DisplayName("with Windows' retry after a reset a refusal holds the slot for 3 more SYNs, 0.5 s apart (KB 175523)")
    void theRetryAfterAResetHoldsTheSlot() {
        final TcpModel windows = TcpModel.XP.withRstRetry(true);
        assertEquals(4 * 80 * MS + 3 * 500 * MS, windows.endNanos(Answer.REFUSE, 80 * MS, 0));
        assertEquals(80 * MS, windows.endNanos(Answer.ACCEPT, 80 * MS, 0), "only resets are retried");
        assertEquals(80 * MS, TcpModel.XP.endNanos(Answer.REFUSE, 80 * MS, 0), "off by default");
    }

    @Test
    @DisplayName("bad settings fail naming the value")
    void badSettingsFail() {
        assertThrows(IllegalArgumentException.class, () -> new TcpModel(Duration.ZERO, 2, 0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new TcpModel(Duration.ofSeconds(3), -1, 0, Duration.ZERO));
    }
}
