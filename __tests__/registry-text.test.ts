/**
 * Registry text is data, never Terraform code. The hostile fixture puts `${…}`, `%{…}`, `$${` and
 * `%%{` into every free-text field; synthesized, its stack must hold exactly the interpolations and
 * directives of the same registry written in plain words (the stack's own references), and each field
 * must read back, as Terraform reads a template, as the registry's text.
 */
import type { Registry } from "../config/schema";
import { terraformText, terraformTextMap } from "../model/terraform-text";
import hostile, { DIRECTIVE, HCL_BREAKERS, PRE_ESCAPED, STEAL_SECRET } from "./fixtures/hostile-registry";
import { resourcesOf, synthEnvironment } from "./support/synth";
import { everyString, templateParts } from "./support/terraform-template";

const PAYLOADS = [STEAL_SECRET, DIRECTIVE, PRE_ESCAPED, HCL_BREAKERS];

/** The hostile registry with every payload replaced by plain words: the same stack, nothing to escape. */
function plainWordsOf(registry: Registry): Registry {
  let json = JSON.stringify(registry);
  for (const payload of PAYLOADS) json = json.split(JSON.stringify(payload).slice(1, -1)).join("plain words");
  return JSON.parse(json) as Registry;
}

/** Every interpolation and directive anywhere in a stack, sorted. */
function templateSequences(tf: unknown): string[] {
  return everyString(tf)
    .flatMap((s) => {
      const parts = templateParts(s);
      return [...parts.interpolations.map((i) => `\${${i}}`), ...parts.directives.map((d) => `%{${d}}`)];
    })
    .sort();
}

describe("terraformText", () => {
  test.each([
    ["plain text", "plain text"],
    ["${var.x}", "$${var.x}"],
    ["%{ if x }", "%%{ if x }"],
    ["$${already}", "$$${already}"],
    ["%%{already}", "%%%{already}"],
    ["$ and % and {", "$ and % and {"],
    ["a${b}c%{d}e${f}", "a$${b}c%%{d}e$${f}"],
  ])("writes %j for JSON as %j", (text, written) => {
    expect(terraformText(text, "json")).toBe(written);
    expect(templateParts(written)).toEqual({ literal: text, interpolations: [], directives: [] });
  });

  test("writes quotes, backslashes and line breaks as HCL escapes, after doubling the signs", () => {
    expect(terraformText('say "${x}" \\ now\nthen\ttab\r', "hcl")).toBe('say \\"$${x}\\" \\\\ now\\nthen\\ttab\\r');
  });

  test("escapes the values of a tag map and keeps its keys", () => {
    expect(terraformTextMap({ "m2m:owner": "${x}" }, "json")).toEqual({ "m2m:owner": "$${x}" });
  });
});

describe("the hostile registry's stack", () => {
  const { tf } = synthEnvironment(hostile, "sandbox");
  const plain = synthEnvironment(plainWordsOf(hostile), "sandbox").tf;

  test("holds only the interpolations and directives of the same stack written in plain words", () => {
    const hostileSequences = templateSequences(tf);
    expect(hostileSequences.length).toBeGreaterThan(20);
    expect(hostileSequences).toEqual(templateSequences(plain));
  });

  test("holds no interpolation that names another client's secret outside the credentials it writes", () => {
    const stealing = everyString(tf).filter((s) =>
      templateParts(s).interpolations.some((i) => i === "aws_cognito_user_pool_client.bravo-fulfilment.client_secret"),
    );
    expect(stealing).toEqual([]);
  });

  test("reads back, as Terraform reads it, as the registry's own text in every field", () => {
    const read = (value: string) => templateParts(value).literal;
    const apiKeys = resourcesOf(tf, "aws_api_gateway_api_key");
    const secrets = resourcesOf(tf, "aws_secretsmanager_secret");
    for (const client of hostile.clients) {
      expect(read(apiKeys[client.key].description)).toBe(client.description);
      expect(read(secrets[client.key].description)).toBe(
        `OAuth2 client credentials of ${client.key}: ${client.description}`,
      );
      expect(read(secrets[client.key].tags["m2m:owner"])).toBe(client.owner);
    }
    expect(read(resourcesOf(tf, "aws_api_gateway_usage_plan").basic.description)).toBe(hostile.tiers.basic.description);
    const scopes = resourcesOf(tf, "aws_cognito_resource_server").orders.scope as { scope_description: string }[];
    expect(scopes.map((s) => read(s.scope_description))).toEqual([STEAL_SECRET, DIRECTIVE]);
    const responses = resourcesOf(tf, "aws_api_gateway_integration_response");
    expect(read(responses.GET__orders.response_templates["application/json"])).toBe(
      hostile.routes[0].integration.type === "mock" ? hostile.routes[0].integration.body : undefined,
    );
    expect(read(responses.POST__orders.response_templates["application/json"])).toBe(`${PRE_ESCAPED}\n${HCL_BREAKERS}`);
  });
});
