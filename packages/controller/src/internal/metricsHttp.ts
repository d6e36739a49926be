/**
 * The Prometheus endpoint behind `Metrics.layerHttp`, in its own module so that the HTTP
 * stack is imported only by programs that ask for a metrics port.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as Effect from "effect/Effect"
import * as HttpServer from "effect/http/HttpServer"
import type { ServeError } from "effect/http/HttpServerError"
import * as HttpServerRequest from "effect/http/HttpServerRequest"
import * as HttpServerResponse from "effect/http/HttpServerResponse"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Http from "node:http"

export const layer = (
  options: { readonly host: string; readonly port: number },
  render: (snapshots: ReadonlyArray<Metric.Metric.Snapshot>) => string,
  // Where the series come from: this process's registry, or (the multi-worker primary)
  // its own and every worker's.
  snapshots: Effect.Effect<ReadonlyArray<Metric.Metric.Snapshot>> = Metric.snapshot
): Layer.Layer<never, ServeError> => {
  const handler = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = request.url.split("?", 1)[0]
    if (path !== "/metrics") return HttpServerResponse.text("not found\n", { status: 404 })
    if (request.method !== "GET" && request.method !== "HEAD") {
      return HttpServerResponse.text("method not allowed\n", { status: 405 })
    }
    return HttpServerResponse.text(render(yield* snapshots), {
      contentType: "text/plain; version=0.0.4; charset=utf-8"
    })
  })
  return Layer.mergeAll(
    HttpServer.serve(handler),
    Layer.effectDiscard(HttpServer.addressFormattedWith((url) => Effect.logInfo(`metrics at ${url}/metrics`)))
  ).pipe(
    Layer.provide(NodeHttpServer.layer(() => Http.createServer(), {
      port: options.port,
      ...(options.host === "" ? {} : { host: options.host })
    }))
  )
}
