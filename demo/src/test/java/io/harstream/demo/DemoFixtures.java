package io.harstream.demo;

import io.harstream.core.data.Activities;
import io.harstream.core.model.ModelBundle;
import io.harstream.core.model.TestBundles;
import io.harstream.core.synthetic.SyntheticGenerator;
import io.harstream.core.synthetic.SyntheticSpec;
import io.harstream.core.window.WindowSpec;
import io.harstream.simulator.TestSetReader;

import java.io.IOException;
import java.nio.file.Path;

/** A trainer-shaped output directory without the training: a tiny untrained bundle and a synthetic test set. */
final class DemoFixtures {

    /** Short windows, so a device completes one every second of simulated data. */
    static final WindowSpec WINDOW = new WindowSpec(40, 20, 1_000);

    private DemoFixtures() {
    }

    static ModelBundle bundle() {
        return TestBundles.tiny(Activities.V1_CLASSES, WINDOW, 8, 3);
    }

    /** Writes model.json, model.zip and test-set.txt (2 synthetic people, 20 s of each activity) into {@code dir}. */
    static Path modelDir(Path dir) throws IOException {
        bundle().save(dir);
        new SyntheticGenerator(new SyntheticSpec(11, 2, 20, 20)).write(dir.resolve(TestSetReader.TEST_SET_FILE));
        return dir;
    }
}
