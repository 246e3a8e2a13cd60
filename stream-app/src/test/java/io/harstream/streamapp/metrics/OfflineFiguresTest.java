package io.harstream.streamapp.metrics;

import io.harstream.core.model.BundleManifest;
import io.harstream.streamapp.TestModels;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model's offline figures as gauges, exactly as scraped: the series the dashboard's reference lines and
 * the relative accuracy alert read.
 */
class OfflineFiguresTest {

    private static final BundleManifest.Metrics TEST = new BundleManifest.Metrics(0.912, 0.31, 0.897);
    private static final BundleManifest.CrossValidationFigures CV =
            new BundleManifest.CrossValidationFigures(5, 0.889, 0.04, 0.881, 0.05, null, null);

    @Test
    void testAndCrossValidatedFiguresAreGaugesByVersionAndFigure() {
        BundleManifest m = manifest(TEST, CV);
        String scrape = scrape(m);
        String v = "role=\"active\",version=\"" + m.modelVersion() + "\"";
        assertThat(scrape).contains(
                "# TYPE har_model_offline_accuracy_ratio gauge",
                "har_model_offline_accuracy_ratio{figure=\"test\"," + v + "} 0.912",
                "har_model_offline_accuracy_ratio{figure=\"cv_mean\"," + v + "} 0.889",
                "# TYPE har_model_offline_macro_f1_ratio gauge",
                "har_model_offline_macro_f1_ratio{figure=\"test\"," + v + "} 0.897",
                "har_model_offline_macro_f1_ratio{figure=\"cv_mean\"," + v + "} 0.881");
        assertThat(scrape).contains("# HELP har_model_offline_accuracy_ratio The loaded model's accuracy as the"
                + " trainer measured it offline");
    }

    @Test
    void noCrossValidationNoCvSeries() {
        String scrape = scrape(manifest(TEST, null));
        assertThat(scrape).contains("har_model_offline_accuracy_ratio{figure=\"test\"",
                "har_model_offline_macro_f1_ratio{figure=\"test\"");
        assertThat(scrape).doesNotContain("{figure=\"cv_mean\"");
    }

    /** A figure the bundle does not record gives no series, not a 0 that an alert would compare against. */
    @Test
    void missingOrNaNFiguresAreNotExported() {
        assertThat(scrape(manifest(null, null))).doesNotContain("har_model_offline");
        String scrape = scrape(manifest(new BundleManifest.Metrics(Double.NaN, 0.4, 0.8), null));
        assertThat(scrape).doesNotContain("har_model_offline_accuracy_ratio{")
                .contains("har_model_offline_macro_f1_ratio{figure=\"test\"");
    }

    private static String scrape(BundleManifest manifest) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        HarMetrics.register(registry, manifest);
        return registry.scrape();
    }

    private static BundleManifest manifest(BundleManifest.Metrics metrics,
                                           BundleManifest.CrossValidationFigures cv) {
        return TestModels.untrained().manifest().withMetrics(metrics).withCrossValidation(cv);
    }
}
