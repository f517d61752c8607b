package dev.lethe.store;

import java.util.regex.Pattern;

/**
 * Where artifacts go in S3: {@code s3://bucket/prefix/}. Only a bucket and a key prefix; the
 * endpoint, region and credentials come from the AWS SDK's standard chains, never from here, so
 * a location can be printed and logged as it is.
 */
public record S3Location(String bucket, String prefix) {
    public static final String SCHEME = "s3://";
    // DNS-compatible bucket names (what S3 accepts today), kept loose on the details S3 checks itself.
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3Location {
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
        }
        if (!prefix.isEmpty() && (!prefix.endsWith("/") || prefix.startsWith("/"))) {
            throw new IllegalArgumentException("an S3 key prefix is empty or 'a/b/', not '" + prefix + "'");
        }
    }

    public static boolean isS3(String location) {
        return location != null && location.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** {@code s3://bucket}, {@code s3://bucket/}, {@code s3://bucket/a/b} and {@code s3://bucket/a/b/} (the same). */
    public static S3Location parse(String location) {
        if (!isS3(location)) {
            throw new IllegalArgumentException("not an s3:// location: " + location);
        }
        String rest = location.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.contains("@") || bucket.contains(":")) {
            // Not echoed: what precedes '@' would be credentials.
            throw new IllegalArgumentException("an s3:// location names a bucket only; credentials and endpoint come "
                    + "from the AWS environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, AWS_ENDPOINT_URL_S3, ...)");
        }
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        if (prefix.contains("?") || prefix.contains("#") || prefix.contains("//")) {
            throw new IllegalArgumentException("not a plain s3://bucket/prefix/ location: " + location);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new S3Location(bucket, prefix);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + prefix;
    }
}
