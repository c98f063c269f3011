// Original file: proto/camos/v1/policy.proto


// Original file: proto/camos/v1/policy.proto

export const _camos_v1_EmitMetricRequest_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  KIND_COUNTER: 'KIND_COUNTER',
  KIND_GAUGE: 'KIND_GAUGE',
  KIND_HISTOGRAM: 'KIND_HISTOGRAM',
} as const;

export type _camos_v1_EmitMetricRequest_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  | 'KIND_COUNTER'
  | 1
  | 'KIND_GAUGE'
  | 2
  | 'KIND_HISTOGRAM'
  | 3

export type _camos_v1_EmitMetricRequest_Kind__Output = typeof _camos_v1_EmitMetricRequest_Kind[keyof typeof _camos_v1_EmitMetricRequest_Kind]

export interface EmitMetricRequest {
  'name'?: (string);
  'value'?: (number | string);
  'labels'?: ({[key: string]: string});
  'kind'?: (_camos_v1_EmitMetricRequest_Kind);
}

export interface EmitMetricRequest__Output {
  'name': (string);
  'value': (number);
  'labels': ({[key: string]: string});
  'kind': (_camos_v1_EmitMetricRequest_Kind__Output);
}
