// Original file: proto/camos/v1/system.proto


export interface HealthCheckRequest {
}

export interface HealthCheckRequest__Output {
}
