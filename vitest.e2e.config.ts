import { defineConfig } from "vitest/config"
// For its Map.groupBy/Object.groupBy polyfill: on Node 20 vitest's reporter crashes while
// printing a failure without it, hiding the failure itself.
import "./vitest.config.ts"

// End-to-end suite against a real (userspace, dummy-datapath) Open vSwitch: `npm run test:e2e`.
// It is kept out of `npm test` because it needs openvswitch-switch installed and starts real
// daemons. Files run one at a time: each test starts its own ovsdb-server, ovs-vswitchd and
// controller, and on a 2-core machine parallel files would turn timing into flakiness.
export default defineConfig({
  resolve: { conditions: ["@switchyard/source"] },
  ssr: { resolve: { conditions: ["@switchyard/source"] } },
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.test.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000
  }
})
