// Original file: proto/camos/v1/agents.proto


export interface CollaborateResponse {
  'collaborationId'?: (string);
  /**
   * Shared memory namespace of the group.
   */
  'namespace'?: (string);
  'taskIds'?: (string)[];
}

export interface CollaborateResponse__Output {
  'collaborationId': (string);
  /**
   * Shared memory namespace of the group.
   */
  'namespace': (string);
  'taskIds': (string)[];
}
