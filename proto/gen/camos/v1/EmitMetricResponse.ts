// Original file: proto/camos/v1/policy.proto


export interface EmitMetricResponse {
}

export interface EmitMetricResponse__Output {
}
