/**
 * {@link io.eenet.home.EenetHome}: where this project keeps its files on a machine ({@code eenet.home},
 * {@code EENET_HOME}, {@code ~/.eenet}): datasets, the model store, profiles, reports, TensorFlow's natives.
 */
package io.eenet.home;
