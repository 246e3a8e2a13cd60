package io.harstream.trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which windows train the model and which test it.
 *
 * @param method     "user" or "random"
 * @param leaky      true when one person's overlapping windows can sit on both sides
 * @param train      training windows
 * @param test       test windows
 * @param trainUsers users with training windows, sorted
 * @param testUsers  users with test windows, sorted
 */
public record Split(String method, boolean leaky, List<LabeledWindow> train, List<LabeledWindow> test,
                    List<String> trainUsers, List<String> testUsers) {

    /** How the test windows are chosen. */
    public enum Method {
        /** Whole users held out: {@link Split#byUser}. */
        USER,
        /** Windows drawn at random, leaky: {@link Split#random}. */
        RANDOM;

        /** The lower-case name the command line and the outputs use ("user", "random"). */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Numeric ids sort numerically ("2" before "10"), others alphabetically. */
    static final Comparator<String> USER_ORDER = Comparator
            .comparing((String u) -> u.matches("\\d{1,18}") ? Long.parseLong(u) : Long.MAX_VALUE)
            .thenComparing(Comparator.naturalOrder());

    /** One sentence for reports on what the split's figures mean. */
    public String note() {
        return leaky
                ? "Random 80/20 split over windows (the seed's protocol). Windows overlap by 90% and every person is on "
                        + "both sides, so near-copies of test windows were trained on: this figure is leaky and "
                        + "overstates accuracy on people the model has never seen."
                : "Whole users held out: no test person contributed any training window, so the figure estimates "
                        + "accuracy on people the model has never seen.";
    }

    /**
     * Holds out whole users. {@code fixedTestUsers} when given, else {@code round(fraction * users)} users (at
     * least one, and at least one left to train) drawn with {@code seed} from the sorted user list.
     */
    public static Split byUser(List<LabeledWindow> windows, double fraction, List<String> fixedTestUsers, long seed) {
        Set<String> users = new TreeSet<>(USER_ORDER);
        windows.forEach(w -> users.add(w.user()));
        if (users.size() < 2) {
            throw new TrainerException("--split user needs windows from at least 2 users, found " + users.size()
                    + " " + users);
        }
        Set<String> testUsers = new LinkedHashSet<>();
        if (fixedTestUsers != null && !fixedTestUsers.isEmpty()) {
            for (String u : fixedTestUsers) {
                if (!users.contains(u)) {
                    throw new TrainerException("--test-users: user '" + u + "' has no windows (users: " + users + ")");
                }
                testUsers.add(u);
            }
            if (testUsers.size() == users.size()) {
                throw new TrainerException("--test-users: every user is a test user; none is left to train on");
            }
        } else {
            List<String> shuffled = new ArrayList<>(users);
            Collections.shuffle(shuffled, new Random(seed));
            int n = (int) Math.max(1, Math.min(users.size() - 1, Math.round(fraction * users.size())));
            testUsers.addAll(shuffled.subList(0, n));
        }
        List<LabeledWindow> train = new ArrayList<>();
        List<LabeledWindow> test = new ArrayList<>();
        for (LabeledWindow w : windows) {
            (testUsers.contains(w.user()) ? test : train).add(w);
        }
        return new Split("user", false, train, test, sortedUsers(train), sortedUsers(test));
    }

    /** The seed's split: a seeded shuffle of all windows, the last {@code fraction} of them for testing. */
    public static Split random(List<LabeledWindow> windows, double fraction, long seed) {
        List<LabeledWindow> shuffled = new ArrayList<>(windows);
        Collections.shuffle(shuffled, new Random(seed));
        int nTest = (int) Math.round(fraction * shuffled.size());
        if (nTest < 1 || nTest >= shuffled.size()) {
            throw new TrainerException("--split random with test fraction " + fraction + " leaves no windows on one "
                    + "side (" + shuffled.size() + " windows)");
        }
        List<LabeledWindow> test = List.copyOf(shuffled.subList(shuffled.size() - nTest, shuffled.size()));
        List<LabeledWindow> train = List.copyOf(shuffled.subList(0, shuffled.size() - nTest));
        return new Split("random", true, train, test, sortedUsers(train), sortedUsers(test));
    }

    private static List<String> sortedUsers(List<LabeledWindow> windows) {
        Set<String> users = new TreeSet<>(USER_ORDER);
        windows.forEach(w -> users.add(w.user()));
        return List.copyOf(users);
    }
}
