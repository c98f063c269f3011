// Original file: proto/camos/v1/policy.proto

import type { Long } from '@grpc/proto-loader';

export interface EmitTraceRequest {
  'traceId'?: (string);
  'spanId'?: (string);
  'parentSpanId'?: (string);
  'name'?: (string);
  'startMs'?: (number | string | Long);
  'durationUs'?: (number | string | Long);
  'attributes'?: ({[key: string]: string});
}

export interface EmitTraceRequest__Output {
  'traceId': (string);
  'spanId': (string);
  'parentSpanId': (string);
  'name': (string);
  'startMs': (number);
  'durationUs': (number);
  'attributes': ({[key: string]: string});
}
