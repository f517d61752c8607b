package dev.lethe.store;

import java.util.Optional;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 client configured the way every AWS tool is: credentials from the SDK's default chain
 * (system properties, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, web identity
 * when the sts module is on the class path, AWS_PROFILE in the shared credentials and config
 * files, container and instance credentials), the region from AWS_REGION or the profile, and
 * the endpoint from AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL / the profile's endpoint_url, which
 * the SDK reads itself. Lethe adds only path-style addressing and, for a non-AWS endpoint,
 * checksums only where the API requires them. Messages built here never carry a secret.
 */
final class S3Chain {
    private S3Chain() { }

    /** @param pathStyle empty: path-style exactly when an endpoint override is configured */
    static S3Client client(Optional<Boolean> pathStyle) {
        S3ClientBuilder builder = S3Client.builder().region(region()).httpClientBuilder(UrlConnectionHttpClient.builder());
        S3Client probe = builder.build();
        boolean customEndpoint = probe.serviceClientConfiguration().endpointOverride().isPresent();
        if (!customEndpoint && pathStyle.isEmpty()) {
            return probe;
        }
        probe.close();
        builder.forcePathStyle(pathStyle.orElse(customEndpoint));
        // The SDK's default trailing checksums are refused by many S3-compatible servers; an
        // operator's own AWS_REQUEST_CHECKSUM_CALCULATION / AWS_RESPONSE_CHECKSUM_VALIDATION still wins.
        if (customEndpoint && SdkSystemSetting.AWS_REQUEST_CHECKSUM_CALCULATION.getStringValue().isEmpty()) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        }
        if (customEndpoint && SdkSystemSetting.AWS_RESPONSE_CHECKSUM_VALIDATION.getStringValue().isEmpty()) {
            builder.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    private static Region region() {
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (SdkClientException e) {
            throw new IllegalArgumentException("no AWS region for the S3 artifact store: set AWS_REGION (or aws.region), "
                    + "or 'region' in the AWS_PROFILE's section of the AWS config file (" + e.getMessage() + ")");
        }
    }

    /** One line for the start-up log: where, and whose credentials (the access key id, never the secret). */
    static String describe(S3Client s3) {
        var conf = s3.serviceClientConfiguration();
        return "region " + conf.region() + ", endpoint " + conf.endpointOverride().map(Object::toString).orElse("AWS")
                + ", " + credentials(s3);
    }

    /** The failure in words an operator can act on; the SDK's own message follows for the details. */
    static String reason(SdkException e, S3Client s3, String bucket) {
        if (e instanceof S3Exception s) {
            String code = s.awsErrorDetails() == null || s.awsErrorDetails().errorCode() == null ? ""
                    : " " + s.awsErrorDetails().errorCode();
            if (s.statusCode() == 403 || s.statusCode() == 401) {
                return "access to bucket '" + bucket + "' denied (HTTP " + s.statusCode() + code + "): the "
                        + credentials(s3) + " were refused; check the secret key, session token and the "
                        + "key's permissions (" + e.getMessage() + ")";
            }
            if (s.statusCode() == 404 && !code.isEmpty()) {
                return "HTTP 404" + code + " for bucket '" + bucket + "' (" + e.getMessage() + ")";
            }
        }
        return e.getMessage();
    }

    /** "credentials of access key id 'AKIA...' (profile p)", or why there are none. */
    static String credentials(S3Client s3) {
        try {
            AwsCredentialsIdentity id = s3.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            // (The identity's providerName() is a one-letter user-agent code in this SDK, not worth printing.)
            return "credentials of access key id '" + id.accessKeyId() + "'"
                    + ProfileFileSystemSetting.AWS_PROFILE.getStringValue().map(p -> " (profile " + p + ")").orElse("");
        } catch (RuntimeException e) {
            return "no credentials (the AWS chain found none: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                    + "or AWS_PROFILE, or run with a container/instance role)";
        }
    }
}
