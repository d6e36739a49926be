/**
 * @switchyard/examples: runnable Switchyard controller apps.
 *
 * @since 0.1.0
 */

/** A learning switch with the behaviour of Ryu's simple_switch_13 (`node examples/l2switch.js`). @since 0.1.0 */
export * as L2Switch from "./L2Switch.ts"

/** The smallest useful app, a hub that floods every packet: the README's "write your own app". @since 0.1.0 */
export * as Hub from "./Hub.ts"
