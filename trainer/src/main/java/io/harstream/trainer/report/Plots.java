package io.harstream.trainer.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The evaluation images: loss and accuracy over epochs (XChart) and the confusion-matrix heatmap
 * (Java2D, so every cell can show its count and row percentage). Everything renders headless.
 */
final class Plots {

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final int CHART_WIDTH = 800;
    static final int CHART_HEIGHT = 500;

    private static final Color TRAIN_COLOR = new Color(31, 119, 180);
    private static final Color TEST_COLOR = new Color(255, 127, 14);
    private static final Color VALIDATION_COLOR = new Color(44, 160, 44);

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font COUNT_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font SHARE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private static final int PAD = 12;
    private static final int MIN_CELL = 92;
    private static final int MAX_CELL = 150;
    private static final int BAR_WIDTH = 18;

    /** matplotlib's "Blues" ramp, sampled at 0, .25, .5, .75, 1. */
    private static final int[][] BLUES = {
            {247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}};

    private Plots() {
    }

    /** Train and test loss over epochs, {@link #CHART_WIDTH} x {@link #CHART_HEIGHT}. */
    static BufferedImage lossChart(List<EpochStats> history) {
        return lineChart("Loss per epoch", "loss", history, EpochStats::trainLoss, EpochStats::validationLoss,
                EpochStats::testLoss, 1, "0.###");
    }

    /** Train and test accuracy (in %) over epochs, {@link #CHART_WIDTH} x {@link #CHART_HEIGHT}. */
    static BufferedImage accuracyChart(List<EpochStats> history) {
        return lineChart("Accuracy per epoch", "accuracy (%)", history,
                EpochStats::trainAccuracy, EpochStats::validationAccuracy, EpochStats::testAccuracy, 100, "0.#");
    }

    private static BufferedImage lineChart(String title, String yTitle, List<EpochStats> history,
                                           ToDoubleFunction<EpochStats> train,
                                           ToDoubleFunction<EpochStats> validation, ToDoubleFunction<EpochStats> test,
                                           double scale, String yPattern) {
        if (history.isEmpty()) {
            return message(CHART_WIDTH, CHART_HEIGHT, title, "no epochs recorded");
        }
        XYChart chart = chart(title, "epoch", yTitle);
        XYStyler styler = chart.getStyler();
        styler.setXAxisDecimalPattern("0");
        styler.setYAxisDecimalPattern(yPattern);
        styler.setMarkerSize(history.size() <= 30 ? 6 : 0);
        if (history.size() == 1) {
            int e = history.get(0).epoch();
            styler.setXAxisMin(e - 1.0);
            styler.setXAxisMax(e + 1.0);
        }

        double[] x = new double[history.size()];
        double[] yTrain = new double[history.size()];
        double[] yTest = new double[history.size()];
        double[] yValidation = new double[history.size()];
        boolean hasValidation = history.stream().anyMatch(EpochStats::hasValidation);
        for (int i = 0; i < history.size(); i++) {
            EpochStats s = history.get(i);
            x[i] = s.epoch();
            yTrain[i] = finiteOrNaN(train.applyAsDouble(s) * scale);
            yTest[i] = finiteOrNaN(test.applyAsDouble(s) * scale);
            yValidation[i] = finiteOrNaN(validation.applyAsDouble(s) * scale);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            for (double v : new double[] {yTrain[i], yTest[i], hasValidation ? yValidation[i] : Double.NaN}) {
                if (!Double.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min <= max && x.length <= 2) {
            // one or two epochs: XChart would put ticks only at the data values; give it a padded range
            double pad = Math.max((max - min) * 0.15, Math.max(Math.abs(max) * 0.1, 0.01));
            styler.setYAxisMin(min - pad);
            styler.setYAxisMax(max + pad);
        }
        XYSeries a = chart.addSeries("train", x, yTrain);
        a.setLineColor(TRAIN_COLOR);
        a.setMarkerColor(TRAIN_COLOR);
        a.setMarker(SeriesMarkers.CIRCLE);
        a.setLineWidth(2.5f);
        if (hasValidation) {
            XYSeries v = chart.addSeries("validation", x, yValidation);
            v.setLineColor(VALIDATION_COLOR);
            v.setMarkerColor(VALIDATION_COLOR);
            v.setMarker(SeriesMarkers.SQUARE);
            v.setLineWidth(2.5f);
        }
        XYSeries b = chart.addSeries("test", x, yTest);
        b.setLineColor(TEST_COLOR);
        b.setMarkerColor(TEST_COLOR);
        b.setMarker(SeriesMarkers.DIAMOND);
        b.setLineWidth(2.5f);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * The reliability diagram: each non-empty bin's accuracy against its mean top probability, before and after the
     * temperature, beside the diagonal a calibrated classifier lies on; {@link #CHART_WIDTH} x
     * {@link #CHART_HEIGHT}.
     */
    static BufferedImage reliabilityDiagram(CalibrationFigures c) {
        XYChart chart = chart("Reliability on the test set (" + Reliability.BINS + " bins of the top probability)",
                "mean top probability in the bin (%)", "accuracy in the bin (%)");
        XYStyler styler = chart.getStyler();
        styler.setXAxisDecimalPattern("0");
        styler.setYAxisDecimalPattern("0");
        styler.setXAxisMin(0.0);
        styler.setXAxisMax(100.0);
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(100.0);
        styler.setMarkerSize(8);
        XYSeries diagonal = chart.addSeries("calibrated", new double[] {0, 100}, new double[] {0, 100});
        diagonal.setLineColor(Color.GRAY);
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                java.awt.BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        reliabilitySeries(chart, String.format(Locale.ROOT, "network (ECE %.3f)", c.testBefore().ece()),
                c.testBefore(), TEST_COLOR, SeriesMarkers.DIAMOND);
        reliabilitySeries(chart, String.format(Locale.ROOT, "calibrated, T = %.2f (ECE %.3f)", c.temperature(),
                c.testAfter().ece()), c.testAfter(), TRAIN_COLOR, SeriesMarkers.CIRCLE);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void reliabilitySeries(XYChart chart, String name, Reliability r, Color color,
                                          org.knowm.xchart.style.markers.Marker marker) {
        List<Double> x = new java.util.ArrayList<>();
        List<Double> y = new java.util.ArrayList<>();
        for (int b = 0; b < Reliability.BINS; b++) {
            if (r.counts()[b] > 0) {
                x.add(r.binConfidence()[b] * 100);
                y.add(r.binAccuracy()[b] * 100);
            }
        }
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(marker);
        s.setLineWidth(2.5f);
    }

    /** An empty {@link #CHART_WIDTH} x {@link #CHART_HEIGHT} line chart in the report's style. */
    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(CHART_WIDTH).height(CHART_HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setLocale(Locale.ROOT);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setPlotBorderVisible(false);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setAxisTitleFont(LABEL_FONT);
        styler.setLegendFont(LABEL_FONT);
        styler.setAxisTickLabelsFont(CAPTION_FONT);
        return chart;
    }

    /** Infinite values (a diverged loss) are not plotted; XChart leaves NaN points out. */
    private static double finiteOrNaN(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    /** The size {@link #confusionMatrix} draws at for this matrix (it grows with the class count). */
    static Dimension confusionMatrixSize(ConfusionMatrix cm) {
        return new Layout(cm).size();
    }

    /**
     * Heatmap of {@code cm}: actual classes on rows (y), predicted on columns (x), first class top-left;
     * each cell shows its count and its share of the actual row, and is coloured by that share.
     */
    static BufferedImage confusionMatrix(ConfusionMatrix cm) {
        Layout l = new Layout(cm);
        Dimension size = l.size();
        BufferedImage img = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        try {
            List<String> classes = cm.classes();
            int n = classes.size();
            long[][] counts = cm.counts();
            double[][] shares = cm.rowNormalized();

            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            String title = "Confusion matrix (" + cm.total() + " test windows)";
            g.drawString(title, (size.width - g.getFontMetrics().stringWidth(title)) / 2,
                    PAD + g.getFontMetrics().getAscent());
            g.setFont(CAPTION_FONT);
            g.setColor(Color.DARK_GRAY);
            String caption = "each cell: count and % of the actual class (row); colour = row %";
            g.drawString(caption, (size.width - g.getFontMetrics().stringWidth(caption)) / 2,
                    l.captionBaseline);

            for (int i = 0; i < n; i++) {
                long rowTotal = cm.support(i);
                for (int j = 0; j < n; j++) {
                    int x = l.gridX + j * l.cell;
                    int y = l.gridY + i * l.cell;
                    Color fill = blues(shares[i][j]);
                    g.setColor(fill);
                    g.fillRect(x, y, l.cell, l.cell);
                    g.setColor(luminance(fill) < 0.5 ? Color.WHITE : Color.BLACK);
                    String count = Long.toString(counts[i][j]);
                    String share = rowTotal == 0 ? "n/a" : percent(shares[i][j]);
                    g.setFont(COUNT_FONT);
                    FontMetrics fc = g.getFontMetrics();
                    g.setFont(SHARE_FONT);
                    FontMetrics fs = g.getFontMetrics();
                    int block = fc.getAscent() + 4 + fs.getAscent();
                    int top = y + (l.cell - block) / 2;
                    g.setFont(COUNT_FONT);
                    g.drawString(count, x + (l.cell - fc.stringWidth(count)) / 2, top + fc.getAscent());
                    g.setFont(SHARE_FONT);
                    g.drawString(share, x + (l.cell - fs.stringWidth(share)) / 2,
                            top + fc.getAscent() + 4 + fs.getAscent());
                }
            }
            g.setColor(new Color(255, 255, 255, 140));
            g.setStroke(new BasicStroke(1f));
            for (int k = 1; k < n; k++) {
                g.drawLine(l.gridX + k * l.cell, l.gridY, l.gridX + k * l.cell, l.gridY + n * l.cell);
                g.drawLine(l.gridX, l.gridY + k * l.cell, l.gridX + n * l.cell, l.gridY + k * l.cell);
            }
            g.setColor(Color.GRAY);
            g.drawRect(l.gridX, l.gridY, n * l.cell, n * l.cell);

            // class labels: rows (actual) right-aligned left of the grid, columns (predicted) below it
            g.setColor(Color.BLACK);
            g.setFont(LABEL_FONT);
            FontMetrics fl = g.getFontMetrics();
            for (int i = 0; i < n; i++) {
                String name = classes.get(i);
                int w = fl.stringWidth(name);
                g.drawString(name, l.gridX - PAD / 2 - w,
                        l.gridY + i * l.cell + (l.cell + fl.getAscent() - fl.getDescent()) / 2);
                int cx = l.gridX + i * l.cell + l.cell / 2;
                int top = l.gridY + n * l.cell + PAD / 2;
                if (l.rotateColumnLabels) {
                    AffineTransform saved = g.getTransform();
                    g.translate(cx + (fl.getAscent() - fl.getDescent()) / 2.0, top + w);
                    g.rotate(-Math.PI / 2);
                    g.drawString(name, 0, 0);
                    g.setTransform(saved);
                } else {
                    g.drawString(name, cx - w / 2, top + fl.getAscent());
                }
            }

            // axis titles
            g.setFont(AXIS_TITLE_FONT);
            FontMetrics fa = g.getFontMetrics();
            String xTitle = "Predicted";
            g.drawString(xTitle, l.gridX + (n * l.cell - fa.stringWidth(xTitle)) / 2, l.xTitleBaseline);
            String yTitle = "Actual";
            AffineTransform saved = g.getTransform();
            g.translate(PAD + fa.getAscent(), l.gridY + (n * l.cell + fa.stringWidth(yTitle)) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(yTitle, 0, 0);
            g.setTransform(saved);

            // colour bar: 0 % at the bottom, 100 % at the top
            int barX = l.gridX + n * l.cell + 2 * PAD;
            int barH = Math.max(n * l.cell, 1);
            for (int y = 0; y < barH; y++) {
                g.setColor(blues(1.0 - (double) y / Math.max(barH - 1, 1)));
                g.drawLine(barX, l.gridY + y, barX + BAR_WIDTH, l.gridY + y);
            }
            g.setColor(Color.GRAY);
            g.drawRect(barX, l.gridY, BAR_WIDTH, barH);
            g.setFont(TICK_FONT);
            FontMetrics ft = g.getFontMetrics();
            for (int p = 0; p <= 100; p += 25) {
                int y = l.gridY + (int) Math.round((1 - p / 100.0) * barH);
                g.setColor(Color.GRAY);
                g.drawLine(barX + BAR_WIDTH, y, barX + BAR_WIDTH + 4, y);
                g.setColor(Color.BLACK);
                g.drawString(p + "%", barX + BAR_WIDTH + 7, y + (ft.getAscent() - ft.getDescent()) / 2);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Pixel layout of the confusion heatmap, computed once from the font metrics. */
    private static final class Layout {
        final int cell;
        final boolean rotateColumnLabels;
        final int gridX;
        final int gridY;
        final int captionBaseline;
        final int xTitleBaseline;
        final int width;
        final int height;

        Layout(ConfusionMatrix cm) {
            BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = graphics(scratch);
            try {
                int n = cm.classes().size();
                FontMetrics label = g.getFontMetrics(LABEL_FONT);
                FontMetrics title = g.getFontMetrics(TITLE_FONT);
                FontMetrics caption = g.getFontMetrics(CAPTION_FONT);
                FontMetrics axis = g.getFontMetrics(AXIS_TITLE_FONT);
                FontMetrics tick = g.getFontMetrics(TICK_FONT);
                int maxLabel = 0;
                for (String c : cm.classes()) {
                    maxLabel = Math.max(maxLabel, label.stringWidth(c));
                }
                cell = Math.max(MIN_CELL, Math.min(MAX_CELL, maxLabel + PAD));
                rotateColumnLabels = maxLabel + PAD / 2 > cell;
                int columnLabels = rotateColumnLabels ? maxLabel : label.getHeight();

                gridX = PAD + axis.getHeight() + PAD + maxLabel + PAD / 2;
                captionBaseline = PAD + title.getHeight() + caption.getAscent();
                gridY = captionBaseline + caption.getDescent() + PAD + PAD / 2;
                int gridBottom = gridY + n * cell;
                xTitleBaseline = gridBottom + PAD / 2 + columnLabels + PAD + axis.getAscent();
                height = xTitleBaseline + axis.getDescent() + PAD;
                int barRight = gridX + n * cell + 2 * PAD + BAR_WIDTH + 7 + tick.stringWidth("100%") + PAD;
                int titleWidth = title.stringWidth("Confusion matrix (" + cm.total() + " test windows)") + 2 * PAD;
                int captionWidth = caption.stringWidth(
                        "each cell: count and % of the actual class (row); colour = row %") + 2 * PAD;
                width = Math.max(barRight, Math.max(titleWidth, captionWidth));
            } finally {
                g.dispose();
            }
        }

        Dimension size() {
            return new Dimension(width, height);
        }
    }

    /** Categorical colours (matplotlib's tab10) for classes in the strip plot. */
    private static final Color[] CLASS_COLORS = {
            new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
            new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final Color ERROR_COLOR = new Color(200, 0, 0);
    static final int STRIP_WIDTH = 1200;

    /**
     * One person's windows in time order as three bands, true activity, the network's prediction and the smoothed
     * one, each window coloured by its class; under each prediction band a thin line is red where a window is
     * wrong, and grey ticks mark where the smoother started over. When there are more windows than pixels, a pixel
     * column shows its windows' most frequent class and is red if any of them is wrong.
     */
    static BufferedImage activityStrip(ActivityStrip s) {
        int n = s.actual().length;
        int left = 110;
        int plotWidth = STRIP_WIDTH - left - PAD;
        int band = 34;
        int errorBand = 6;
        int top = PAD + 30;
        int legendTop = top + 3 * (band + errorBand + 10) + 16;
        int height = legendTop + 24 + PAD;
        BufferedImage img = new BufferedImage(STRIP_WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        try {
            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            g.drawString("Test user " + s.user() + ": " + n + " windows in time order", left, PAD + 18);
            String[] names = {"true", "network", "smoothed"};
            int[][] rows = {s.actual(), s.raw(), s.smoothed()};
            g.setFont(LABEL_FONT);
            for (int r = 0; r < 3; r++) {
                int y = top + r * (band + errorBand + 10);
                g.setColor(Color.BLACK);
                g.drawString(names[r], PAD, y + band / 2 + 5);
                for (int px = 0; px < plotWidth; px++) {
                    int from = (int) ((long) px * n / plotWidth);
                    int to = Math.max(from + 1, (int) ((long) (px + 1) * n / plotWidth));
                    if (from >= n) {
                        break;
                    }
                    int[] votes = new int[s.classes().size()];
                    boolean wrong = false;
                    for (int i = from; i < Math.min(to, n); i++) {
                        votes[rows[r][i]]++;
                        wrong |= rows[r][i] != s.actual()[i];
                    }
                    int best = 0;
                    for (int c = 1; c < votes.length; c++) {
                        best = votes[c] > votes[best] ? c : best;
                    }
                    g.setColor(CLASS_COLORS[best % CLASS_COLORS.length]);
                    g.fillRect(left + px, y, 1, band);
                    if (r > 0 && wrong) {
                        g.setColor(ERROR_COLOR);
                        g.fillRect(left + px, y + band + 1, 1, errorBand);
                    }
                }
            }
            g.setColor(Color.GRAY);
            for (int i : s.restarts()) {
                int x = left + (int) ((long) i * plotWidth / Math.max(1, n));
                g.fillRect(x, top - 6, 1, 5);
            }
            int x = left;
            g.setFont(CAPTION_FONT);
            FontMetrics f = g.getFontMetrics();
            for (int c = 0; c < s.classes().size(); c++) {
                g.setColor(CLASS_COLORS[c % CLASS_COLORS.length]);
                g.fillRect(x, legendTop, 14, 14);
                g.setColor(Color.BLACK);
                g.drawString(s.classes().get(c), x + 18, legendTop + 12);
                x += 18 + f.stringWidth(s.classes().get(c)) + 16;
            }
            g.setColor(ERROR_COLOR);
            g.fillRect(x, legendTop + 5, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString("wrong", x + 18, legendTop + 12);
            x += 18 + f.stringWidth("wrong") + 16;
            g.setColor(Color.GRAY);
            g.fillRect(x + 6, legendTop, 1, 14);
            g.setColor(Color.BLACK);
            g.drawString("smoother restarts (gap)", x + 12, legendTop + 12);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** PNG bytes of {@code image}. */
    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** "23.4%" for 0.234. */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private static BufferedImage message(int width, int height, String title, String text) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(img);
        try {
            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            FontMetrics f = g.getFontMetrics();
            g.drawString(title, (width - f.stringWidth(title)) / 2, PAD + f.getAscent());
            g.setFont(LABEL_FONT);
            f = g.getFontMetrics();
            g.drawString(text, (width - f.stringWidth(text)) / 2, height / 2);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** Colour for a share in 0..1 on the Blues ramp. */
    static Color blues(double share) {
        double t = Math.max(0, Math.min(1, Double.isNaN(share) ? 0 : share)) * (BLUES.length - 1);
        int k = Math.min((int) t, BLUES.length - 2);
        double f = t - k;
        int[] a = BLUES[k];
        int[] b = BLUES[k + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }

    private static double luminance(Color c) {
        return (0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue()) / 255.0;
    }
}
