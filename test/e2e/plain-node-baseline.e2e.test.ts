// The benchmark's plain node:net reference switch (bench/baselines/plain-node-l2.mjs) against the
// same simple_switch_13 suite as Switchyard. This checks both sides of a comparison: the suite's
// expectations hold for a known-good implementation, and the benchmark's ceiling reference really
// does the work of Ryu's app (learning, flows, whole-frame PACKET_OUTs), so ratios against it are fair.
import * as Controller from "./Controller.ts"
import { describeSimpleSwitch13 } from "./SimpleSwitch13.ts"

describeSimpleSwitch13(Controller.plainNode)
