/**
 * What a syscall implementation provides to the dispatcher: a validator that turns the decoded
 * request (proto-loader object shape, any field possibly missing) into a typed request or
 * throws InvalidArgumentError naming the field, and a handler.
 */

export interface CallContext {
  correlationId: string
  /** Aborted on deadline, caller cancellation or node shutdown. */
  signal: AbortSignal
  /** Where the call came from, for logs and metrics. */
  transport: 'grpc' | 'http' | 'pipeline' | 'inproc'
}

/** Receives the events of a server-streaming syscall; resolves when the transport can take more. */
export type EventSink<Ev> = (event: Ev) => void | Promise<void>

export interface UnarySyscallHandler<Req = any, Res = any> {
  kind: 'unary'
  validate: (request: any) => Req
  handle: (request: Req, ctx: CallContext) => Res | Promise<Res>
}

export interface StreamSyscallHandler<Req = any, Ev = any> {
  kind: 'server-stream'
  validate: (request: any) => Req
  /**
   * Sends events through `sink` and resolves when the stream is complete. For a following
   * stream that is when ctx.signal aborts (caller gone or node stopping). `ready` is called
   * once the initial answer has been sent; the deadline covers only the time before it.
   */
  handle: (request: Req, ctx: CallContext, sink: EventSink<Ev>, ready: () => void) => Promise<void>
}

export type SyscallHandler = UnarySyscallHandler | StreamSyscallHandler
