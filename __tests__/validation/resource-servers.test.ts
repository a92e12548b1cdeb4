/**
 * `resourceServers`: identifiers, display names and scopes.
 */
import { problemLines, registryWith } from "./support";

describe("resource servers", () => {
  test("rejects an identifier that cannot prefix a scope", () => {
    // GIVEN a resource server keyed with a capital
    const registry = registryWith(
      (r) => (r.resourceServers.Billing = { name: "Billing", scopes: { read: "Read bills" } }),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the identifier is reported
    expect(lines).toEqual([
      'error: resourceServers.Billing.identifier: must be 1 to 64 lower-case letters, digits or dashes, starting with a letter (it prefixes every scope); got "Billing"',
    ]);
  });

  test("rejects an empty display name", () => {
    // GIVEN a blank name
    const registry = registryWith((r) => (r.resourceServers.orders.name = " "));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the name is reported
    expect(lines).toEqual([
      `error: resourceServers.orders.name: must be a display name of 1 to 256 letters, digits, spaces and "_ + = , . @ -" (Cognito's name characters); got " "`,
    ]);
  });

  test("requires at least one scope", () => {
    // GIVEN a resource server without scopes
    const registry = registryWith((r) => (r.resourceServers.billing = { name: "Billing", scopes: {} }));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty scope list is reported
    expect(lines).toEqual(["error: resourceServers.billing.scopes: must define at least one scope; got none"]);
  });

  test("rejects a scope name Cognito would not accept as written", () => {
    // GIVEN a scope name with a space
    const registry = registryWith((r) => (r.resourceServers.orders.scopes["read all"] = "Read every order"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope name is reported
    expect(lines).toEqual([
      'error: resourceServers.orders.scopes["read all"]: scope name must be 1 to 64 lower-case letters, digits, "_", "." or "-", starting with a letter; got "read all"',
    ]);
  });

  test("rejects an empty scope description", () => {
    // GIVEN a scope without description
    const registry = registryWith((r) => (r.resourceServers.orders.scopes.write = ""));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the description is reported
    expect(lines).toEqual([
      'error: resourceServers.orders.scopes.write: must be a non-empty description of at most 256 characters; got ""',
    ]);
  });
});

describe("resource servers: what Cognito refuses", () => {
  test("rejects a display name with characters Cognito's names do not allow", () => {
    const registry = registryWith((r) => (r.resourceServers.orders.name = "Orders (v2)"));
    expect(problemLines(registry)).toEqual([
      `error: resourceServers.orders.name: must be a display name of 1 to 256 letters, digits, spaces and "_ + = , . @ -" (Cognito's name characters); got "Orders (v2)"`,
    ]);
  });
});
