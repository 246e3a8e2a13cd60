package io.harstream.trainer.report;

import io.harstream.core.window.AxesFrame;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: one self-contained page (inline CSS, images as {@code data:} URIs, no scripts,
 * no external resources). All text from the outcome is HTML-escaped.
 */
final class HtmlReport {

    private static final String CSS = """
            body{font-family:-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#1f2328;\
            max-width:1020px;margin:2em auto;padding:0 1em;line-height:1.45}
            h1{margin-bottom:.1em}h2{border-bottom:1px solid #d0d7de;padding-bottom:.2em;margin-top:1.8em}
            .sub{color:#57606a;margin-top:0}
            table{border-collapse:collapse;margin:.6em 0}
            th,td{border:1px solid #d0d7de;padding:.3em .7em}
            th{background:#f6f8fa;text-align:left}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.total td{font-weight:bold;background:#f6f8fa}
            td.diag{font-weight:bold}
            .cards{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}
            .card{border:1px solid #d0d7de;border-radius:8px;padding:.7em 1.2em;min-width:10em}
            .card .v{font-size:1.8em;font-weight:bold}.card .l{color:#57606a;font-size:.9em}
            .warn{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:.7em 1em;margin:1em 0}
            .ok{background:#dafbe1;border:1px solid #4ac26b;border-radius:6px;padding:.7em 1em;margin:1em 0}
            img{max-width:100%;height:auto;border:1px solid #eaeef2}
            pre{background:#f6f8fa;padding:.6em;white-space:pre-wrap}
            .muted{color:#57606a}
            """;

    private HtmlReport() {
    }

    /** The whole page; the PNGs are embedded as base64. */
    /**
     * @param stripPng       the smoothing strip plot, or null without smoothing
     * @param reliabilityPng the reliability diagram, or null without calibration
     */
    static String html(TrainingOutcome o, byte[] lossPng, byte[] accuracyPng, byte[] confusionPng, byte[] stripPng,
                       byte[] reliabilityPng) {
        ConfusionMatrix cm = o.confusion();
        List<String> classes = o.classes();
        List<ClassMetrics> perClass = cm.perClass();
        boolean random = "random".equalsIgnoreCase(o.splitMethod());
        StringBuilder h = new StringBuilder(64 * 1024);

        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>harstream evaluation — model ").append(esc(o.modelVersion())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");

        h.append("<h1>harstream evaluation — model ").append(esc(o.modelVersion())).append("</h1>\n")
                .append("<p class=\"sub\">LSTM activity classifier · ").append(esc(o.splitMethod()))
                .append(" split · ").append(o.history().size()).append(" epochs · ")
                .append(classes.size()).append(" classes</p>\n");

        // headline
        h.append("<div class=\"cards\">\n");
        card(h, pct2(cm.accuracy()), "test accuracy (" + cm.correct() + " of " + cm.total() + " windows)");
        card(h, num(o.testLoss(), 4), "test loss");
        card(h, num(cm.macroF1(), 3), "macro-F1");
        if (o.smoothed() != null) {
            card(h, pct2(o.smoothed().causal().accuracy()) + " / " + num(o.smoothed().causal().macroF1(), 3),
                    "smoothed accuracy / macro-F1");
        }
        if (o.calibration() != null) {
            card(h, pct2(o.calibration().testAfter().expectedAccuracy()), "expected accuracy (mean calibrated "
                    + "top probability)");
            card(h, num(o.calibration().testAfter().ece(), 3), "calibration error (ECE; "
                    + num(o.calibration().testBefore().ece(), 3) + " uncalibrated)");
        }
        card(h, duration(o.trainingSeconds()), "training wall time");
        if (o.baseline() != null) {
            card(h, pct2(o.baseline().confusion().accuracy()), "feature baseline accuracy (same split)");
        }
        CrossValidationOutcome cv = o.crossValidation();
        if (cv != null) {
            card(h, pct1(cv.lstmAccuracy().mean()) + " ± " + pct1(cv.lstmAccuracy().sd()),
                    cv.k() + "-fold leave-subjects-out accuracy");
        }
        h.append("</div>\n");
        h.append(random ? splitWarning() : "");

        // data
        h.append("<h2>Data</h2>\n<table>\n");
        row(h, "Source", esc(o.dataSource()));
        row(h, "Skipped lines", multiline(o.skipSummary()));
        row(h, "Reader notes", list(o.readerNotes(), "none"));
        row(h, "Training users", users(o.trainUsers()));
        row(h, "Validation users", o.validationWindows() == 0 ? "none (the last epoch is kept)"
                : users(o.validationUsers()) + " · " + o.validationWindows() + " windows");
        row(h, "Test users", users(o.testUsers()));
        row(h, "Windows", o.trainWindows() + " train · " + o.testWindows() + " test");
        h.append("</table>\n");
        if (cm.total() != o.testWindows()) {
            h.append("<p class=\"warn\">The confusion matrix counts ").append(cm.total())
                    .append(" windows but the test set has ").append(o.testWindows()).append(".</p>\n");
        }
        h.append("<h3>Windows per class</h3>\n<table>\n<tr><th>class</th><th class=\"n\">train</th>")
                .append("<th class=\"n\">test</th><th class=\"n\">total</th><th class=\"n\">test share</th></tr>\n");
        long trainSum = 0;
        long testSum = 0;
        for (int i = 0; i < classes.size(); i++) {
            long tr = o.trainWindowsPerClass()[i];
            long te = o.testWindowsPerClass()[i];
            trainSum += tr;
            testSum += te;
            h.append("<tr><td>").append(esc(classes.get(i))).append("</td>").append(numCell(tr)).append(numCell(te))
                    .append(numCell(tr + te)).append(numCell(pct1(ratio(te, tr + te)))).append("</tr>\n");
        }
        h.append("<tr class=\"total\"><td>all</td>").append(numCell(trainSum)).append(numCell(testSum))
                .append(numCell(trainSum + testSum)).append(numCell(pct1(ratio(testSum, trainSum + testSum))))
                .append("</tr>\n</table>\n");

        // split
        h.append("<h2>Split</h2>\n<p>Method: <b>").append(esc(o.splitMethod())).append("</b>. ")
                .append(esc(o.splitNote())).append("</p>\n");
        if (random) {
            h.append(splitWarning());
        } else if ("user".equalsIgnoreCase(o.splitMethod())) {
            h.append("<p class=\"ok\">Whole users are held out: no person has windows in both the training and ")
                    .append("the test set, so the test figures estimate accuracy on people the model has not ")
                    .append("seen.</p>\n");
        }

        // hyperparameters
        h.append("<h2>Hyperparameters</h2>\n<table>\n");
        Map<String, String> hp = o.hyperparameters() == null ? Map.of() : o.hyperparameters();
        if (hp.isEmpty()) {
            h.append("<tr><td class=\"muted\">none recorded</td></tr>\n");
        }
        for (Map.Entry<String, String> e : hp.entrySet()) {
            row(h, esc(e.getKey()), esc(e.getValue()));
        }
        h.append("</table>\n");

        // training curves
        h.append("<h2>Training</h2>\n<p>").append(o.history().size()).append(" epochs in ")
                .append(duration(o.trainingSeconds()));
        if (!o.history().isEmpty()) {
            h.append(" (").append(duration(o.trainingSeconds() / o.history().size())).append(" per epoch on average)");
        }
        h.append(". Train loss and accuracy are averaged over each epoch's mini-batches; test figures are ")
                .append("measured on the whole test set after the epoch.</p>\n");
        if (o.epochChoice() != null) {
            h.append("<p><b>Kept model:</b> ").append(esc(o.epochChoice())).append(".</p>\n");
        }
        image(h, lossPng, "Train and test loss per epoch");
        image(h, accuracyPng, "Train and test accuracy per epoch");
        historyTable(h, o.history());

        // confusion matrix
        h.append("<h2>Confusion matrix (test set)</h2>\n<p>Rows are the actual activity, columns the predicted ")
                .append("one; each cell shows the number of windows and their share of the actual class.</p>\n");
        image(h, confusionPng, "Confusion matrix heatmap");
        confusionTable(h, cm);

        // per-class metrics
        h.append("<h2>Per-class metrics</h2>\n<table>\n<tr><th>class</th><th class=\"n\">precision</th>")
                .append("<th class=\"n\">recall</th><th class=\"n\">F1</th><th class=\"n\">support</th></tr>\n");
        for (ClassMetrics m : perClass) {
            h.append("<tr><td>").append(esc(m.name())).append("</td>").append(numCell(pct1(m.precision())))
                    .append(numCell(pct1(m.recall()))).append(numCell(num(m.f1(), 3))).append(numCell(m.support()))
                    .append("</tr>\n");
        }
        h.append("<tr class=\"total\"><td>macro-F1 / total</td><td></td><td></td>").append(numCell(num(cm.macroF1(), 3)))
                .append(numCell(cm.total())).append("</tr>\n</table>\n")
                .append("<p class=\"muted\">Precision: of the windows predicted as the class, the share that was ")
                .append("right. Recall: of the class's actual windows, the share recognised. A value with a zero ")
                .append("denominator is shown as 0. Macro-F1 is the mean F1 over the classes present in the test ")
                .append("set.</p>\n");

        weakest(h, cm, perClass);
        if (o.smoothed() != null) {
            smoothing(h, cm, o.smoothed(), o.strip(), stripPng);
        }
        if (o.calibration() != null) {
            calibration(h, o.calibration(), reliabilityPng);
        }
        if (o.baseline() != null) {
            baseline(h, cm, o.baseline());
        }
        if (cv != null) {
            crossValidation(h, cv, o.hyperparameters().getOrDefault("axes", "").startsWith(AxesFrame.WALKING.id()));
        }

        h.append("<p class=\"muted\">Training wall time: ").append(duration(o.trainingSeconds()))
                .append(" · data: ").append(esc(o.dataSource())).append(" · model ").append(esc(o.modelVersion()))
                .append("</p>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void calibration(StringBuilder h, CalibrationFigures c, byte[] png) {
        h.append("<h2>Calibration (test set)</h2>\n<p>Every probability the bundle gives is the network's scaled by ")
                .append("the temperature <i>T</i> = ").append(num(c.temperature(), 3))
                .append(" (softmax(log p / T): the most probable class stays the same, only how sure it says it is ")
                .append("changes). <i>T</i> and the smoother's evidence exponent (").append(num(c.evidenceExponent(), 3))
                .append(") were fitted on people the network never trained on: ").append(esc(c.source()))
                .append(" ").append(esc(String.join(", ", c.fittedOn()))).append(" (").append(c.fitWindows())
                .append(" windows), never on the test people. Expected calibration error (ECE): the windows put ")
                .append("into ").append(Reliability.BINS).append(" equal-width bins of the top probability, the ")
                .append("gap between each bin's accuracy and its mean top probability, weighted by its windows.</p>\n")
                .append("<table>\n<tr><th>windows</th><th class=\"n\">ECE, network</th>")
                .append("<th class=\"n\">ECE, calibrated</th><th class=\"n\">expected accuracy</th>")
                .append("<th class=\"n\">realized accuracy</th></tr>\n");
        h.append("<tr><td>calibration people</td>").append(numCell(num(c.fitEceBefore(), 3)))
                .append(numCell(num(c.fitEceAfter(), 3))).append(numCell("")).append(numCell("")).append("</tr>\n");
        h.append("<tr><td>test people</td>").append(numCell(num(c.testBefore().ece(), 3)))
                .append(numCell(num(c.testAfter().ece(), 3))).append(numCell(pct2(c.testAfter().expectedAccuracy())))
                .append(numCell(pct2(c.testAfter().accuracy()))).append("</tr>\n</table>\n");
        h.append("<p>In hindsight, the single temperature with the lowest ECE on the test people themselves (")
                .append(num(c.hindsight().temperature(), 3)).append(") would give ").append(num(c.hindsight().ece(), 3))
                .append(": no temperature fitted on other people can do better on these.</p>\n");
        if (!c.fitSmoothed().isEmpty()) {
            h.append("<p>Smoothed accuracy of the calibration people by evidence exponent (the best is used):");
            c.fitSmoothed().forEach((e, a) -> h.append(" ").append(num(e, 3)).append(": ").append(pct2(a)).append(';'));
            h.setLength(h.length() - 1);
            h.append(".");
            if (c.plainSmoothed() != null) {
                h.append(" On the test people, smoothing without calibration (the network's own probabilities, ")
                        .append("exponent 1) gives ").append(pct2(c.plainSmoothed().causal().accuracy())).append('.');
            }
            h.append("</p>\n");
        }
        if (png != null) {
            image(h, png, "Reliability diagram of the test set before and after calibration");
        }
    }

    private static void smoothing(StringBuilder h, ConfusionMatrix raw, SmoothedFigures s, ActivityStrip strip,
                                  byte[] stripPng) {
        h.append("<h2>Smoothing over time (test set)</h2>\n<p>The same predictions after the smoother the bundle ")
                .append("carries ran over each test person's windows in the order they were recorded: a hidden ")
                .append("Markov model whose transitions were learned from the training people, filtered causally ")
                .append("(each window's smoothed class uses only that window and the ones before it, so it adds no ")
                .append("latency; the stream-app serves exactly these). The fixed-lag rows also look a few windows ")
                .append("ahead: what waiting that many hops would buy.</p>\n<table>\n<tr><th>predictions</th>")
                .append("<th class=\"n\">accuracy</th><th class=\"n\">macro-F1</th></tr>\n");
        h.append("<tr><td>network (raw)</td>").append(numCell(pct2(raw.accuracy()))).append(numCell(num(raw.macroF1(), 3)))
                .append("</tr>\n<tr><td>smoothed (causal)</td>").append(numCell(pct2(s.causal().accuracy())))
                .append(numCell(num(s.causal().macroF1(), 3))).append("</tr>\n");
        s.lagged().forEach((lag, cm) -> h.append("<tr><td>smoothed, fixed lag ").append(lag).append(" windows</td>")
                .append(numCell(pct2(cm.accuracy()))).append(numCell(num(cm.macroF1(), 3))).append("</tr>\n"));
        h.append("<tr><td>each recording voted by its windows (not served)</td>").append(numCell(pct2(s.blockVote()
                .accuracy()))).append(numCell(num(s.blockVote().macroF1(), 3))).append("</tr>\n");
        h.append("</table>\n<p>The last row labels each recording (one person doing one activity) by the class most ")
                .append("of its windows were predicted as. Where that is wrong, most of an activity block is wrong: ")
                .append("errors a smoother following the network's evidence rarely fixes (it can do better than the ")
                .append("vote, or worse, where a block is split).</p>\n");
        if (stripPng != null && strip != null) {
            h.append("<p>One test person, window by window: the true activity, the network's prediction and the ")
                    .append("smoothed one; red marks wrong windows. Errors that last a whole activity block are the ")
                    .append("network's, and smoothing cannot fix them.</p>\n");
            image(h, stripPng, "True, raw and smoothed activity of test user " + strip.user() + " over time");
        }
        h.append("<h3>Confusion matrices side by side</h3>\n<div class=\"cards\">\n<div><h4>network (raw)</h4>\n");
        confusionTable(h, raw);
        h.append("</div>\n<div><h4>smoothed (causal)</h4>\n");
        confusionTable(h, s.causal());
        h.append("</div>\n</div>\n<h3>Per test user</h3>\n<table>\n<tr><th>user</th><th class=\"n\">windows</th>")
                .append("<th class=\"n\">smoothed accuracy</th></tr>\n");
        s.perUser().forEach((user, cm) -> h.append("<tr><td>").append(esc(user)).append("</td>")
                .append(numCell(cm.total())).append(numCell(pct1(cm.accuracy()))).append("</tr>\n"));
        h.append("</table>\n");
    }

    private static void baseline(StringBuilder h, ConfusionMatrix lstm, BaselineOutcome b) {
        h.append("<h2>Feature baseline (same split)</h2>\n<p>").append(esc(b.description()))
                .append(", trained on the same training windows and tested on the same test windows, so the ")
                .append("difference is what the LSTM buys.</p>\n<table>\n<tr><th>model</th>")
                .append("<th class=\"n\">accuracy</th><th class=\"n\">macro-F1</th></tr>\n");
        h.append("<tr><td>LSTM</td>").append(numCell(pct2(lstm.accuracy()))).append(numCell(num(lstm.macroF1(), 3)))
                .append("</tr>\n<tr><td>feature baseline</td>").append(numCell(pct2(b.confusion().accuracy())))
                .append(numCell(num(b.confusion().macroF1(), 3))).append("</tr>\n</table>\n");
    }

    /** @param walkingFrame the windows were read in each person's walking frame, not the phone's axes */
    private static void crossValidation(StringBuilder h, CrossValidationOutcome cv, boolean walkingFrame) {
        h.append("<h2>Cross-validation: ").append(cv.k()).append(" folds, whole users held out</h2>\n")
                .append("<p>Every user is a test user in exactly one fold (folds drawn with seed ").append(cv.seed())
                .append("). Each fold trains a new network by the recipe <b>").append(esc(cv.recipe()))
                .append("</b> on the other users (").append(esc(cv.epochChoice())).append("); the ")
                .append("feature baseline is trained and tested on the same windows. Mean ± standard deviation ")
                .append("over the folds:</p>\n<table>\n<tr><th>model</th><th class=\"n\">accuracy</th>")
                .append("<th class=\"n\">macro-F1</th></tr>\n");
        h.append("<tr><td>LSTM</td>").append(numCell(spread(cv.lstmAccuracy()))).append(numCell(spreadF1(cv.lstmMacroF1())))
                .append("</tr>\n");
        if (cv.hasSmoothing()) {
            h.append("<tr><td>LSTM, smoothed (causal)</td>").append(numCell(spread(cv.smoothedAccuracy())))
                    .append(numCell(spreadF1(cv.smoothedMacroF1()))).append("</tr>\n");
            for (int lag : cv.lags()) {
                h.append("<tr><td>LSTM, smoothed, fixed lag ").append(lag).append(" windows</td>")
                        .append(numCell(spread(cv.laggedSpread(lag, false))))
                        .append(numCell(spreadF1(cv.laggedSpread(lag, true)))).append("</tr>\n");
            }
        }
        if (cv.hasBaseline()) {
            h.append("<tr><td>").append(esc(cv.baselineDescription())).append("</td>")
                    .append(numCell(spread(cv.baselineAccuracy()))).append(numCell(spreadF1(cv.baselineMacroF1())))
                    .append("</tr>\n");
        }
        h.append("</table>\n");
        if (cv.hasCalibration()) {
            h.append("<p>Calibration, each fold fitted on its own held-out training people: test ECE ")
                    .append(spreadF1(cv.ece(false))).append(" uncalibrated, ").append(spreadF1(cv.ece(true)))
                    .append(" calibrated; expected accuracy ").append(spread(cv.expectedAccuracy()))
                    .append(" against realized ").append(spread(cv.lstmAccuracy())).append(".</p>\n<table>\n")
                    .append("<tr><th class=\"n\">fold</th><th>calibration people</th><th class=\"n\">T</th>")
                    .append("<th class=\"n\">evidence exponent</th><th class=\"n\">ECE before / after</th>")
                    .append("<th class=\"n\">expected / realized</th></tr>\n");
            for (FoldOutcome f : cv.folds()) {
                CalibrationFigures c = f.calibration();
                h.append("<tr>").append(numCell(f.fold())).append("<td>").append(esc(String.join(", ", c.fittedOn())))
                        .append("</td>").append(numCell(num(c.temperature(), 3)))
                        .append(numCell(num(c.evidenceExponent(), 3)))
                        .append(numCell(num(c.testBefore().ece(), 3) + " / " + num(c.testAfter().ece(), 3)))
                        .append(numCell(pct1(c.testAfter().expectedAccuracy()) + " / " + pct1(c.testAfter().accuracy())))
                        .append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("<table>\n<tr><th class=\"n\">fold</th><th>test users</th><th>validation users</th>")
                .append("<th class=\"n\">test windows</th><th class=\"n\">epoch kept / run</th>")
                .append("<th class=\"n\">LSTM accuracy</th><th class=\"n\">LSTM macro-F1</th>")
                .append("<th class=\"n\">smoothed accuracy</th><th class=\"n\">smoothed macro-F1</th>")
                .append("<th class=\"n\">baseline accuracy</th><th class=\"n\">baseline macro-F1</th>")
                .append("<th class=\"n\">time</th></tr>\n");
        for (FoldOutcome f : cv.folds()) {
            h.append("<tr>").append(numCell(f.fold())).append("<td>").append(esc(String.join(", ", f.testUsers())))
                    .append("</td><td>").append(esc(f.validationUsers().isEmpty() ? "none"
                            : String.join(", ", f.validationUsers()))).append("</td>")
                    .append(numCell(f.testWindows())).append(numCell(f.keptEpoch() + " / " + f.epochsRun()))
                    .append(numCell(pct1(f.lstm().accuracy()))).append(numCell(num(f.lstm().macroF1(), 3)))
                    .append(numCell(f.smoothed() == null ? "n/a" : pct1(f.smoothed().causal().accuracy())))
                    .append(numCell(f.smoothed() == null ? "n/a" : num(f.smoothed().causal().macroF1(), 3)))
                    .append(numCell(f.baseline() == null ? "n/a" : pct1(f.baseline().accuracy())))
                    .append(numCell(f.baseline() == null ? "n/a" : num(f.baseline().macroF1(), 3)))
                    .append(numCell(duration(f.seconds()))).append("</tr>\n");
        }
        h.append("</table>\n<h3>LSTM confusion matrix, all folds added up</h3>\n");
        confusionTable(h, cv.lstmSummed());
        if (cv.hasSmoothing()) {
            h.append("<h3>LSTM smoothed (causal) confusion matrix, all folds added up</h3>\n");
            confusionTable(h, cv.smoothedSummed());
        }
        if (cv.hasBaseline()) {
            h.append("<h3>Baseline confusion matrix, all folds added up</h3>\n");
            confusionTable(h, cv.baselineSummed());
        }
        h.append("<h3>Who holds it back</h3>\n<p>The users the LSTM recognised worst, each from the fold where ")
                .append("they were a test user, with their most frequent confusion and how their phone lay in the two ")
                .append("activities: the mean acceleration ")
                .append(walkingFrame ? "in the axes the network read, each person's walking frame (m/s², y the "
                        + "direction gravity had while they moved, i.e. their thigh's upright; x and z across it)"
                        : "in the phone's axes (m/s², y along its long side, z out of the screen)")
                .append(", which for the still activities is gravity. Sitting and standing are told apart ")
                .append("mostly by it: a person whose phone lies the same way in both, or lies the way other people's ")
                .append("does in the other activity (sideways in the pocket when standing, say), is hard for any ")
                .append("model that has not met them.</p>\n<table>\n<tr><th>user</th>")
                .append("<th class=\"n\">fold</th><th class=\"n\">windows</th><th class=\"n\">accuracy</th>")
                .append("<th class=\"n\">smoothed</th><th class=\"n\">baseline</th><th>most frequent confusion</th>")
                .append("<th>phone (actual activity)</th><th>phone (predicted activity)</th></tr>\n");
        List<CrossValidationOutcome.UserFigures> users = cv.usersByAccuracy();
        for (CrossValidationOutcome.UserFigures u : users.subList(0, Math.min(8, users.size()))) {
            List<ConfusionMatrix.Confusion> top = u.confusion().weakestPairs(1);
            String confusion = top.isEmpty() ? "none" : share(top.get(0).shareOfActual()) + " of "
                    + top.get(0).actual() + " predicted " + top.get(0).predicted() + " (" + top.get(0).count()
                    + " windows)";
            h.append("<tr><td>").append(esc(u.user())).append("</td>").append(numCell(u.fold()))
                    .append(numCell(u.confusion().total())).append(numCell(pct1(u.confusion().accuracy())))
                    .append(numCell(u.smoothed() == null ? "n/a" : pct1(u.smoothed().accuracy())))
                    .append(numCell(u.baseline() == null ? "n/a" : pct1(u.baseline().accuracy())))
                    .append("<td>").append(esc(confusion)).append("</td><td>")
                    .append(esc(top.isEmpty() ? "" : posture(u, top.get(0).actual()))).append("</td><td>")
                    .append(esc(top.isEmpty() ? "" : posture(u, top.get(0).predicted()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String posture(CrossValidationOutcome.UserFigures u, String activity) {
        PhonePosture p = u.postures().get(activity);
        return p == null ? "no windows" : activity + ": " + p.describe();
    }

    private static String spread(CrossValidationOutcome.Spread s) {
        return s == null ? "n/a" : pct1(s.mean()) + " ± " + pct1(s.sd());
    }

    private static String spreadF1(CrossValidationOutcome.Spread s) {
        return s == null ? "n/a" : num(s.mean(), 3) + " ± " + num(s.sd(), 3);
    }

    private static String splitWarning() {
        return "<p class=\"warn\"><b>Random split — leaky.</b> Windows were assigned to train and test at random, "
                + "so overlapping windows from the same recording of the same person are on both sides. The test "
                + "figures in this report therefore overstate the accuracy on people the model has not seen; use "
                + "the user split for that estimate.</p>\n";
    }

    private static void weakest(StringBuilder h, ConfusionMatrix cm, List<ClassMetrics> perClass) {
        h.append("<h2>Where the model is weakest</h2>\n");
        if (cm.total() == 0) {
            h.append("<p>No test windows were evaluated.</p>\n");
            return;
        }
        h.append("<ul>\n");
        int lowRecall = -1;
        int lowPrecision = -1;
        for (int i = 0; i < perClass.size(); i++) {
            ClassMetrics m = perClass.get(i);
            if (m.support() > 0 && (lowRecall < 0 || m.recall() < perClass.get(lowRecall).recall())) {
                lowRecall = i;
            }
            if (m.support() > 0 || cm.predictedCount(i) > 0) {
                if (lowPrecision < 0 || m.precision() < perClass.get(lowPrecision).precision()) {
                    lowPrecision = i;
                }
            }
        }
        if (lowRecall >= 0) {
            ClassMetrics m = perClass.get(lowRecall);
            String name = esc(m.name());
            h.append("<li>Lowest recall: <b>").append(name).append("</b> — ").append(pct1(m.recall()))
                    .append(" of actual ").append(name).append(" windows were recognised (")
                    .append(cm.count(lowRecall, lowRecall)).append(" of ").append(m.support()).append(").</li>\n");
        }
        if (lowPrecision >= 0) {
            ClassMetrics m = perClass.get(lowPrecision);
            String name = esc(m.name());
            long predicted = cm.predictedCount(lowPrecision);
            h.append("<li>Lowest precision: <b>").append(name).append("</b> — ");
            if (predicted == 0) {
                h.append("never predicted, so its precision counts as 0.</li>\n");
            } else {
                h.append("of the ").append(predicted).append(" windows predicted ").append(name).append(", ")
                        .append(pct1(m.precision())).append(" (").append(cm.count(lowPrecision, lowPrecision))
                        .append(") were actually ").append(name).append(".</li>\n");
            }
        }
        h.append("</ul>\n");
        List<ConfusionMatrix.Confusion> top = cm.weakestPairs(3);
        if (top.isEmpty()) {
            h.append("<p>No test window was misclassified.</p>\n");
            return;
        }
        h.append("<p>Most frequent confusions:</p>\n<ol>\n");
        for (ConfusionMatrix.Confusion c : top) {
            h.append("<li>").append(share(c.shareOfActual())).append(" of actual ").append(esc(c.actual()))
                    .append(" windows were predicted ").append(esc(c.predicted())).append(" (").append(c.count())
                    .append(c.count() == 1 ? " window" : " windows").append(").</li>\n");
        }
        h.append("</ol>\n");
    }

    private static void confusionTable(StringBuilder h, ConfusionMatrix cm) {
        List<String> classes = cm.classes();
        double[][] shares = cm.rowNormalized();
        List<ClassMetrics> perClass = cm.perClass();
        h.append("<table>\n<tr><th>actual \\ predicted</th>");
        for (String c : classes) {
            h.append("<th class=\"n\">").append(esc(c)).append("</th>");
        }
        h.append("<th class=\"n\">total</th><th class=\"n\">recall</th></tr>\n");
        for (int i = 0; i < classes.size(); i++) {
            h.append("<tr><th>").append(esc(classes.get(i))).append("</th>");
            for (int j = 0; j < classes.size(); j++) {
                java.awt.Color bg = Plots.blues(shares[i][j]);
                boolean dark = bg.getRed() * 0.2126 + bg.getGreen() * 0.7152 + bg.getBlue() * 0.0722 < 128;
                h.append(String.format(Locale.ROOT, "<td class=\"n%s\" style=\"background:#%02x%02x%02x;color:%s\">",
                                i == j ? " diag" : "", bg.getRed(), bg.getGreen(), bg.getBlue(),
                                dark ? "#fff" : "#000"))
                        .append(cm.count(i, j)).append("</td>");
            }
            h.append(numCell(cm.support(i))).append(numCell(pct1(perClass.get(i).recall()))).append("</tr>\n");
        }
        h.append("<tr class=\"total\"><td>total</td>");
        for (int j = 0; j < classes.size(); j++) {
            h.append(numCell(cm.predictedCount(j)));
        }
        h.append(numCell(cm.total())).append(numCell(pct1(cm.accuracy()))).append("</tr>\n</table>\n");
    }

    private static void historyTable(StringBuilder h, List<EpochStats> history) {
        if (history.isEmpty()) {
            return;
        }
        h.append("<details><summary>Per-epoch history</summary>\n<table>\n<tr><th class=\"n\">epoch</th>")
                .append("<th class=\"n\">train loss</th><th class=\"n\">train accuracy</th><th class=\"n\">test loss</th>")
                .append("<th class=\"n\">test accuracy</th><th class=\"n\">seconds</th></tr>\n");
        for (EpochStats e : history) {
            h.append("<tr>").append(numCell(e.epoch())).append(numCell(num(e.trainLoss(), 4)))
                    .append(numCell(pct2(e.trainAccuracy()))).append(numCell(num(e.testLoss(), 4)))
                    .append(numCell(pct2(e.testAccuracy()))).append(numCell(num(e.seconds(), 1))).append("</tr>\n");
        }
        h.append("</table>\n</details>\n");
    }

    private static void image(StringBuilder h, byte[] png, String alt) {
        h.append("<p><img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
    }

    private static void card(StringBuilder h, String value, String label) {
        h.append("<div class=\"card\"><div class=\"v\">").append(esc(value)).append("</div><div class=\"l\">")
                .append(esc(label)).append("</div></div>\n");
    }

    /** A two-column row; {@code valueHtml} is already escaped. */
    private static void row(StringBuilder h, String keyHtml, String valueHtml) {
        h.append("<tr><th>").append(keyHtml).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    private static String numCell(Object v) {
        return "<td class=\"n\">" + esc(String.valueOf(v)) + "</td>";
    }

    private static String users(List<String> users) {
        if (users == null || users.isEmpty()) {
            return "none";
        }
        return users.size() + (users.size() == 1 ? " user: " : " users: ") + esc(String.join(", ", users));
    }

    private static String list(List<String> items, String ifEmpty) {
        if (items == null || items.isEmpty()) {
            return esc(ifEmpty);
        }
        StringBuilder sb = new StringBuilder("<ul>");
        for (String s : items) {
            sb.append("<li>").append(esc(s)).append("</li>");
        }
        return sb.append("</ul>").toString();
    }

    private static String multiline(String text) {
        if (text == null || text.isBlank()) {
            return "nothing skipped";
        }
        return esc(text.strip()).replace("\n", "<br>");
    }

    /** HTML-escapes text for element content and quoted attribute values; null becomes "". */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** "87.34%" — the format of the headline accuracy. */
    static String pct2(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f%%", fraction * 100) : "n/a";
    }

    private static String pct1(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f%%", fraction * 100) : "n/a";
    }

    /** "23%" for shares of 10% and more, "4.5%" below. */
    private static String share(double fraction) {
        double p = fraction * 100;
        return String.format(Locale.ROOT, p >= 9.95 ? "%.0f%%" : "%.1f%%", p);
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    /** "42.3 s", "12 min 5 s", "2 h 3 min". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "n/a";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + ((s % 3600) / 60) + " min";
    }
}
