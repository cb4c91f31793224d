/** What every benchmark report offers its command: tables for people and one JSON object. */
package io.eenet.bench.report;
