package io.harstream.core.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A contiguous run of one user's samples, in recording order. Recording boundaries are series
 * boundaries: segmentation never cuts a window across two recordings.
 *
 * <p>Readers start a new recording at a user change (WISDM v1.1) or at each (subject, activity)
 * block (WISDM 2019); the segmenter additionally breaks a recording at timestamp gaps and steps back.
 */
public record Recording(String user, List<Sample> samples) {

    public Recording {
        samples = List.copyOf(samples);
    }

    public int size() {
        return samples.size();
    }

    /**
     * Keeps only the samples whose activity is in {@code activities}. A removed run splits the
     * recording, so no window can bridge an activity that was filtered out.
     */
    public List<Recording> retainActivities(Set<String> activities) {
        List<Recording> parts = new ArrayList<>();
        List<Sample> current = new ArrayList<>();
        for (Sample s : samples) {
            if (s.activity() != null && activities.contains(s.activity())) {
                current.add(s);
            } else if (!current.isEmpty()) {
                parts.add(new Recording(user, current));
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            parts.add(new Recording(user, current));
        }
        return parts;
    }
}
