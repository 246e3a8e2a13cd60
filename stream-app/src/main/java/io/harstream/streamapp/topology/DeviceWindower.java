package io.harstream.streamapp.topology;

import io.harstream.core.event.SensorEvent;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.SeriesBuffer;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.metrics.HarMetrics.Outcome;
import io.harstream.streamapp.metrics.HarMetrics.RestartReason;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-device segmentation: each device's running series lives in the {@code device-windows} store as
 * {@link SeriesBuffer#toBytes()}, and every event goes through core's {@link Segmenter#offer} — the
 * same code that cut the trainer's windows, so a replayed recording yields the same windows. A
 * completed window is forwarded to the batch classifier.
 *
 * <p>The input is partitioned by device id (the validator has checked key = device), so one task owns
 * each device's series and no repartitioning is needed.
 */
final class DeviceWindower implements Processor<String, SensorEvent, String, ReadyWindow> {

    private final Segmenter segmenter;
    private final HarMetrics metrics;
    private final String storeName;
    private ProcessorContext<String, ReadyWindow> context;
    private KeyValueStore<String, byte[]> series;

    DeviceWindower(Segmenter segmenter, HarMetrics metrics, String storeName) {
        this.segmenter = segmenter;
        this.metrics = metrics;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, ReadyWindow> context) {
        this.context = context;
        this.series = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, SensorEvent> record) {
        String device = record.key();
        byte[] stored = series.get(device);
        SeriesBuffer buffer = stored == null ? segmenter.newBuffer() : SeriesBuffer.fromBytes(stored);
        Segmenter.Step step = segmenter.offer(buffer, record.value().toSample());
        switch (step.outcome()) {
            case DUPLICATE -> {
                // The buffer is unchanged: nothing to store, nothing completed.
                metrics.event(Outcome.DUPLICATE);
                return;
            }
            case APPENDED -> metrics.event(Outcome.ACCEPTED);
            case RESTARTED_AFTER_GAP -> {
                metrics.event(Outcome.ACCEPTED);
                metrics.restart(RestartReason.GAP);
            }
            case RESTARTED_AFTER_STEP_BACK -> {
                metrics.event(Outcome.LATE);
                metrics.restart(RestartReason.STEP_BACK);
            }
        }
        series.put(device, buffer.toBytes());
        if (step.window() != null) {
            ReadyWindow ready = new ReadyWindow(device, step.window(), record.timestamp());
            context.forward(record.withValue(ready));
        }
    }
}
