/**
 * A scripted fake switch for controller tests: it speaks raw OpenFlow bytes over an
 * in-memory socket to a real `Controller.serve`, so every test goes through the real
 * framing, codec, handshake and write path.
 *
 * It is deliberately dumb: it does exactly what the test tells it, in order, and hands
 * back every frame the controller sent, so a test can assert on bytes (hostile peers,
 * exact error replies) as well as on decoded messages.
 */
import { Features, Framing, Header, Hello, Message, Multipart, Version } from "@switchyard/openflow"
import type { Port } from "@switchyard/openflow"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Scope from "effect/Scope"
import type * as Socket from "effect/socket/Socket"
import * as Stream from "effect/Stream"
import type * as Controller from "../../src/Controller.ts"
import type * as Datapath from "../../src/Datapath.ts"
import * as MemorySocket from "../../src/MemorySocket.ts"

export interface Frame {
  readonly bytes: Uint8Array
  readonly version: number
  readonly type: number
  readonly xid: number
  /** The decoded message, or `undefined` when the codec rejects it. */
  readonly message: Message.Message | undefined
}

export interface ScriptedSwitch {
  /** The switch's end of the connection. */
  readonly socket: MemorySocket.MemorySocket
  /** The controller's end. */
  readonly controllerSocket: MemorySocket.MemorySocket
  /** The fiber running `controller.serve` for this connection. */
  readonly serveFiber: Fiber.Fiber<void>
  /** Writes raw chunks, each as one write (so each arrives as its own chunk). */
  readonly write: (...chunks: ReadonlyArray<Uint8Array>) => Effect.Effect<void, Socket.SocketError>
  /** Encodes and writes one message. */
  readonly send: (message: Message.Message, options?: { readonly xid?: number; readonly version?: Version.Version }) => Effect.Effect<void, Socket.SocketError>
  /** The next frame the controller sent (waits for it). */
  readonly receive: Effect.Effect<Frame, Socket.SocketError>
  /** The next frame, which must be of kind `tag`; echo requests from the controller are skipped. */
  readonly expect: <T extends Message.Tag>(tag: T) => Effect.Effect<Frame & { readonly message: Message.Of<T> }, Socket.SocketError | Error>
  /** Frames received and not yet taken. */
  readonly buffered: () => ReadonlyArray<Frame>
  /** The size of every chunk read so far, in order: one entry per socket write that arrived alone. */
  readonly chunkSizes: Array<number>
  /** Reads whatever has arrived without waiting for more. */
  readonly drain: Effect.Effect<ReadonlyArray<Frame>>
  /** Does the handshake: HELLO, FEATURES_REPLY, PORT_DESC reply (in parts when asked). */
  readonly handshake: (options?: HandshakeOptions) => Effect.Effect<void, Socket.SocketError | Error>
  /** Half-closes the switch's write side (FIN). */
  readonly closeWrite: Effect.Effect<void>
  /** `true` once the controller closed its side and the switch read everything. */
  readonly isClosedByController: () => boolean
  /** Waits until the controller has closed the connection (pull fails). */
  readonly awaitClosed: Effect.Effect<Socket.SocketError>
}

export interface HandshakeOptions {
  readonly dpid?: bigint
  readonly ports?: ReadonlyArray<number>
  /** Split the PORT_DESC reply into parts of this many ports (REPLY_MORE on all but the last). */
  readonly portsPerPart?: number
  readonly versions?: ReadonlyArray<Version.Version>
}

export const port = (portNo: number, overrides?: Partial<Port.Port>): Port.Port => ({
  portNo,
  hwAddr: 0x0200_0000_0000 + portNo,
  name: `eth${portNo}`,
  config: 0,
  state: 0,
  curr: 0,
  advertised: 0,
  supported: 0,
  peer: 0,
  currSpeed: 0,
  maxSpeed: 0,
  ...overrides
})

export const encode = (message: Message.Message, xid = 0, version: Version.Version = Version.OF13): Uint8Array => {
  const result = Message.encode(message, { version, xid })
  if (result._tag === "Failure") throw new Error(`test message does not encode: ${result.failure.message}`)
  return result.success
}

/** Lets the in-memory pipes and scheduled wake-ups run (a few turns of the event loop). */
export const settle: Effect.Effect<void> = Effect.promise(
  () => new Promise<void>((resolve) => setImmediate(() => setImmediate(() => setImmediate(resolve))))
).pipe(Effect.repeat({ times: 3 }), Effect.asVoid)

/**
 * Connects a scripted switch to `controller`: makes a socket pair, serves one end in a
 * fiber of the current scope, and drives the other.
 */
export interface ConnectOptions extends MemorySocket.Options {
  readonly remoteAddress?: string
  /**
   * The scope the controller serves the connection in, as a listener's would be
   * (default: the current scope, together with the switch's side).
   */
  readonly serveScope?: Scope.Scope
}

export const connect = (
  controller: Controller.Service,
  options?: ConnectOptions
): Effect.Effect<ScriptedSwitch, never, Scope.Scope> =>
  Effect.gen(function*() {
    const [controllerSocket, socket] = MemorySocket.pair(options)
    const serve = controller.serve({
      socket: controllerSocket,
      remoteAddress: options?.remoteAddress ?? "memory:1",
      transport: "tcp"
    })
    const serveFiber = options?.serveScope === undefined
      ? yield* Effect.forkScoped(serve, { startImmediately: true })
      : yield* Effect.forkIn(serve, options.serveScope, { startImmediately: true })
    const reader = yield* Effect.orDie(socket.reader)
    // The writer lives in its own scope so a test can half-close it (FIN) on purpose.
    const writerScope = yield* Scope.make()
    yield* Effect.addFinalizer(() => Scope.close(writerScope, Exit.void))
    const writer = yield* Scope.provide(socket.writer, writerScope)
    const framer = Framing.make()
    const frames: Array<Frame> = []
    let closedWith: Socket.SocketError | undefined

    const chunkSizes: Array<number> = []
    const accept = (chunks: ReadonlyArray<Uint8Array | string>) => {
      const out: Array<Uint8Array> = []
      for (const chunk of chunks) {
        if (typeof chunk === "string") continue
        chunkSizes.push(chunk.length)
        const error = framer.push(chunk, out)
        if (error !== undefined) throw new Error(`controller sent unframeable bytes: ${error.message}`)
      }
      for (const bytes of out) {
        const decoded = Message.decodeMessage(bytes)
        frames.push({
          bytes,
          version: bytes[0]!,
          type: bytes[1]!,
          xid: Header.xid(bytes),
          message: decoded instanceof Error ? undefined : (decoded as Message.Message)
        })
      }
    }

    const receive: Effect.Effect<Frame, Socket.SocketError> = Effect.suspend(() => {
      const next = frames.shift()
      if (next !== undefined) return Effect.succeed(next)
      if (closedWith !== undefined) return Effect.fail(closedWith)
      return reader.pull.pipe(
        Effect.tapError((e) => Effect.sync(() => (closedWith = e))),
        Effect.flatMap((chunks) => {
          accept(chunks)
          return receive
        })
      )
    })

    const expect = <T extends Message.Tag>(tag: T): Effect.Effect<Frame & { readonly message: Message.Of<T> }, Socket.SocketError | Error> =>
      Effect.flatMap(receive, (frame): Effect.Effect<Frame & { readonly message: Message.Of<T> }, Socket.SocketError | Error> => {
        if (frame.message?._tag === "EchoRequest" && tag !== "EchoRequest") return expect(tag)
        if (frame.message?._tag !== tag) {
          return Effect.fail(new Error(`expected ${tag}, got ${frame.message?._tag ?? `undecodable type ${frame.type}`}`))
        }
        return Effect.succeed(frame as Frame & { readonly message: Message.Of<T> })
      })

    const drain: Effect.Effect<ReadonlyArray<Frame>> = Effect.gen(function*() {
      yield* settle
      // Pull only what is already there: a pull that would wait is abandoned.
      while (true) {
        const fiber = yield* Effect.forkChild(reader.pull, { startImmediately: true })
        const exit = fiber.pollUnsafe()
        if (exit === undefined) {
          yield* Fiber.interrupt(fiber)
          break
        }
        if (exit._tag === "Failure") {
          const error = exit.cause.reasons.find((r) => r._tag === "Fail")
          if (error !== undefined && error._tag === "Fail") closedWith = error.error
          break
        }
        accept(exit.value)
      }
      return frames.splice(0)
    })

    const send = (message: Message.Message, o?: { readonly xid?: number; readonly version?: Version.Version }) =>
      writer.write(encode(message, o?.xid ?? 0, o?.version ?? Version.OF13))

    const handshake = (o?: HandshakeOptions) =>
      Effect.gen(function*() {
        const versions = o?.versions ?? [Version.OF13]
        const version = versions.reduce((a, b) => (b > a ? b : a))
        yield* writer.write(encode(Hello.make(versions), 1, version))
        yield* expect("Hello")
        const featuresRequest = yield* expect("FeaturesRequest")
        yield* send(
          {
            ...Features.request,
            _tag: "FeaturesReply",
            datapathId: o?.dpid ?? 1n,
            nBuffers: 256,
            nTables: 254,
            auxiliaryId: 0,
            capabilities: Features.Capability.FLOW_STATS,
            reserved: 0
          },
          { xid: featuresRequest.xid }
        )
        const portDesc = yield* expect("PortDescRequest")
        const ports = (o?.ports ?? [1, 2, 3]).map((n) => port(n))
        const per = o?.portsPerPart ?? Math.max(ports.length, 1)
        const parts: Array<Array<Port.Port>> = []
        for (let i = 0; i < ports.length; i += per) parts.push(ports.slice(i, i + per))
        if (parts.length === 0) parts.push([])
        for (let i = 0; i < parts.length; i++) {
          yield* send(
            { _tag: "PortDescReply", flags: i < parts.length - 1 ? Multipart.Flags.REPLY_MORE : 0, ports: parts[i]! },
            { xid: portDesc.xid }
          )
        }
      })

    return {
      socket,
      controllerSocket,
      serveFiber,
      write: (...chunks) => Effect.forEach(chunks, (c) => writer.write(c), { discard: true }),
      send,
      receive,
      expect,
      buffered: () => frames,
      chunkSizes,
      drain,
      handshake,
      closeWrite: Scope.close(writerScope, Exit.void),
      isClosedByController: () => socket.isClosedUnsafe(),
      awaitClosed: Effect.gen(function*() {
        while (true) {
          const exit = yield* Effect.exit(receive)
          if (exit._tag === "Failure") {
            const error = exit.cause.reasons.find((r) => r._tag === "Fail")
            if (error !== undefined && error._tag === "Fail") return error.error
            return yield* Effect.die(exit.cause)
          }
        }
      })
    } satisfies ScriptedSwitch
  })

/**
 * Connects a switch and completes its handshake; returns it with its datapath handle
 * once the controller has published `DatapathUp` for it.
 */
export const connectUp = (
  controller: Controller.Service,
  options?: HandshakeOptions & ConnectOptions
): Effect.Effect<{ readonly sw: ScriptedSwitch; readonly datapath: Datapath.Datapath }, Socket.SocketError | Error, Scope.Scope> =>
  Effect.gen(function*() {
    const sw = yield* connect(controller, options)
    const dpid = options?.dpid ?? 1n
    const datapath = yield* Effect.scoped(Effect.gen(function*() {
      const ups = yield* controller.datapathEvents("DatapathUp", { overflow: "suspend" })
      yield* sw.handshake(options)
      const found = yield* ups.pipe(Stream.filter((e) => e.datapath.dpid === dpid), Stream.runHead)
      if (found._tag === "None") return yield* Effect.fail(new Error("no DatapathUp"))
      return found.value.datapath
    }))
    return { sw, datapath }
  })
