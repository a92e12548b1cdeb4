/**
 * `clients`: keys, owners, descriptions, tiers, scopes, environments, token validity, expiry and secret readers.
 */
import { problemLines, registryWith } from "./support";

describe("clients", () => {
  test.each([
    ["Acme Billing", "a capital and a space"],
    ["acme--billing", "an empty word"],
  ])("rejects the key %j (%s) and names the client by position", (key) => {
    // GIVEN a malformed key
    const registry = registryWith((r) => (r.clients[0].key = key));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the key is reported on the entry named by index and key
    expect(lines).toEqual([
      `error: clients[0] (${JSON.stringify(
        key,
      )}).key: must be lower-case letters and digits in dash-separated words, starting with a letter; got ${JSON.stringify(
        key,
      )}`,
    ]);
  });

  test("rejects a key used twice, on the second client", () => {
    // GIVEN globex-orders renamed to acme-billing
    const registry = registryWith((r) => (r.clients[1].key = "acme-billing"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the second is reported, naming the first by position
    expect(lines).toEqual([
      'error: clients[1] ("acme-billing").key: must be unique, but clients[0] has the same key; got "acme-billing"',
    ]);
  });

  test.each(["description", "owner"])("requires a non-empty %s", (field) => {
    // GIVEN a blank field
    const registry = registryWith((r) => (r.clients[0][field] = "   "));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the field is reported
    expect(lines).toEqual([`error: clients["acme-billing"].${field}: must be a non-empty string; got "   "`]);
  });

  test("rejects a tier that is not defined", () => {
    // GIVEN an unknown tier
    const registry = registryWith((r) => (r.clients[0].tier = "platinum"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the tier is reported with the defined ones
    expect(lines).toEqual(['error: clients["acme-billing"].tier: must be one of "basic", "premium"; got "platinum"']);
  });

  test("requires at least one scope", () => {
    // GIVEN a client with no scope
    const registry = registryWith((r) => (r.clients[0].scopes = []));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty list is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].scopes: must list at least one scope (Cognito grants client_credentials only with a scope); got []',
    ]);
  });

  test("rejects a scope no resource server defines", () => {
    // GIVEN an undefined scope
    const registry = registryWith((r) => (r.clients[0].scopes = ["orders/read", "orders/delete"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope is reported with the defined ones
    expect(lines).toEqual([
      'error: clients["acme-billing"].scopes[1]: must be one of "orders/read", "orders/write"; got "orders/delete"',
    ]);
  });

  test("rejects a scope listed twice", () => {
    // GIVEN orders/read twice
    const registry = registryWith((r) => (r.clients[0].scopes = ["orders/read", "orders/read"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual(['error: clients["acme-billing"].scopes[1]: must not repeat scopes[0]; got "orders/read"']);
  });

  test("rejects a scope that no route requires", () => {
    // GIVEN a defined scope that no route demands
    const registry = registryWith((r) => {
      r.resourceServers.orders.scopes.audit = "Read the audit trail";
      r.clients[0].scopes = ["orders/read", "orders/audit"];
    });
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope is reported as granting nothing
    expect(lines).toEqual([
      'error: clients["acme-billing"].scopes[1]: must be required by at least one route (a scope no route requires grants nothing); got "orders/audit"',
    ]);
  });

  test("requires at least one environment", () => {
    // GIVEN a client in no environment
    const registry = registryWith((r) => (r.clients[0].environments = []));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the empty list is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].environments: must list at least one environment (a client with no environment is deployed nowhere); got []',
    ]);
  });

  test("rejects an environment that is not defined", () => {
    // GIVEN an unknown environment
    const registry = registryWith((r) => (r.clients[0].environments = ["dev", "staging"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the environment is reported with the defined ones
    expect(lines).toEqual([
      'error: clients["acme-billing"].environments[1]: must be one of "dev", "prod"; got "staging"',
    ]);
  });

  test("rejects an environment listed twice", () => {
    // GIVEN dev twice
    const registry = registryWith((r) => (r.clients[0].environments = ["dev", "prod", "dev"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].environments[2]: must not repeat environments[0]; got "dev"',
    ]);
  });

  test.each([2, 1441, 30.5])("rejects an access-token validity of %p minutes", (minutes) => {
    // GIVEN a validity outside Cognito's bounds, or not whole
    const registry = registryWith((r) => (r.clients[0].accessTokenValidityMinutes = minutes));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the validity is reported
    expect(lines).toEqual([
      `error: clients["acme-billing"].accessTokenValidityMinutes: must be a whole number from 5 to 1440 (Cognito's 5 minutes to 1 day); got ${minutes}`,
    ]);
  });

  test.each(["2027-02-29", "2027-6-30", "30/06/2027"])("rejects the expiry date %j", (expires) => {
    // GIVEN a date that does not exist or is not written YYYY-MM-DD
    const registry = registryWith((r) => (r.clients[0].expires = expires));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the date is reported
    expect(lines).toEqual([
      `error: clients["acme-billing"].expires: must be a real date written YYYY-MM-DD; got ${JSON.stringify(expires)}`,
    ]);
  });

  test("fails a client whose last day has passed", () => {
    // GIVEN a client that expired before today (2026-11-26)
    const registry = registryWith((r) => (r.clients[0].expires = "2026-01-31"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN it is an error
    expect(lines).toEqual([
      'error: clients["acme-billing"].expires: expired on 2026-01-31: renew it (move `expires` forward) or remove the client',
    ]);
  });

  test.each([
    ["2026-11-26", "today"],
    ["2026-11-27", "tomorrow"],
    ["2026-12-26", "in 30 days"],
  ])("warns about a client that expires on %s, %s", (expires, when) => {
    // GIVEN a client whose last day is within 30 days of today (2026-11-26)
    const registry = registryWith((r) => (r.clients[0].expires = expires));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN it is a warning with the time left
    expect(lines).toEqual([
      `warning: clients["acme-billing"].expires: expires on ${expires}, ${when}: renew it (move \`expires\` forward) or plan the client's removal`,
    ]);
  });

  test("says nothing about a client that expires in 31 days", () => {
    // GIVEN a client whose last day is just beyond the warning window
    const registry = registryWith((r) => (r.clients[0].expires = "2026-12-27"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported
    expect(lines).toEqual([]);
  });

  test("rejects a consumer principal that is neither an account id nor an IAM ARN", () => {
    // GIVEN an ARN with a short account id
    const registry = registryWith((r) => (r.clients[0].consumerPrincipals = ["arn:aws:iam::1234:role/reader"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the principal is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].consumerPrincipals[0]: must be a 12-digit account id or an IAM ARN such as "arn:aws:iam::123456789012:role/name" (root, role/… or user/…); got "arn:aws:iam::1234:role/reader"',
    ]);
  });

  test("accepts account ids and root, role and user ARNs as consumer principals", () => {
    // GIVEN one principal of each accepted form
    const registry = registryWith(
      (r) =>
        (r.clients[0].consumerPrincipals = [
          "123456789012",
          "arn:aws:iam::123456789012:root",
          "arn:aws:iam::123456789012:role/service/billing-reader",
          "arn:aws:iam::123456789012:user/ci",
        ]),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported
    expect(lines).toEqual([]);
  });

  test("rejects a consumer principal listed twice", () => {
    // GIVEN the same account twice
    const registry = registryWith((r) => (r.clients[0].consumerPrincipals = ["123456789012", "123456789012"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual([
      'error: clients["acme-billing"].consumerPrincipals[1]: must not repeat consumerPrincipals[0]; got "123456789012"',
    ]);
  });
});

describe("clients: what AWS refuses", () => {
  test.each([
    ["Team Billing (EU)", "parentheses"],
    ["%{ if true }ops%{ endif }", "a Terraform directive"],
  ])("rejects the owner %j (%s): it becomes a tag, and AWS tags allow no such characters", (owner) => {
    const registry = registryWith((r) => (r.clients[0].owner = owner));
    expect(problemLines(registry)).toEqual([
      `error: clients["acme-billing"].owner: must be letters, digits, spaces and "_ . : / = + - @" only (it becomes the m2m:owner tag, and AWS tags allow no other characters); got ${JSON.stringify(owner)}`,
    ]);
  });

  test("rejects an owner longer than a tag value may be", () => {
    const registry = registryWith((r) => (r.clients[0].owner = "o".repeat(257)));
    expect(problemLines(registry)).toEqual([
      `error: clients["acme-billing"].owner: must be at most 256 characters (it becomes the m2m:owner tag, and AWS tag values are at most that long); got 257 characters`,
    ]);
  });

  test("rejects a description longer than the credentials secret's description leaves room for", () => {
    const registry = registryWith((r) => (r.clients[0].description = "d".repeat(2006)));
    expect(problemLines(registry)).toEqual([
      `error: clients["acme-billing"].description: must be at most 2,005 characters (the credentials secret's description is "OAuth2 client credentials of acme-billing: " and this, and Secrets Manager allows 2,048); got 2,006 characters`,
    ]);
    expect(problemLines(registryWith((r) => (r.clients[0].description = "d".repeat(2005))))).toEqual([]);
  });

  test("rejects a key that makes the Cognito app client name longer than 128 characters", () => {
    const key = `acme-${"billing-".repeat(16)}x`;
    const registry = registryWith((r) => (r.clients[0].key = key));
    expect(problemLines(registry)).toEqual([
      `error: clients["${key}"].key: must keep the AWS names built from it within AWS's limits, but the Cognito app client name "${key}" is 134 characters (AWS allows 128): shorten the key; got 134 characters`,
    ]);
  });
});
