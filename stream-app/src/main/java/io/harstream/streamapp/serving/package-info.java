/**
 * Which models serve: the active model and the candidate in its shadow, as the models topic ({@code har-models}) says,
 * each record of it checked (a valid bundle, compatible with the running topology) before it is taken.
 */
package io.harstream.streamapp.serving;
