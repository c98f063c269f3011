// Original file: proto/camos/v1/system.proto

export const ServingState = {
  SERVING_STATE_UNSPECIFIED: 'SERVING_STATE_UNSPECIFIED',
  SERVING_STATE_SERVING: 'SERVING_STATE_SERVING',
  /**
   * Serving, with a dependency (for example Redis) unavailable: see components.
   */
  SERVING_STATE_DEGRADED: 'SERVING_STATE_DEGRADED',
  SERVING_STATE_NOT_SERVING: 'SERVING_STATE_NOT_SERVING',
} as const;

export type ServingState =
  | 'SERVING_STATE_UNSPECIFIED'
  | 0
  | 'SERVING_STATE_SERVING'
  | 1
  /**
   * Serving, with a dependency (for example Redis) unavailable: see components.
   */
  | 'SERVING_STATE_DEGRADED'
  | 2
  | 'SERVING_STATE_NOT_SERVING'
  | 3

export type ServingState__Output = typeof ServingState[keyof typeof ServingState]
