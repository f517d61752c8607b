package dev.lethe.bench;

import dev.lethe.embedded.EmbeddedBroker;
import java.nio.file.Path;

/**
 * The chaos bench's broker: Lethe's embedded KRaft broker alone in a JVM of its own, so that the
 * bench can SIGKILL and restart it on the same port and log directory while processors run.
 * Arguments: data directory, port. Prints {@link #READY} once clients can connect.
 */
public final class ChaosBrokerMain {
    static final String READY = "chaos broker ready";

    private ChaosBrokerMain() { }

    public static void main(String[] args) throws InterruptedException {
        EmbeddedBroker broker = EmbeddedBroker.start(Path.of(args[0]), Integer.parseInt(args[1]));
        System.out.println(READY + " " + broker.bootstrapServers());
        System.out.flush();
        Thread.currentThread().join(); // until killed; the broker's own shutdown hook handles SIGTERM
    }
}
