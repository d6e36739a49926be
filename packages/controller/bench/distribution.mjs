#!/usr/bin/env node
// How connections spread over worker processes, and what handing them out costs: the
// measurement behind the choice of multi-worker design (README, "Multi-worker mode").
//
// Two strategies, each with two worker processes that echo one byte:
// - shared: the primary binds and passes the listening socket to both workers, which
//   both accept on it (Node cluster's SCHED_NONE; SO_REUSEPORT is not available to
//   net.Server on Node 20, and would spread by a hash of the addresses, no better for a
//   handful of switches); the kernel decides who wakes up.
// - dispatch: the primary accepts (paused) and sends each socket to the worker with the
//   fewest connections, ties in turn (what `--workers N` does).
// A separate client process opens N connections at once and waits for each echo. Printed:
// per-worker counts and the time until every connection had its echo, per round.
//
// Usage: node packages/controller/bench/distribution.mjs [--connections 16,64,1000] [--rounds 5]
import { fork } from "node:child_process"
import net from "node:net"
import { parseArgs } from "node:util"

const role = process.env.DISTRIBUTION_ROLE

if (role === "worker") {
  // Counts and echoes what it is handed, either way.
  let served = 0
  const serve = (socket) => {
    served++
    socket.on("error", () => {})
    socket.on("data", (d) => socket.write(d))
    socket.resume()
  }
  process.on("message", (message, handle) => {
    if (message === "listen") net.createServer(serve).listen(handle)
    else if (message === "socket") serve(handle)
    else if (message === "count") process.send({ served })
  })
  process.send("ready")
} else if (role === "client") {
  const port = Number(process.env.DISTRIBUTION_PORT)
  const n = Number(process.env.DISTRIBUTION_N)
  const started = process.hrtime.bigint()
  const sockets = await Promise.all(Array.from({ length: n }, () =>
    new Promise((resolve, reject) => {
      const socket = net.createConnection(port, "127.0.0.1", () => socket.write("x"))
      socket.once("data", () => resolve(socket))
      socket.once("error", reject)
    })))
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  for (const s of sockets) s.destroy()
  process.send({ ms })
} else {
  const { values } = parseArgs({
    options: { connections: { type: "string", default: "16,64,1000" }, rounds: { type: "string", default: "5" } }
  })
  const once = async (strategy, n) => {
    const workers = [0, 1].map(() => fork(process.argv[1], [], { env: { ...process.env, DISTRIBUTION_ROLE: "worker" } }))
    await Promise.all(workers.map((w) => new Promise((r) => w.once("message", r))))
    const server = net.createServer({ pauseOnConnect: true })
    await new Promise((r) => server.listen(0, "127.0.0.1", r))
    const { port } = server.address()
    if (strategy === "shared") {
      for (const w of workers) w.send("listen", server)
      server.close()
    } else {
      const open = [0, 0]
      let next = 0
      server.on("connection", (socket) => {
        const i = open[0] === open[1] ? next++ % 2 : open[0] < open[1] ? 0 : 1
        open[i]++
        workers[i].send("socket", socket)
      })
    }
    await new Promise((r) => setTimeout(r, 100))
    const client = fork(process.argv[1], [], {
      env: { ...process.env, DISTRIBUTION_ROLE: "client", DISTRIBUTION_PORT: String(port), DISTRIBUTION_N: String(n) }
    })
    const { ms } = await new Promise((r) => client.once("message", r))
    const counts = await Promise.all(workers.map((w) =>
      new Promise((r) => {
        w.once("message", (m) => r(m.served))
        w.send("count")
      })
    ))
    for (const w of workers) w.kill()
    client.kill()
    if (strategy !== "shared") server.close()
    return { counts, ms }
  }
  console.log("| connections | strategy | per worker, each round | most on one worker (median) | all echoed, ms (median) |")
  console.log("|---:|---|---|---:|---:|")
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  for (const n of values.connections.split(",").map(Number)) {
    for (const strategy of ["shared", "dispatch"]) {
      const runs = []
      for (let r = 0; r < Number(values.rounds); r++) runs.push(await once(strategy, n))
      const share = median(runs.map((x) => Math.max(...x.counts) / n))
      console.log(
        `| ${n} | ${strategy} | ${runs.map((x) => x.counts.join("/")).join(", ")} | ${(share * 100).toFixed(0)}% | ${median(runs.map((x) => x.ms)).toFixed(0)} |`
      )
    }
  }
}
