package dev.lethe.ops;

/** What an orchestrator asks a Lethe process: is it alive (else restart it), is it ready (else send it no work). */
public interface Health {
    /** An answer and the reason, which the endpoint returns as its body. */
    record Status(boolean ok, String detail) { }

    Status live();

    Status ready();
}
