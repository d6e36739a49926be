import { defineConfig } from "vitest/config"

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
