package io.harstream.streamapp.topology;

import io.harstream.core.event.InvalidEventException;
import io.harstream.core.event.RejectReason;
import io.harstream.core.event.SensorEvent;
import io.harstream.core.event.SensorEventCodec;
import io.harstream.core.window.Segmenter;
import io.harstream.streamapp.metrics.HarMetrics;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * First step for every input record: decode and validate it ({@link SensorEventCodec} plus the checks
 * that need the record's context: the key and the model's classes, or a label of the other WISDM dataset the
 * model reads as one of them, {@link Segmenter#knows}). A valid event goes on to the
 * windowing step as a {@link SensorEvent}; anything else goes to the dead-letter sink with its
 * original key and value bytes and the reason in headers, is counted, and processing continues. One bad
 * producer must not stop the classification of every other device.
 *
 * <p>The two children take different record types (raw bytes to the dead-letter sink, decoded events to
 * the windower), hence the {@code Object} output types.
 */
final class EventValidator extends ContextualProcessor<byte[], byte[], Object, Object> {

    static final String REASON_HEADER = "harstream.reject.reason";
    static final String DETAIL_HEADER = "harstream.reject.detail";

    private static final Logger LOG = LoggerFactory.getLogger(EventValidator.class);

    private final Segmenter labels;
    private final HarMetrics metrics;
    private final String windowerName;
    private final String deadLetterSinkName;

    /** @param labels the model's segmenter, asked which activity labels it knows */
    EventValidator(Segmenter labels, HarMetrics metrics, String windowerName, String deadLetterSinkName) {
        this.labels = labels;
        this.metrics = metrics;
        this.windowerName = windowerName;
        this.deadLetterSinkName = deadLetterSinkName;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        SensorEvent event;
        try {
            event = validate(record.key(), record.value());
        } catch (InvalidEventException e) {
            deadLetter(record, e);
            return;
        }
        context().forward(record.withKey(event.device()).withValue(event), windowerName);
    }

    private SensorEvent validate(byte[] key, byte[] value) throws InvalidEventException {
        SensorEvent event = SensorEventCodec.decode(value);
        if (key == null) {
            throw new InvalidEventException(RejectReason.KEY_MISMATCH, "record has no key; the key must be the"
                    + " device id \"" + event.device() + "\"");
        }
        String keyText = new String(key, StandardCharsets.UTF_8);
        if (!keyText.equals(event.device())) {
            throw new InvalidEventException(RejectReason.KEY_MISMATCH, "record key \"" + keyText
                    + "\" differs from device \"" + event.device() + "\"");
        }
        if (event.activity() != null && !labels.knows(event.activity())) {
            throw new InvalidEventException(RejectReason.UNKNOWN_ACTIVITY, "activity \"" + event.activity()
                    + "\" is not one of the model's classes " + labels.classes());
        }
        return event;
    }

    private void deadLetter(Record<byte[], byte[]> record, InvalidEventException e) {
        metrics.deadLetter(e.reason());
        LOG.debug("dead letter ({}) from {}: {}", e.reason().id(),
                context().recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"),
                e.getMessage());
        // A copy: the input's headers object is shared with the original record. Producer headers are kept.
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.remove(REASON_HEADER);
        headers.remove(DETAIL_HEADER);
        headers.add(REASON_HEADER, e.reason().id().getBytes(StandardCharsets.UTF_8));
        headers.add(DETAIL_HEADER, e.getMessage().getBytes(StandardCharsets.UTF_8));
        context().forward(new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
                deadLetterSinkName);
    }
}
