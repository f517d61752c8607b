package dev.lethe.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class S3LocationTest {

    @Test
    void aBucketAndAnOptionalPrefixEndingInASlash() {
        assertEquals(new S3Location("lethe-artifacts", ""), S3Location.parse("s3://lethe-artifacts"));
        assertEquals(new S3Location("lethe-artifacts", ""), S3Location.parse("s3://lethe-artifacts/"));
        assertEquals(new S3Location("lethe-artifacts", "prod/v1/"), S3Location.parse("s3://lethe-artifacts/prod/v1"));
        assertEquals(new S3Location("lethe-artifacts", "prod/v1/"), S3Location.parse("S3://lethe-artifacts/prod/v1/"));
        assertEquals("s3://lethe-artifacts/prod/v1/", S3Location.parse("s3://lethe-artifacts/prod/v1").toString());
        assertTrue(S3Location.isS3("s3://x") && !S3Location.isS3("/var/lib/lethe/artifacts") && !S3Location.isS3(null));
    }

    @Test
    void credentialsInTheLocationAreRefusedWithoutBeingRepeated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> S3Location.parse("s3://AKIDEXAMPLE:wJalrXUtnFEMI@bucket/p/"));
        assertFalse(e.getMessage().contains("wJalrXUtnFEMI") || e.getMessage().contains("AKIDEXAMPLE"), e.getMessage());
        assertTrue(e.getMessage().contains("AWS_PROFILE"), e.getMessage());
    }

    @Test
    void notABucketOrNotAPlainPrefix() {
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://Upper_Case/"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://bucket//x/"));
        assertThrows(IllegalArgumentException.class, () -> S3Location.parse("s3://bucket/x?versionId=1"));
    }
}
