/** {@code ./eenet store}: publish, list, inspect, promote and remove packages in the model store. */
package io.eenet.cli.store;
