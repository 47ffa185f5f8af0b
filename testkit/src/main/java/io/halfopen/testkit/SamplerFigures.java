package io.halfopen.testkit;

import java.util.Locale;

/**
 * What a {@link SynSentSampler} saw during a watch, whether it judged or ran beside the trace.
 *
 * @param onePeak          the most SYN_SENT sockets in one sample (one more than the truth at a hand-off, at most)
 * @param twoPeak          the most sockets seen by two samples in a row (each was in SYN_SENT between them)
 * @param samples          how many samples it took
 * @param samplesPerSecond its rate
 * @param peakSockets      the {@code /proc} lines behind {@code twoPeak}, for a failure message
 */
public record SamplerFigures(int onePeak, int twoPeak, long samples, double samplesPerSecond, String peakSockets) {

    static SamplerFigures of(final SynSentSampler sampler) {
        return new SamplerFigures(sampler.peak(), sampler.peakSeenTwice(), sampler.samples(),
                sampler.samplesPerSecond(), sampler.peakSeenTwiceSockets());
    }

    /** {@return e.g. "sampled: 11 in one sample, 10 in two in a row; 1234 samples at 650/s"} */
    public String describe() {
        return String.format(Locale.ROOT, "sampled: %d in one sample, %d in two in a row; %d samples at %.0f/s",
                onePeak, twoPeak, samples, samplesPerSecond);
    }
}
