package dev.verifull.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed upper bounds in seconds; recording is lock-free (event loops call it). */
final class Histogram {
    /** 1 ms to 30 s: local handshakes take milliseconds, a far or overloaded server seconds, time-outs 10 s and more. */
    static final double[] SECONDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final double[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new LongAdder[bounds.length];
        for (int i = 0; i < counts.length; i++) counts[i] = new LongAdder();
    }

    void observeNanos(long nanos) {
        double seconds = Math.max(0, nanos) / 1e9;
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts[i].increment();
                break;
            }
        }
        count.increment();
        sum.add(seconds);
    }

    /** Cumulative buckets, {@code +Inf}, sum and count; {@code labels} go on every sample before {@code le}. */
    void write(Exposition out, String name, String... labels) {
        long cumulative = 0;
        long total = count.sum(); // read first: buckets read after it may hold a little more, never less
        for (int i = 0; i < bounds.length; i++) {
            cumulative += counts[i].sum();
            out.sample(name + "_bucket", Math.min(cumulative, total), with(labels, "le", Exposition.number(bounds[i])));
        }
        out.sample(name + "_bucket", total, with(labels, "le", "+Inf"));
        out.sample(name + "_sum", sum.sum(), labels);
        out.sample(name + "_count", total, labels);
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] all = java.util.Arrays.copyOf(labels, labels.length + 2);
        all[labels.length] = name;
        all[labels.length + 1] = value;
        return all;
    }
}
