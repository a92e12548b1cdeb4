/**
 * Names and paths derived from config keys, each built once. Terraform addresses are a public API: a
 * changed address means Terraform destroys and recreates the resource, which for an app client is a
 * new client id and secret for a partner. `__tests__/addresses.test.ts` pins them.
 */

/**
 * Folder of the local backend's state files, beside the synth output folder (the repository root for
 * `cdktf.out`): `rm -rf cdktf.out` must never delete an environment's state. Gitignored.
 */
export const LOCAL_STATE_FOLDER = "terraform-state";

/**
 * The local backend's `path` for an environment, relative to its stack folder
 * (`<outdir>/stacks/<env>`, where Terraform runs): `../../../terraform-state/<env>.tfstate`. Relative, so
 * the synthesized JSON is the same on every machine.
 */
export function localStatePath(environmentName: string): string {
  return `../../../${LOCAL_STATE_FOLDER}/${environmentName}.tfstate`;
}

/** Where the local backend kept an environment's state before it moved out of the build output. */
export function legacyLocalStateFile(environmentName: string): string {
  return `terraform.${environmentName}.tfstate`;
}
