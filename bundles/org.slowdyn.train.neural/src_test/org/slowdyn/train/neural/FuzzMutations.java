package org.slowdyn.train.neural;

import java.util.SplittableRandom;

/** Byte-level mutations for fuzz tests: bit flips, overwritten runs, extreme integers, truncation, insertion. */
final class FuzzMutations {
    private FuzzMutations() {
    }

    static byte[] mutate(byte[] in, SplittableRandom r) {
        if (in.length == 0) {
            return new byte[] { (byte) r.nextInt(256) };
        }
        byte[] b = in.clone();
        switch (r.nextInt(5)) {
        case 0: {
            int n = 1 + r.nextInt(8);
            for (int i = 0; i < n; i++) {
                b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            return b;
        }
        case 1: {
            int at = r.nextInt(b.length), n = 1 + r.nextInt(16);
            for (int i = at; i < Math.min(b.length, at + n); i++) {
                b[i] = (byte) r.nextInt(256);
            }
            return b;
        }
        case 2: {
            int[] extremes = { 0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, r.nextInt() };
            int at = r.nextInt(Math.max(1, b.length / 4)) * 4, v = extremes[r.nextInt(extremes.length)];
            for (int i = 0; i < 4 && at + i < b.length; i++) {
                b[at + i] = (byte) (v >>> (24 - 8 * i));
            }
            return b;
        }
        case 3:
            return java.util.Arrays.copyOf(b, r.nextInt(b.length));
        default: {
            int at = r.nextInt(b.length + 1), n = 1 + r.nextInt(12);
            byte[] c = new byte[b.length + n];
            System.arraycopy(b, 0, c, 0, at);
            for (int i = 0; i < n; i++) {
                c[at + i] = (byte) r.nextInt(256);
            }
            System.arraycopy(b, at, c, at + n, b.length - at);
            return c;
        }
        }
    }
}
