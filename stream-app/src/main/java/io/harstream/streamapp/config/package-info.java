/**
 * The stream-app's configuration: the settings it owns ({@link io.harstream.streamapp.config.Setting}), how
 * flags, environment variables, a properties file and defaults are layered
 * ({@link io.harstream.streamapp.config.StreamAppConfigResolver}), and the checked result
 * ({@link io.harstream.streamapp.config.StreamAppConfig}). Kafka client and Streams settings are not
 * interpreted here: they pass through under the {@code kafka.} prefix and are applied last.
 */
package io.harstream.streamapp.config;
