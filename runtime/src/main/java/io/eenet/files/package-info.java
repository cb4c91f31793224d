/** Directory trees: delete, copy ({@link io.eenet.files.FileTrees}). */
package io.eenet.files;
