package io.harstream.trainer;

import picocli.CommandLine.Option;

/**
 * {@code --data}, {@code --format}, {@code --activities} and the synthetic generator's size: a {@link DataSource}
 * on the command line, for every command that trains. The defaults are {@link DataSource#SYNTHETIC}'s.
 */
public final class DataSourceOptions {

    @Option(names = "--data", paramLabel = "PATH|synthetic",
            description = "A WISDM v1.1 raw file (.txt or .txt.gz), a WISDM 2019 accelerometer directory or file, "
                    + "or 'synthetic' for the built-in generator. Default: ${DEFAULT-VALUE}.")
    String data = DataSource.SYNTHETIC.data();

    @Option(names = "--format",
            description = "Input format: ${COMPLETION-CANDIDATES}. AUTO: a directory or a data_*_accel_* file is "
                    + "WISDM 2019, anything else v1.1. Default: ${DEFAULT-VALUE}.")
    DataSource.Format format = DataSource.SYNTHETIC.format();

    @Option(names = "--activities", paramLabel = "LIST",
            description = "Activities to keep, in class order: WISDM 2019 letter codes (e.g. ABCDE) or comma-separated "
                    + "names (e.g. Walking,Jogging,Sitting). Default: ABCDE for WISDM 2019, all six for v1.1 and "
                    + "synthetic.")
    String activities = DataSource.SYNTHETIC.activities();

    @Option(names = "--synthetic-users",
            description = "Users the synthetic generator simulates. Default: ${DEFAULT-VALUE}.")
    int syntheticUsers = DataSource.SYNTHETIC.syntheticUsers();

    @Option(names = "--synthetic-seconds",
            description = "Seconds of each activity per synthetic user. Default: ${DEFAULT-VALUE}.")
    double syntheticSeconds = DataSource.SYNTHETIC.syntheticSeconds();

    /** The source these options name. */
    public DataSource toSource() {
        return new DataSource(data, format, activities, syntheticUsers, syntheticSeconds);
    }
}
