package io.harstream.core.data;

import java.util.List;

/**
 * Everything a reader produced: the recordings, which activities they use (in the dataset's
 * canonical order), what was skipped and any notes worth telling the user (e.g. resampled blocks).
 *
 * @param source      human-readable description of where the data came from
 * @param activities  activity names in canonical class order (e.g. Walking, Jogging, ...)
 * @param recordings  the recordings, in file order
 * @param skipped     lines passed over, by reason
 * @param notes       other things the reader did that change data (resampling), one line each
 */
public record Dataset(String source, List<String> activities, List<Recording> recordings, SkipReport skipped,
                      List<String> notes) {

    public Dataset {
        activities = List.copyOf(activities);
        recordings = List.copyOf(recordings);
        notes = List.copyOf(notes);
    }

    public long sampleCount() {
        return recordings.stream().mapToLong(Recording::size).sum();
    }
}
