// Original file: proto/camos/v1/policy.proto


export interface EmitTraceResponse {
}

export interface EmitTraceResponse__Output {
}
