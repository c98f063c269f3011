// Original file: proto/camos/v1/system.proto


export interface ClusterStatusRequest {
}

export interface ClusterStatusRequest__Output {
}
