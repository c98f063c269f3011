// Original file: proto/camos/v1/system.proto

export const MemberState = {
  MEMBER_STATE_UNSPECIFIED: 'MEMBER_STATE_UNSPECIFIED',
  MEMBER_STATE_ALIVE: 'MEMBER_STATE_ALIVE',
  MEMBER_STATE_SUSPECT: 'MEMBER_STATE_SUSPECT',
  MEMBER_STATE_DOWN: 'MEMBER_STATE_DOWN',
} as const;

export type MemberState =
  | 'MEMBER_STATE_UNSPECIFIED'
  | 0
  | 'MEMBER_STATE_ALIVE'
  | 1
  | 'MEMBER_STATE_SUSPECT'
  | 2
  | 'MEMBER_STATE_DOWN'
  | 3

export type MemberState__Output = typeof MemberState[keyof typeof MemberState]
