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

        confusion(root.putObject("confusionMatrix"), cm);

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

        root.put("epochChoice", o.epochChoice());
        ObjectNode validation = root.putObject("validation");
        strings(validation.putArray("users"), o.validationUsers());
        validation.put("windows", o.validationWindows());

        if (o.baseline() != null) {
            ObjectNode b = root.putObject("baseline");
            b.put("description", o.baseline().description());
            number(b, "testAccuracy", o.baseline().confusion().accuracy());
            number(b, "macroF1", o.baseline().confusion().macroF1());
            number(b, "seconds", o.baseline().seconds());
            confusion(b.putObject("confusionMatrix"), o.baseline().confusion());
        }
        if (o.smoothed() != null) {
            smoothed(root.putObject("smoothed"), o.smoothed());
        }
        if (o.calibration() != null) {
            calibration(root.putObject("calibration"), o.calibration());
        }
        if (o.crossValidation() != null) {
            crossValidation(root.putObject("crossValidation"), o.crossValidation());
        }
        return root;
    }

    private static void crossValidation(ObjectNode node, CrossValidationOutcome cv) {
        node.put("folds", cv.k());
        node.put("seed", cv.seed());
        node.put("recipe", cv.recipe());
        node.put("method", "leave-subjects-out: every user is a test user in exactly one fold; " + cv.epochChoice());
        ObjectNode lstm = node.putObject("lstm");
        spread(lstm.putObject("accuracy"), cv.lstmAccuracy());
        spread(lstm.putObject("macroF1"), cv.lstmMacroF1());
        confusion(lstm.putObject("summedConfusionMatrix"), cv.lstmSummed());
        if (cv.hasSmoothing()) {
            ObjectNode sm = node.putObject("smoothed");
            spread(sm.putObject("accuracy"), cv.smoothedAccuracy());
            spread(sm.putObject("macroF1"), cv.smoothedMacroF1());
            spread(sm.putObject("blockVoteAccuracy"), cv.blockVoteAccuracy());
            confusion(sm.putObject("summedConfusionMatrix"), cv.smoothedSummed());
            ArrayNode lags = sm.putArray("fixedLag");
            for (int lag : cv.lags()) {
                ObjectNode l = lags.addObject();
                l.put("lagWindows", lag);
                spread(l.putObject("accuracy"), cv.laggedSpread(lag, false));
                spread(l.putObject("macroF1"), cv.laggedSpread(lag, true));
            }
        }
        if (cv.hasCalibration()) {
            ObjectNode c = node.putObject("calibration");
            spread(c.putObject("eceBefore"), cv.ece(false));
            spread(c.putObject("eceAfter"), cv.ece(true));
            spread(c.putObject("eceHindsight"), cv.hindsightEce());
            spread(c.putObject("expectedAccuracy"), cv.expectedAccuracy());
            spread(c.putObject("realizedAccuracy"), cv.lstmAccuracy());
        }
        if (cv.hasBaseline()) {
            ObjectNode b = node.putObject("baseline");
            b.put("description", cv.baselineDescription());
            spread(b.putObject("accuracy"), cv.baselineAccuracy());
            spread(b.putObject("macroF1"), cv.baselineMacroF1());
            confusion(b.putObject("summedConfusionMatrix"), cv.baselineSummed());
        }
        ArrayNode folds = node.putArray("perFold");
        for (FoldOutcome f : cv.folds()) {
            ObjectNode fo = folds.addObject();
            fo.put("fold", f.fold());
            strings(fo.putArray("testUsers"), f.testUsers());
            strings(fo.putArray("validationUsers"), f.validationUsers());
            fo.put("trainWindows", f.trainWindows());
            fo.put("validationWindows", f.validationWindows());
            fo.put("testWindows", f.testWindows());
            fo.put("keptEpoch", f.keptEpoch());
            fo.put("epochsRun", f.epochsRun());
            number(fo, "seconds", f.seconds());
            number(fo, "lstmAccuracy", f.lstm().accuracy());
            number(fo, "lstmMacroF1", f.lstm().macroF1());
            if (f.smoothed() != null) {
                number(fo, "smoothedAccuracy", f.smoothed().causal().accuracy());
                number(fo, "smoothedMacroF1", f.smoothed().causal().macroF1());
                blockVote(fo, f.smoothed());
                ObjectNode lagged = fo.putObject("fixedLag");
                f.smoothed().lagged().forEach((lag, cm) -> {
                    ObjectNode l = lagged.putObject(Integer.toString(lag));
                    number(l, "accuracy", cm.accuracy());
                    number(l, "macroF1", cm.macroF1());
                });
            }
            if (f.calibration() != null) {
                calibration(fo.putObject("calibration"), f.calibration());
            }
            if (f.baseline() != null) {
                number(fo, "baselineAccuracy", f.baseline().accuracy());
                number(fo, "baselineMacroF1", f.baseline().macroF1());
            }
        }
        ArrayNode users = node.putArray("perUser");
        for (CrossValidationOutcome.UserFigures u : cv.usersByAccuracy()) {
            ObjectNode un = users.addObject();
            un.put("user", u.user());
            un.put("fold", u.fold());
            un.put("windows", u.confusion().total());
            number(un, "lstmAccuracy", u.confusion().accuracy());
            if (u.smoothed() != null) {
                number(un, "smoothedAccuracy", u.smoothed().accuracy());
                number(un, "lstmMacroF1", u.confusion().macroF1());
                number(un, "smoothedMacroF1", u.smoothed().macroF1());
            }
            if (u.baseline() != null) {
                number(un, "baselineAccuracy", u.baseline().accuracy());
            }
            ObjectNode postures = un.putObject("meanAcceleration");
            u.postures().forEach((activity, p) -> {
                ObjectNode pn = postures.putObject(activity);
                number(pn, "x", p.x());
                number(pn, "y", p.y());
                number(pn, "z", p.z());
                pn.put("windows", p.windows());
            });
        }
    }

    /**
     * The temperature and evidence exponent, where they were fitted, and the test windows' calibration before and
     * after: ECE, the reliability bins, and the expected (mean calibrated top probability) beside the realized
     * accuracy.
     */
    private static void calibration(ObjectNode node, CalibrationFigures c) {
        node.put("method", "temperature scaling (softmax(log p / T)) fitted by maximum likelihood on held-out "
                + "people; ECE over " + Reliability.BINS + " equal-width bins of the top probability");
        number(node, "temperature", c.temperature());
        number(node, "evidenceExponent", c.evidenceExponent());
        ObjectNode fit = node.putObject("fittedOn");
        fit.put("source", c.source());
        strings(fit.putArray("users"), c.fittedOn());
        fit.put("windows", c.fitWindows());
        number(fit, "eceBefore", c.fitEceBefore());
        number(fit, "eceAfter", c.fitEceAfter());
        ObjectNode grid = fit.putObject("smoothedAccuracyByExponent");
        c.fitSmoothed().forEach((e, a) -> number(grid, Double.toString(e), a));
        ObjectNode test = node.putObject("test");
        number(test, "eceBefore", c.testBefore().ece());
        number(test, "eceAfter", c.testAfter().ece());
        number(test, "expectedAccuracy", c.testAfter().expectedAccuracy());
        number(test, "expectedAccuracyBefore", c.testBefore().expectedAccuracy());
        number(test, "realizedAccuracy", c.testAfter().accuracy());
        ObjectNode hindsight = test.putObject("hindsight");
        hindsight.put("method", "diagnostic, never in the bundle: the single temperature with the lowest ECE on the "
                + "test people themselves, the floor for any temperature fitted elsewhere");
        number(hindsight, "temperature", c.hindsight().temperature());
        number(hindsight, "ece", c.hindsight().ece());
        reliability(test.putObject("reliabilityBefore"), c.testBefore());
        reliability(test.putObject("reliabilityAfter"), c.testAfter());
        if (c.plainSmoothed() != null) {
            ObjectNode plain = node.putObject("smoothedWithoutCalibration");
            plain.put("method", "the same smoother over the network's own probabilities with evidence exponent 1: "
                    + "what the bundle would serve without calibration");
            number(plain, "testAccuracy", c.plainSmoothed().causal().accuracy());
            number(plain, "macroF1", c.plainSmoothed().causal().macroF1());
            ObjectNode users = plain.putObject("perUser");
            c.plainSmoothed().perUser().forEach((user, cm) -> number(users, user, cm.accuracy()));
        }
    }

    private static void reliability(ObjectNode node, Reliability r) {
        ArrayNode counts = node.putArray("counts");
        ArrayNode confidence = node.putArray("confidence");
        ArrayNode accuracy = node.putArray("accuracy");
        for (int b = 0; b < Reliability.BINS; b++) {
            counts.add(r.counts()[b]);
            confidence.add(r.binConfidence()[b]);
            accuracy.add(r.binAccuracy()[b]);
        }
    }

    /** The smoothed test figures: the causal filter's, then what each fixed lag would give. */
    private static void smoothed(ObjectNode node, SmoothedFigures s) {
        node.put("method", "causal HMM forward filter over each test user's windows in time order, with the bundle's "
                + "smoothing section (model.json)");
        number(node, "testAccuracy", s.causal().accuracy());
        number(node, "macroF1", s.causal().macroF1());
        confusion(node.putObject("confusionMatrix"), s.causal());
        ObjectNode users = node.putObject("perUser");
        s.perUser().forEach((user, cm) -> number(users, user, cm.accuracy()));
        blockVote(node, s);
        ArrayNode lags = node.putArray("fixedLag");
        s.lagged().forEach((lag, cm) -> {
            ObjectNode l = lags.addObject();
            l.put("lagWindows", lag);
            number(l, "testAccuracy", cm.accuracy());
            number(l, "macroF1", cm.macroF1());
            // What the stream-app served with --smoothing-lag of this many windows must count, cell by cell.
            confusion(l.putObject("confusionMatrix"), cm);
        });
    }

    private static void blockVote(ObjectNode node, SmoothedFigures s) {
        ObjectNode vote = node.putObject("blockVote");
        vote.put("method", "each recording (one person, one activity) labelled by its windows' most frequent raw "
                + "class: its errors are the activity blocks the network gets mostly wrong (no bound: a smoother "
                + "can do better or worse)");
        number(vote, "testAccuracy", s.blockVote().accuracy());
        number(vote, "macroF1", s.blockVote().macroF1());
        ObjectNode users = vote.putObject("perUser");
        s.blockVotePerUser().forEach((user, cm) -> number(users, user, cm.accuracy()));
    }

    private static void spread(ObjectNode node, CrossValidationOutcome.Spread s) {
        number(node, "mean", s.mean());
        number(node, "sd", s.sd());
    }

    private static void confusion(ObjectNode confusion, ConfusionMatrix cm) {
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
