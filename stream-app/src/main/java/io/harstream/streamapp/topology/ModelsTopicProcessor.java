package io.harstream.streamapp.topology;

import io.harstream.core.model.registry.ModelsTopic;
import io.harstream.streamapp.serving.ServingModels;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The global store's processor: keeps the latest value of every key of the models topic in the {@code models} store
 * (a rollback reads an older version's bundle from it) and hands each record to {@link ServingModels}. Every instance
 * has its own global store, read from the whole topic, so every instance learns of every change.
 *
 * <p>On start-up Kafka Streams restores the store by reprocessing the topic through this processor, so
 * {@link ServingModels} sees the same records in the same order as a running instance did; {@link #init} also hands
 * it the stored roles record, for a store that was restored without reprocessing.
 */
final class ModelsTopicProcessor extends ContextualProcessor<String, byte[], Void, Void> {

    private final ServingModels models;
    private final String storeName;
    private KeyValueStore<String, byte[]> store;

    ModelsTopicProcessor(ServingModels models, String storeName) {
        this.models = models;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        super.init(context);
        store = context.getStateStore(storeName);
        byte[] roles = store.get(ModelsTopic.ROLES_KEY);
        if (roles != null) {
            models.accept(ModelsTopic.ROLES_KEY, roles, store::get);
        }
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() != null) {
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
        models.accept(record.key(), record.value(), store::get);
    }
}
