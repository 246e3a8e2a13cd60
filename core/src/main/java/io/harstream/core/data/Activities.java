package io.harstream.core.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The activity labels of the two WISDM datasets and the lookups between their file spellings and
 * the display names used everywhere else in harstream.
 *
 * <p>Class order matters: it is the order of the model's softmax outputs and is recorded in the
 * model bundle, so it is fixed here once rather than derived from whatever a file happens to contain.
 */
public final class Activities {

    /** WISDM v1.1 classes in the dataset's canonical order (the order of its own documentation). */
    public static final List<String> V1_CLASSES =
            List.of("Walking", "Jogging", "Upstairs", "Downstairs", "Sitting", "Standing");

    /**
     * The WISDM 2019 subset closest to v1.1: walking, jogging, stairs, sitting, standing. 2019 has only
     * one "stairs" class, so it cannot reproduce v1.1's Upstairs/Downstairs split.
     */
    public static final String DEFAULT_2019_CODES = "ABCDE";

    /** WISDM 2019 activity_key.txt, in code order. There is no N in the dataset. */
    private static final Map<Character, String> CODES_2019 = codes2019();

    private Activities() {
    }

    private static Map<Character, String> codes2019() {
        Map<Character, String> m = new LinkedHashMap<>();
        m.put('A', "Walking");
        m.put('B', "Jogging");
        m.put('C', "Stairs");
        m.put('D', "Sitting");
        m.put('E', "Standing");
        m.put('F', "Typing");
        m.put('G', "Teeth");
        m.put('H', "Soup");
        m.put('I', "Chips");
        m.put('J', "Pasta");
        m.put('K', "Drinking");
        m.put('L', "Sandwich");
        m.put('M', "Kicking");
        m.put('O', "Catch");
        m.put('P', "Dribbling");
        m.put('Q', "Writing");
        m.put('R', "Clapping");
        m.put('S', "Folding");
        return Collections.unmodifiableMap(m);
    }

    /** All 18 WISDM 2019 codes, in code order ("ABCDEFGHIJKLMOPQRS"). */
    public static String all2019Codes() {
        StringBuilder sb = new StringBuilder();
        CODES_2019.keySet().forEach(sb::append);
        return sb.toString();
    }

    /**
     * The display name of a WISDM 2019 activity code, exactly as the files spell it (upper case).
     *
     * @throws IllegalArgumentException for anything that is not one of the 18 codes
     */
    public static String nameOf2019Code(char code) {
        String name = CODES_2019.get(code);
        if (name == null) {
            throw new IllegalArgumentException("unknown WISDM 2019 activity code '" + code
                    + "' (known: " + all2019Codes() + ")");
        }
        return name;
    }

    /** As {@link #nameOf2019Code(char)}, for a one-character string. */
    public static String nameOf2019Code(String code) {
        if (code == null || code.length() != 1) {
            throw new IllegalArgumentException("unknown WISDM 2019 activity code '" + code
                    + "' (known: " + all2019Codes() + ")");
        }
        return nameOf2019Code(code.charAt(0));
    }

    /**
     * The WISDM 2019 code of a display name, ignoring case and surrounding blanks: {@code "stairs"}
     * gives {@code 'C'}. For user input such as {@code --activities Walking,Stairs}.
     *
     * @throws IllegalArgumentException for a name that is not one of the 18 activities
     */
    public static char codeOf2019Name(String name) {
        String trimmed = name == null ? "" : name.strip();
        return CODES_2019.entrySet().stream()
                .filter(e -> e.getValue().equalsIgnoreCase(trimmed))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown WISDM 2019 activity '" + trimmed
                        + "' (known: " + String.join(", ", CODES_2019.values()) + ")"));
    }

    /** The display name of a 2019 code as it appears in a file, or empty when it is not a code. */
    static Optional<String> find2019Code(String code) {
        return code.length() == 1 ? Optional.ofNullable(CODES_2019.get(code.charAt(0))) : Optional.empty();
    }

    /**
     * The class list for a selection of 2019 codes, in the order given: {@code "ABCDE"} gives
     * [Walking, Jogging, Stairs, Sitting, Standing]. The argument usually comes from a command
     * line, so it is read case-insensitively and may contain commas or spaces ("a,b,c").
     *
     * @throws IllegalArgumentException for an unknown or repeated code, or an empty selection
     */
    public static List<String> classes2019(String codes) {
        String normalized = normalize2019Codes(codes);
        List<String> names = new ArrayList<>(normalized.length());
        for (int i = 0; i < normalized.length(); i++) {
            names.add(nameOf2019Code(normalized.charAt(i)));
        }
        return List.copyOf(names);
    }

    /**
     * Upper-cases a code selection and drops separators, checking it is non-empty, known and has
     * no repeats (a repeated class would silently get two softmax outputs).
     */
    static String normalize2019Codes(String codes) {
        if (codes == null) {
            throw new IllegalArgumentException("no WISDM 2019 activity codes given");
        }
        StringBuilder sb = new StringBuilder();
        Set<Character> seen = new HashSet<>();
        for (char c : codes.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == ',' || Character.isWhitespace(c)) {
                continue;
            }
            nameOf2019Code(c);
            if (!seen.add(c)) {
                throw new IllegalArgumentException("WISDM 2019 activity code '" + c + "' given twice in '" + codes + "'");
            }
            sb.append(c);
        }
        if (sb.isEmpty()) {
            throw new IllegalArgumentException("no WISDM 2019 activity codes given");
        }
        return sb.toString();
    }

    /**
     * The canonical v1.1 spelling of {@code name}, ignoring case and surrounding blanks, e.g.
     * {@code " walking"} gives {@code Walking}. Meant for user input such as a class list option;
     * the v1.1 reader itself accepts only the exact spelling so that a damaged label is reported.
     */
    public static Optional<String> v1Class(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String trimmed = name.strip();
        return V1_CLASSES.stream().filter(c -> c.equalsIgnoreCase(trimmed)).findFirst();
    }

    /** WISDM 2019's one stairs class, which v1.1 records as {@link #V1_STAIRS}. */
    public static final String STAIRS_2019 = "Stairs";
    /** v1.1's two stairs classes, which WISDM 2019 records as one ({@link #STAIRS_2019}). */
    public static final List<String> V1_STAIRS = List.of("Upstairs", "Downstairs");

    /**
     * The labels of the other WISDM dataset that a model with these classes can still be compared on, each
     * with the class it counts as, or empty when it counts as no label. The two datasets differ only in the
     * stairs: a model with one {@code Stairs} class (WISDM 2019) reads v1.1's {@code Upstairs} and
     * {@code Downstairs} as {@code Stairs}, since both are stairs; a model with {@code Upstairs} or
     * {@code Downstairs} (v1.1) cannot tell which of the two a 2019 {@code Stairs} window was, so it reads
     * that label as none: the window is still classified, and counted as unlabelled. Every other label is
     * the same activity under the same name in both datasets. Labels that are classes are not in the map.
     */
    public static Map<String, Optional<String>> otherDatasetLabels(List<String> classes) {
        Map<String, Optional<String>> m = new LinkedHashMap<>();
        boolean v1Stairs = V1_STAIRS.stream().anyMatch(classes::contains);
        if (classes.contains(STAIRS_2019) && !v1Stairs) {
            V1_STAIRS.forEach(label -> m.put(label, Optional.of(STAIRS_2019)));
        } else if (v1Stairs && !classes.contains(STAIRS_2019)) {
            m.put(STAIRS_2019, Optional.empty());
        }
        return Collections.unmodifiableMap(m);
    }
}
