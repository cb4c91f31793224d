/** The staged model package: its manifest, reading and writing it, checksums. See docs/model-package.md. */
package io.eenet.model;
