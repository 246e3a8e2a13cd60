package io.harstream.streamapp.topology;

import io.harstream.core.event.SensorEvent;
import io.harstream.core.window.Segmenter;
import io.harstream.core.window.SeriesBuffer;
import io.harstream.core.window.WalkingFrame;
import io.harstream.core.window.Window;
import io.harstream.streamapp.metrics.HarMetrics;
import io.harstream.streamapp.metrics.HarMetrics.Outcome;
import io.harstream.streamapp.metrics.HarMetrics.RestartReason;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-device segmentation: each device's running series lives in the {@code device-windows} store
 * ({@link DeviceSeriesStore}: the series as an object, written as bytes before each commit), and every event goes
 * through core's {@link Segmenter#offer} — the
 * same code that cut the trainer's windows, so a replayed recording yields the same windows. A
 * completed window is turned into the model's axes frame and forwarded to the batch classifier. With the
 * walking frame, each device's {@link WalkingFrame} lives in the {@code device-frames} store; unlike the
 * series it outlasts gaps, because the phone is still the same phone in the same pocket.
 *
 * <p>The input is partitioned by device id (the validator has checked key = device), so one task owns
 * each device's series and no repartitioning is needed.
 */
final class DeviceWindower extends ContextualProcessor<String, SensorEvent, String, ReadyWindow> {

    private final Segmenter segmenter;
    private final HarMetrics metrics;
    private final String storeName;
    private final String framesStoreName;
    private DeviceSeriesStore series;
    private KeyValueStore<String, byte[]> frames;

    /**
     * @param framesStoreName the {@link WalkingFrame} store, or null when the model reads the phone's own axes
     */
    DeviceWindower(Segmenter segmenter, HarMetrics metrics, String storeName, String framesStoreName) {
        this.segmenter = segmenter;
        this.metrics = metrics;
        this.storeName = storeName;
        this.framesStoreName = framesStoreName;
    }

    @Override
    public void init(ProcessorContext<String, ReadyWindow> context) {
        super.init(context);
        this.series = DeviceSeriesStore.of(context.getStateStore(storeName));
        // A task starting to process (new, revived, or a standby copy become active): no cached series from before.
        series.reset();
        this.frames = framesStoreName == null ? null : context.getStateStore(framesStoreName);
    }

    @Override
    public void process(Record<String, SensorEvent> record) {
        String device = record.key();
        SeriesBuffer stored = series.get(device);
        SeriesBuffer buffer = stored == null ? segmenter.newBuffer() : stored;
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
        series.changed(device, buffer);
        if (step.window() != null) {
            metrics.windowCompleted(step.window());
            ReadyWindow ready = new ReadyWindow(device, turn(device, step.window()), record.timestamp());
            context().forward(record.withValue(ready));
        }
    }

    /** The window in the model's axes: as cut, or turned by the device's walking frame. */
    private Window turn(String device, Window window) {
        if (frames == null) {
            return window;
        }
        byte[] stored = frames.get(device);
        WalkingFrame frame = stored == null ? new WalkingFrame() : WalkingFrame.fromBytes(stored);
        Window turned = frame.turn(window);
        frames.put(device, frame.toBytes());
        return turned;
    }
}
