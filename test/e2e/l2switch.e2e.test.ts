// Switchyard's examples/l2switch.js against a real Open vSwitch: the behaviour of Ryu's
// simple_switch_13, observed on the switch's ports and flow table (see SimpleSwitch13.ts).
import * as Controller from "./Controller.ts"
import { describeSimpleSwitch13 } from "./SimpleSwitch13.ts"

describeSimpleSwitch13(Controller.l2switch)
