/** The staged model package: its manifest, reading and writing it, checksums ({@link io.eenet.model.Checksums}). See docs/model-package.md. */
package io.eenet.model;
