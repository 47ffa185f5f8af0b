package io.halfopen.sim.population;

import java.util.SplittableRandom;

/**
 * How an infected host picks the next address to scan. Addresses are 32-bit; the simulated space is the first
 * Ω of them, and an address outside it is dead.
 */
public enum ScanStrategy {

    /** Uniformly at random in the space: the random-constant-spread worm of Staniford, Paxson and Weaver. */
    UNIFORM("uniform") {
        @Override
        int next(final Worm worm, final SplittableRandom random, final long space) {
            return (int) random.nextLong(space);
        }
    },

    /**
     * Sasser's: half completely random, a quarter with the same first octet as the infected host (its /8), a
     * quarter with the same first two octets (its /16) (Symantec's and F-Secure's write-ups of W32.Sasser).
     * "Completely random" is random in the simulated space; in a space of 2^24 the host's /8 is the space itself,
     * and in a smaller space a block larger than the space (its /8, below 2^16 its /16 too) is the space: a scaled
     * population keeps every pick inside, as every pick of the worm was inside the Internet.
     */
    SASSER("sasser") {
        @Override
        int next(final Worm worm, final SplittableRandom random, final long space) {
            final double u = random.nextDouble();
            if (u < 0.5) {
                return (int) random.nextLong(space);
            }
            if (u < 0.75) {
                return inOwnBlock(worm.address(), 1 << 24, random, space);
            }
            return inOwnBlock(worm.address(), 1 << 16, random, space);
        }
    },

    /**
     * Blaster's: sequential from a start, one address after the other (wrapping within the space). The start is
     * the host's own /16 with the third octet lowered by 20 (if above 20) with probability 0.4, otherwise a random
     * /24 in the space (the CAIDA and eEye analyses of W32.Blaster).
     */
    BLASTER("blaster") {
        @Override
        int next(final Worm worm, final SplittableRandom random, final long space) {
            long cursor = worm.cursor();
            if (cursor < 0) {
                if (random.nextDouble() < 0.4) {
                    final int own = worm.address();
                    final int third = (own >>> 8) & 0xff;
                    cursor = Integer.toUnsignedLong((own & 0xFFFF0000) | ((third > 20 ? third - 20 : 0) << 8));
                } else {
                    cursor = random.nextLong(space) & ~0xFFL;
                }
                cursor %= space;
            }
            worm.cursor((cursor + 1) % space);
            return (int) cursor;
        }
    };

    private final String word;

    ScanStrategy(final String word) {
        this.word = word;
    }

    /**
     * Returns the word that names it: uniform, sasser, blaster.
     *
     * @return the word
     */
    public String word() {
        return word;
    }

    /**
     * Reads a word.
     *
     * @param word uniform, sasser or blaster
     * @return the strategy
     */
    public static ScanStrategy of(final String word) {
        for (final ScanStrategy s : values()) {
            if (s.word.equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scanning strategy '" + word + "' (uniform, sasser, blaster)");
    }

    abstract int next(Worm worm, SplittableRandom random, long space);

    /**
     * A random address in the block of {@code block} addresses (a power of two) that holds {@code own}, within
     * the space: a block larger than the space is the space itself, which stands for the whole address space
     * scaled down, so that no local pick leaves it. One {@code nextInt} either way.
     */
    static int inOwnBlock(final int own, final int block, final SplittableRandom random, final long space) {
        final int size = (int) Math.min(block, space);
        return (own & -size) | (random.nextInt() & (size - 1));
    }
}
