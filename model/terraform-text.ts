/**
 * Registry text as Terraform text. Terraform evaluates `${…}` (interpolation) and `%{…}` (directives)
 * in every string of a configuration, JSON and HCL alike, and cdktf passes strings through as they
 * are: a client description of `${aws_cognito_user_pool_client.other.client_secret}` would write
 * another partner's secret into an API key's description. Every string that comes from the registry
 * goes through {@link terraformText} before it reaches a construct's resource, and nowhere else.
 */

/** How the stack is written: `cdktf synth --hcl` sets SYNTH_HCL_OUTPUT, which each stack reads. */
export type TerraformSyntax = "json" | "hcl";

/** The syntax the stacks of this process are written in. */
export function terraformSyntax(env: NodeJS.ProcessEnv = process.env): TerraformSyntax {
  return env.SYNTH_HCL_OUTPUT === "true" || env.SYNTH_HCL_OUTPUT === "1" ? "hcl" : "json";
}

// Terraform reads `$${` as a literal `${` and `%%{` as a literal `%{`; a `$` or `%` not followed by
// `{` is literal already. Doubling the sign in front of every brace that follows one is exact: a run
// like `$${` in the text becomes `$$${`, which Terraform reads as a literal `$` and then `${`.
const TEMPLATE_SEQUENCE = /([$%])\{/g;

// CDKTF's HCL writer puts a string between quotes without escaping backslashes, escapes quotes only
// when the string holds no `${`, and writes a string with a line break as a heredoc, where escapes
// mean nothing. Written as escapes here, every such character survives all three.
const HCL_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
};
const HCL_SPECIAL = /[\\"\n\r\t]/g;

/**
 * `text` as a Terraform string that reads back as exactly `text`: no interpolation, no directive, in
 * the syntax the stack is written in.
 */
export function terraformText(text: string, syntax: TerraformSyntax = terraformSyntax()): string {
  const literal = text.replace(TEMPLATE_SEQUENCE, "$1$1{");
  return syntax === "hcl" ? literal.replace(HCL_SPECIAL, (character) => HCL_ESCAPES[character]) : literal;
}

/** Every value of a string map through {@link terraformText} (tags); no map stays no map. */
export function terraformTextMap(
  values: Readonly<Record<string, string>>,
  syntax?: TerraformSyntax,
): Record<string, string>;
export function terraformTextMap(
  values: Readonly<Record<string, string>> | undefined,
  syntax?: TerraformSyntax,
): Record<string, string> | undefined;
export function terraformTextMap(
  values: Readonly<Record<string, string>> | undefined,
  syntax: TerraformSyntax = terraformSyntax(),
): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, terraformText(value, syntax)]));
}
