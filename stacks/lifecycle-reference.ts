import type { TerraformResource } from "cdktf";

/**
 * Whether the stacks are being written as HCL. `cdktf synth --hcl` sets SYNTH_HCL_OUTPUT, and each
 * TerraformStack reads it when constructed ("true" or "1") to choose its output format.
 */
export function writesHcl(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SYNTH_HCL_OUTPUT === "true" || env.SYNTH_HCL_OUTPUT === "1";
}

/**
 * A resource attribute as `lifecycle.replace_triggered_by` wants it, in whichever syntax the stack is
 * written. Terraform's JSON syntax reads that list as bare expressions (`aws_x.y.id`; a `${…}` there
 * is an invalid character), while CDKTF's HCL writer quotes every list entry, so the HCL needs the
 * one quoted form Terraform takes as a reference: a template of that single expression
 * (`"${aws_x.y.id}"`). A token such as `resource.id` is right for HCL only, the plain address for
 * JSON only.
 */
export function replaceTriggerReference(
  resource: TerraformResource,
  attribute: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const address = `${resource.terraformResourceType}.${resource.friendlyUniqueId}.${attribute}`;
  return writesHcl(env) ? `\${${address}}` : address;
}
