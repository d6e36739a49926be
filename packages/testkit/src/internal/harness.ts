/**
 * What every fake of one test shares: the controller under test, the counting scheduler
 * that tells when everything is idle, the scope switches live in, and captured logs.
 * `TestController` provides it; `FakeSwitch.connect` and `FakeNetwork.make` use it.
 */
import type { Controller, MemorySocket } from "@switchyard/controller"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as LogLevel from "effect/LogLevel"
import type * as Scope from "effect/Scope"
import type * as FakeSwitchError from "../FakeSwitchError.ts"
import type { CountingScheduler } from "./idle.ts"

/** One captured log line. */
export interface LogLine {
  readonly level: LogLevel.LogLevel
  /** The message parts joined with spaces. */
  readonly message: string
  /** Annotations (`dpid`, ...) as text. */
  readonly annotations: Readonly<Record<string, string>>
}

/** A fake that takes part in settling: it may report what a strict fake refuses. */
export interface Participant {
  /** Takes the failures seen since the last call (strict mode), if any. */
  readonly takeFailure: () => FakeSwitchError.Reason | undefined
}

export interface Harness {
  readonly controller: Controller.Service
  readonly scheduler: CountingScheduler
  /** The scope fakes live in: closed when the test's layer is released. */
  readonly scope: Scope.Scope
  /** Context to run fakes' own fibers with (clock, scheduler, logger). */
  readonly context: Context.Context<never>
  readonly participants: Set<Participant>
  /**
   * Every in-memory socket end the fakes opened. Bytes written and not yet read mean a
   * reader is about to wake (the sockets deliver on a later event-loop turn, outside the
   * scheduler), so the system is not idle while any end has some.
   */
  readonly sockets: Set<MemorySocket.MemorySocket>
  readonly logs: Array<LogLine>
  /** Waits until idle, then fails with what strict fakes saw. */
  readonly settle: Effect.Effect<void, FakeSwitchError.FakeSwitchError>
  /** Waits until idle only. */
  readonly idle: Effect.Effect<void, FakeSwitchError.FakeSwitchError>
}

/**
 * The service behind `TestController`: the controller of a test, its settle, and the
 * captured logs.
 */
export class TestController extends Context.Service<TestController, Harness>()("@switchyard/testkit/TestController") {}
