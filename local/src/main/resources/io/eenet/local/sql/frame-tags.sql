-- Early-exit tags for the demo's frames, in Flink SQL: ./eenet sql (this script), or ./eenet sql -f FILE.
-- The dollar-brace variables are set by ./eenet sql (--bootstrap-servers, --store, --model, --input-topic,
-- --output-topic, --group-id, --checkpoint-interval, --parallelism, --var NAME=VALUE); kafka_properties holds the Kafka client
-- settings of --kafka-properties FILE and --kafka-property KEY=VALUE as 'properties.*' options, one per line.
-- docs/sql.md explains every statement and the model's options.

SET 'parallelism.default' = '${parallelism}';
-- The Kafka sink (at-least-once) flushes at each checkpoint.
SET 'execution.checkpointing.interval' = '${checkpoint_interval}';

-- Frames as the DataStream job reads them: key = stream id, value = a FrameEvent (event format, Avro
-- single-object encoding). The provider decodes the value itself, so the value is read as raw bytes.
CREATE TABLE frames (
  stream_id STRING,
  event BYTES,
  `partition` INT METADATA VIRTUAL,
  `offset` BIGINT METADATA VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = '${input_topic}',
  ${kafka_properties}
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'properties.group.id' = '${group_id}',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'properties.isolation.level' = 'read_committed',
  'key.format' = 'raw',
  'key.fields' = 'stream_id',
  'value.format' = 'raw',
  'value.fields-include' = 'EXCEPT_KEY'
);

-- The early-exit CNN: the store's current version of the model, followed while the query runs.
CREATE MODEL frame_tagger
  INPUT (event BYTES)
  OUTPUT (
    label STRING, class_index INT, probability FLOAT, confidence FLOAT, exit_index INT, cost DOUBLE,
    model_version STRING, error STRING, error_message STRING, event_id STRING, `sequence` BIGINT,
    ground_truth INT, event_time_ms BIGINT
  )
  WITH (
    'provider' = 'eenet',
    'model' = '${model}',
    'store' = '${store}',
    'batch.max-size' = '64',
    'batch.max-delay' = '20 ms'
  );

-- One JSON row per frame; a frame that cannot be classified has a null label and an error code.
CREATE TABLE tags (
  stream_id STRING,
  event_id STRING,
  `sequence` BIGINT,
  label STRING,
  class_index INT,
  probability FLOAT,
  confidence FLOAT,
  exit_index INT,
  cost DOUBLE,
  model_version STRING,
  ground_truth INT,
  event_time_ms BIGINT,
  error STRING,
  error_message STRING,
  `partition` INT,
  `offset` BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${output_topic}',
  ${kafka_properties}
  'properties.bootstrap.servers' = '${bootstrap_servers}',
  'key.format' = 'raw',
  'key.fields' = 'stream_id',
  'value.format' = 'json',
  'sink.delivery-guarantee' = 'at-least-once'
);

-- 'max-concurrent-operations' bounds the rows in flight per subtask (default 10, from
-- table.exec.async-ml-predict.max-concurrent-operations): keep it above batch.max-size, or batches never fill.
INSERT INTO tags
SELECT stream_id, event_id, `sequence`, label, class_index, probability, confidence, exit_index, cost,
       model_version, ground_truth, event_time_ms, error, error_message, `partition`, `offset`
FROM ML_PREDICT(TABLE frames, MODEL frame_tagger, DESCRIPTOR(event),
                MAP['async', 'true', 'max-concurrent-operations', '256', 'timeout', '5 min']);
