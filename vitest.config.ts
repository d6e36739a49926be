import { defineConfig } from "vitest/config"

// Vitest 5 targets Node 22+, and its reporter calls Map.groupBy / Object.groupBy, which
// Node 20 lacks (the reporter crashes while printing a failure). The config is loaded in
// the main process, so defining them here is enough; on Node 22+ this is a no-op.
const groupBy = <K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, Array<T>> => {
  const groups = new Map<K, Array<T>>()
  let index = 0
  for (const item of items) {
    const k = key(item, index++)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return groups
}
const MapWithGroupBy = Map as unknown as { groupBy?: typeof groupBy }
MapWithGroupBy.groupBy ??= groupBy
const ObjectWithGroupBy = Object as unknown as { groupBy?: (items: Iterable<unknown>, key: (item: unknown, index: number) => PropertyKey) => object }
ObjectWithGroupBy.groupBy ??= (items, key) => Object.assign(Object.create(null), Object.fromEntries(groupBy(items, key)))

// One vitest project per package (vitest 4+ has no vitest.workspace.ts). Sources are
// resolved through the "@switchyard/source" export condition, so tests run against
// src/ without a build. The end-to-end suite against Open vSwitch has its own config
// (vitest.e2e.config.ts) and is not part of `npm test`.
const project = (name: string, dir: string) => ({
  extends: true as const,
  test: { name, root: dir, include: ["test/**/*.test.ts"] }
})

export default defineConfig({
  resolve: { conditions: ["@switchyard/source"] },
  ssr: { resolve: { conditions: ["@switchyard/source"] } },
  test: {
    projects: [
      project("packet", "packages/packet"),
      project("openflow", "packages/openflow"),
      project("controller", "packages/controller"),
      project("testkit", "packages/testkit"),
      project("cli", "packages/cli"),
      project("examples", "examples"),
      { extends: true as const, test: { name: "integration", include: ["test/**/*.test.ts"], exclude: ["test/e2e/**"] } }
    ]
  }
})
