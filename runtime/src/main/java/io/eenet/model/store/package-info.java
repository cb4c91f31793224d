/**
 * The versioned model store: published model packages by name and version, with a current version
 * per name (see docs/model-package.md, "The model store").
 *
 * <ul>
 *   <li>{@link io.eenet.model.store.ModelStore} is the interface; {@link
 *       io.eenet.model.store.FileSystemModelStore} keeps it in a directory, {@link
 *       io.eenet.model.store.ModelStores#defaultLocation()} says which ({@code eenet.store},
 *       {@code EENET_STORE}, {@code <eenet home>/store}).
 *   <li>{@link io.eenet.model.store.PackageValidator} checks a package before it is published; every
 *       rejection names the rule and the file, field or stage.
 *   <li>{@code ./eenet store} (publish, list, inspect, promote, remove) is the cli module's
 *       {@code io.eenet.cli.store.StoreCommand}.
 * </ul>
 *
 * <p>Nothing here depends on Flink or TensorFlow.
 */
package io.eenet.model.store;
