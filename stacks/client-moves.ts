import { TerraformResource, type TerraformStack } from "cdktf";
import type { ClientMove } from "../config/client-moves";

/** Every resource of a stack by its Terraform address (`<type>.<name>`). */
function resourcesByAddress(stack: TerraformStack): Map<string, TerraformResource> {
  const resources = new Map<string, TerraformResource>();
  for (const construct of stack.node.findAll()) {
    if (construct instanceof TerraformResource) {
      resources.set(`${construct.terraformResourceType}.${construct.friendlyUniqueId}`, construct);
    }
  }
  return resources;
}

/**
 * Writes an environment's client moves into its stacks: an `import` block for each resource the new
 * stack takes over, and in the old stack a `removed` block with `destroy = false` for each address it
 * stops managing. Applied in either order, neither stack destroys anything; the platform stack is
 * applied first anyway, because the shards read its outputs.
 * @param stacks the environment's stacks by name; a move's old stack must be among them
 */
export function applyClientMoves(
  stacks: ReadonlyMap<string, TerraformStack>,
  moves: readonly ClientMove[],
): ReadonlyMap<string, readonly string[]> {
  const removed = new Map<TerraformStack, { from: string; lifecycle: { destroy: false } }[]>();
  for (const move of moves) {
    const to = stacks.get(move.to);
    const from = stacks.get(move.from);
    // The moves file was checked against the same registry; a miss here is a bug, not a config mistake.
    if (!to || !from) throw new Error(`client move of ${move.client}: no stack ${move.to} or ${move.from}`);
    const resources = resourcesByAddress(to);
    for (const [address, id] of Object.entries(move.imports)) {
      const resource = resources.get(address);
      if (!resource) throw new Error(`client move of ${move.client}: ${move.to} has no resource ${address}`);
      resource.importFrom(id);
    }
    const blocks = removed.get(from) ?? [];
    for (const address of move.forget) blocks.push({ from: address, lifecycle: { destroy: false } });
    removed.set(from, blocks);
  }
  // cdktf has no construct for `removed`; a stack-level override writes the block as Terraform reads it
  // in JSON. The HCL writer drops stack overrides: `synthesize` appends {@link removedBlocksHcl} there.
  for (const [stack, blocks] of removed) stack.addOverride("removed", blocks);
  return new Map([...removed].map(([stack, blocks]) => [stack.node.id, blocks.map((block) => block.from)]));
}

/** `removed` blocks in HCL, one per address, each keeping what it names. */
export function removedBlocksHcl(addresses: readonly string[]): string {
  return addresses
    .map((address) => `\nremoved {\n  from = ${address}\n  lifecycle {\n    destroy = false\n  }\n}\n`)
    .join("");
}
