package io.harstream.trainer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code metrics.json}: the final test metrics and what produced them, pretty-printed, keys in a fixed
 * order. Non-finite numbers are written as {@code null} (valid JSON).
 */
final class MetricsFile {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsFile() {
    }

    static String json(TrainingOutcome o) {
        try {
            return MAPPER.writeValueAsString(tree(o)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode tree(TrainingOutcome o) {
        ConfusionMatrix cm = o.confusion();
        List<String> classes = o.classes();
        ObjectNode root = MAPPER.createObjectNode();

        ObjectNode split = root.putObject("split");
        split.put("method", o.splitMethod());
        split.put("note", o.splitNote());
        strings(split.putArray("trainUsers"), o.trainUsers());
        strings(split.putArray("testUsers"), o.testUsers());

        ObjectNode windows = root.putObject("windows");
        windows.put("train", o.trainWindows());
        windows.put("test", o.testWindows());
        perClass(windows.putObject("trainPerClass"), classes, o.trainWindowsPerClass());
        perClass(windows.putObject("testPerClass"), classes, o.testWindowsPerClass());

        strings(root.putArray("classes"), classes);
        number(root, "testAccuracy", cm.accuracy());
        number(root, "testLoss", o.testLoss());
        number(root, "macroF1", cm.macroF1());

        ArrayNode per = root.putArray("perClass");
        for (ClassMetrics m : cm.perClass()) {
            ObjectNode c = per.addObject();
            c.put("class", m.name());
            number(c, "precision", m.precision());
            number(c, "recall", m.recall());
            number(c, "f1", m.f1());
            c.put("support", m.support());
        }

        ObjectNode confusion = root.putObject("confusionMatrix");
        strings(confusion.putArray("classes"), cm.classes());
        confusion.put("rows", "actual");
        confusion.put("columns", "predicted");
        ArrayNode counts = confusion.putArray("counts");
        for (long[] row : cm.counts()) {
            ArrayNode r = counts.addArray();
            for (long c : row) {
                r.add(c);
            }
        }

        root.put("epochs", o.history().size());
        number(root, "trainingSeconds", o.trainingSeconds());
        root.put("modelVersion", o.modelVersion());
        ObjectNode hp = root.putObject("hyperparameters");
        if (o.hyperparameters() != null) {
            for (Map.Entry<String, String> e : o.hyperparameters().entrySet()) {
                hp.put(e.getKey(), e.getValue());
            }
        }
        root.put("dataSource", o.dataSource());
        root.put("skipSummary", o.skipSummary());
        strings(root.putArray("readerNotes"), o.readerNotes());
        return root;
    }

    private static void perClass(ObjectNode node, List<String> classes, long[] counts) {
        for (int i = 0; i < classes.size(); i++) {
            node.put(classes.get(i), counts[i]);
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        if (values != null) {
            values.forEach(a::add);
        }
    }

    private static void number(ObjectNode node, String key, double v) {
        if (Double.isFinite(v)) {
            node.put(key, v);
        } else {
            node.putNull(key);
        }
    }
}
