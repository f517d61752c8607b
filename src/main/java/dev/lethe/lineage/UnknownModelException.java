package dev.lethe.lineage;

/**
 * A request for a model this processor does not hold (yet): rejected, but its request id is not
 * used up, because the registration may simply not have been read yet (registrations and
 * requests are separate topics) and the same request, sent again, must then be served.
 */
public final class UnknownModelException extends IllegalArgumentException {
    public UnknownModelException(String modelId) {
        super("unknown model '" + modelId + "' (send the request again once the model is registered)");
    }
}
