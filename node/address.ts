/** host:port parsing and formatting, IPv6 hosts in brackets ("[::1]:50051"). */

export interface HostPort {
  host: string
  port: number
}

/** Parses "host:port" or "[v6]:port"; throws an Error saying what is wrong. */
export function parseHostPort (value: string): HostPort {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(value)
  if (match === null) throw new Error(`"${value}" is not host:port`)
  const port = Number(match[3])
  if (port > 65535) throw new Error(`port ${port} is out of range 0-65535`)
  return { host: match[1] ?? match[2], port }
}

export function formatHostPort (host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
