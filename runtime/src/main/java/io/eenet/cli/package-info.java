/** What the project's command lines share. */
package io.eenet.cli;
