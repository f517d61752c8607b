package dev.lethe.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The processor's health, read from its Kafka Streams state. Ready only when RUNNING: during a
 * rebalance or a restore the instance takes no requests. Alive unless Kafka Streams is in ERROR
 * (or on its way there) or has stopped without anyone asking it to; before the processor exists
 * (the embedded stack still starting) the process is alive and not ready.
 */
public final class StreamsHealth implements Health {
    private final AtomicReference<Supplier<KafkaStreams.State>> state = new AtomicReference<>();
    private final AtomicBoolean shutdownRequested = new AtomicBoolean();

    /** From now on, answers from this instance's state. */
    public void watch(KafkaStreams streams) {
        watch(streams::state);
    }

    /** As above, from any source of states (tests). */
    public void watch(Supplier<KafkaStreams.State> source) {
        state.set(source);
    }

    /** A stop was asked for (SIGTERM): NOT_RUNNING from now on is the expected end, not a failure. */
    public void shutdownRequested() {
        shutdownRequested.set(true);
    }

    @Override
    public Status live() {
        KafkaStreams.State s = current();
        if (s == null) {
            return new Status(true, "starting");
        }
        boolean failed = s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR
                || (s == KafkaStreams.State.NOT_RUNNING && !shutdownRequested.get());
        return new Status(!failed, s.name());
    }

    @Override
    public Status ready() {
        KafkaStreams.State s = current();
        if (s == null) {
            return new Status(false, "starting");
        }
        return new Status(s == KafkaStreams.State.RUNNING && !shutdownRequested.get(), s.name());
    }

    private KafkaStreams.State current() {
        Supplier<KafkaStreams.State> source = state.get();
        return source == null ? null : source.get();
    }
}
