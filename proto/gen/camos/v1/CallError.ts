// Original file: proto/camos/v1/kernel.proto


/**
 * The error of one pipelined call, as a gRPC status would carry it.
 */
export interface CallError {
  /**
   * gRPC status code number.
   */
  'code'?: (number);
  'message'?: (string);
  /**
   * Stable CAM-OS error code, e.g. CAMOS_ERR_NAMESPACE_INVALID.
   */
  'errorCode'?: (string);
  'correlationId'?: (string);
}

/**
 * The error of one pipelined call, as a gRPC status would carry it.
 */
export interface CallError__Output {
  /**
   * gRPC status code number.
   */
  'code': (number);
  'message': (string);
  /**
   * Stable CAM-OS error code, e.g. CAMOS_ERR_NAMESPACE_INVALID.
   */
  'errorCode': (string);
  'correlationId': (string);
}
