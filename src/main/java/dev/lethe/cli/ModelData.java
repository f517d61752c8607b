package dev.lethe.cli;

import dev.lethe.data.DataSpec;
import dev.lethe.data.Datasets;
import dev.lethe.data.FashionMnist;
import dev.lethe.data.ImageShape;
import dev.lethe.data.Splits;
import dev.lethe.model.Architecture;
import dev.lethe.model.Description;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The data a new model directory learns from (train, import): Fashion-MNIST, or the model's own
 * data spec, checked against the network as the processor checks it at registration, so that a
 * model that trains here is never refused there.
 *
 * @param own    the model's own spec, its location made absolute; empty for Fashion-MNIST
 * @param labels the class names, in class-index order
 */
record ModelData(Optional<DataSpec> own, List<String> labels) {

    static ModelData resolve(Common common, Architecture a) throws IOException {
        Optional<DataSpec> own = common.ownData(null);
        int classes = a.description().classes();
        if (own.isEmpty()) {
            if (classes != FashionMnist.LABELS.size()) {
                throw new IllegalArgumentException(a.id() + " has " + classes + " classes and Fashion-MNIST has "
                        + FashionMnist.LABELS.size() + ": give the model's own data with --data-spec (docs/data.md)");
            }
            return new ModelData(Optional.empty(), FashionMnist.LABELS);
        }
        DataSpec spec = own.get().withLocation(own.get().directory().toAbsolutePath().normalize());
        Description.Input in = a.description().input();
        List<String> labels = Datasets.check(spec, classes, new ImageShape(in.channels(), in.height(), in.width()))
                .labels();
        return new ModelData(Optional.of(spec), labels);
    }

    /** The splits of this data: the very spec that was checked, so the data is read once (Datasets caches per spec). */
    Splits splits(Common common) throws IOException {
        return own.isPresent() ? Datasets.load(own.get()) : common.splits();
    }

    /** For messages: "Fashion-MNIST", or the format and place of the model's own data. */
    String describe() {
        return own.map(s -> s.format().id() + " data in " + s.location()).orElse("Fashion-MNIST");
    }

    DataSpec specOrNull() {
        return own.orElse(null);
    }
}
