package dev.lethe.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Where the rest of Lethe gets its Kafka serdes for events: the only type outside this package
 * that needs to know a registry exists. To move to Confluent's serializers, implement this with
 * {@code SpecificAvroSerde} (configured with the registry URL and isKey); the bytes on the
 * topics do not change, because both write the Confluent wire format with the topic name
 * strategy.
 */
public interface AvroSerdes {

    <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type);

    <T extends SpecificRecord> Serde<T> keySerde(Class<T> type);

    /** Serdes backed by this package's serializer over the given registry. */
    static AvroSerdes with(SchemaRegistry registry) {
        return new AvroSerdes() {
            @Override
            public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
                return serde(type, false);
            }

            @Override
            public <T extends SpecificRecord> Serde<T> keySerde(Class<T> type) {
                return serde(type, true);
            }

            private <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey) {
                return Serdes.serdeFrom(new AvroSerializer<>(registry, type, isKey),
                        new AvroDeserializer<>(registry, type));
            }
        };
    }

    /** Serdes over a registry speaking the Confluent REST API at this URL. */
    static AvroSerdes forRegistryUrl(String url) {
        return with(new RestSchemaRegistry(url));
    }
}
