package io.halfopen.testkit;

import java.io.IOException;
import java.util.List;

/** A JVM (run as another user by {@link KernelJudgeTest}) that makes one watch and prints its verdict. */
final class JudgeChild {

    private JudgeChild() {
    }

    static String watchOnce() throws IOException {
        try (LoopbackPeers peers = new LoopbackPeers();
             SynSentWatch watch = KernelJudge.watcher().label("child").watch(List.of(peers.dropping()))) {
            return watch.stop().summary();
        }
    }

    public static void main(final String[] args) throws IOException {
        System.out.println(watchOnce());
    }
}
