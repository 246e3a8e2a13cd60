/**
 * harstream's core library, what the trainer, the stream-app, the simulator and the demo share; each
 * subpackage owns one part of it (data, events, windows, features, geometry, the model). This package itself
 * holds only {@link io.harstream.core.HarstreamVersion}: the build's version, which every command's
 * {@code --version} prints.
 */
package io.harstream.core;
