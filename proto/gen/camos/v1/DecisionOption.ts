// Original file: proto/camos/v1/agents.proto


export interface DecisionOption {
  'id'?: (string);
  'scores'?: ({[key: string]: number | string});
  'attributes'?: ({[key: string]: string});
}

export interface DecisionOption__Output {
  'id': (string);
  'scores': ({[key: string]: number});
  'attributes': ({[key: string]: string});
}
