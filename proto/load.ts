/**
 * Loads the camos.v1 contract at run time: the grpc-js package object (typed by the generated
 * proto/gen/kernel.ts) and a protobufjs Root of the same files for the JSON mapping. The .proto
 * files are found both when running from source (proto/load.ts) and from the compiled output
 * (dist/proto/load.js → ../../proto).
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import protobuf from 'protobufjs'
import type { ProtoGrpcType } from './gen/kernel.js'

export type { ProtoGrpcType }

/** Entry file of the contract, relative to the proto directory. */
export const KERNEL_PROTO = 'camos/v1/kernel.proto'

/** Fully qualified name of the kernel service. */
export const KERNEL_SERVICE = 'camos.v1.Kernel'

/**
 * How decoded messages look to handlers (and how the generated types were made): camelCase
 * fields, 64-bit integers as numbers, enums as names, bytes as Buffers, every field present.
 */
export const LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
  arrays: true
} as const

export interface KernelProto {
  /** Directory holding camos/v1/*.proto. */
  protoDir: string
  packageDefinition: protoLoader.PackageDefinition
  grpc: ProtoGrpcType
  /** protobufjs reflection of the same files (field names in camelCase). */
  root: protobuf.Root
}

/** The proto directory: next to this file in the source tree, ../../proto from dist/proto/ and dist/bundle/. */
export function findProtoDir (): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const candidates = [here, resolve(here, '..', '..', 'proto')]
  for (const dir of candidates) {
    if (existsSync(join(dir, KERNEL_PROTO))) return dir
  }
  throw new Error(`cannot find ${KERNEL_PROTO} in ${candidates.join(' or ')}`)
}

export function loadKernelProto (protoDir: string = findProtoDir()): KernelProto {
  const packageDefinition = protoLoader.loadSync(KERNEL_PROTO, { ...LOADER_OPTIONS, includeDirs: [protoDir] })
  const pkg = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType

  const root = new protobuf.Root()
  root.resolvePath = (_origin, target) => join(protoDir, target)
  root.loadSync(KERNEL_PROTO, { keepCase: false })
  root.resolveAll()

  return { protoDir, packageDefinition, grpc: pkg, root }
}
