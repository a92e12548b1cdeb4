/**
 * `tiers`: names, throttles, quotas and route throttles.
 */
import { problemLines, registryWith } from "./support";

describe("tiers", () => {
  test("rejects an empty description", () => {
    // GIVEN a tier without description
    const registry = registryWith((r) => (r.tiers.basic.description = ""));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the description is reported
    expect(lines).toEqual(['error: tiers.basic.description: must be a non-empty string; got ""']);
  });

  test("rejects a rate limit that is not above 0 and within the account default", () => {
    // GIVEN a rate limit of 0
    const registry = registryWith((r) => (r.tiers.basic.throttle.rateLimit = 0));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the rate limit is reported
    expect(lines).toEqual([
      "error: tiers.basic.throttle.rateLimit: must be a number greater than 0 and at most 10000 (API Gateway's account default); got 0",
    ]);
  });

  test("rejects a burst limit that is not a whole number from 1 to 5000", () => {
    // GIVEN a fractional burst
    const registry = registryWith((r) => (r.tiers.basic.throttle.burstLimit = 10.5));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the burst limit is reported
    expect(lines).toEqual([
      "error: tiers.basic.throttle.burstLimit: must be a whole number from 1 to 5000 (API Gateway's account default); got 10.5",
    ]);
  });

  test("rejects a quota limit below 1", () => {
    // GIVEN a quota of 0 requests
    const registry = registryWith((r) => (r.tiers.basic.quota.limit = 0));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the limit is reported
    expect(lines).toEqual([
      "error: tiers.basic.quota.limit: must be a whole number from 1 to 2,147,483,647 (API Gateway keeps it as a 32-bit integer); got 0",
    ]);
  });

  test("rejects a quota period API Gateway does not know", () => {
    // GIVEN a yearly quota
    const registry = registryWith((r) => (r.tiers.basic.quota.period = "YEAR"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the period is reported
    expect(lines).toEqual(['error: tiers.basic.quota.period: must be one of "DAY", "WEEK", "MONTH"; got "YEAR"']);
  });

  test("rejects a route throttle for a route that is not configured", () => {
    // GIVEN a route throttle keyed by a path with a typo
    const registry = registryWith(
      (r) => (r.tiers.premium.routeThrottles = { "POST /order": { rateLimit: 1, burstLimit: 1 } }),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the key is reported
    expect(lines).toEqual([
      'error: tiers.premium.routeThrottles["POST /order"]: must name a configured route, method and path exactly as in routes; got "POST /order"',
    ]);
  });

  test("checks a route throttle's limits like the tier's", () => {
    // GIVEN a negative rate on one route
    const registry = registryWith((r) => (r.tiers.premium.routeThrottles["POST /orders"].rateLimit = -1));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the route's rate limit is reported
    expect(lines).toEqual([
      'error: tiers.premium.routeThrottles["POST /orders"].rateLimit: must be a number greater than 0 and at most 10000 (API Gateway\'s account default); got -1',
    ]);
  });

  test("rejects a route throttle looser than the tier's own", () => {
    // GIVEN a route burst above the tier's burst of 100
    const registry = registryWith((r) => (r.tiers.premium.routeThrottles["POST /orders"].burstLimit = 200));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the route's burst limit is reported
    expect(lines).toEqual([
      'error: tiers.premium.routeThrottles["POST /orders"].burstLimit: must not exceed the tier\'s throttle.burstLimit, 100; got 200',
    ]);
  });
});

describe("tiers: what API Gateway and Terraform refuse", () => {
  test.each([
    ["gold tier", "a space"],
    ["1st", "a leading digit"],
  ])("rejects the tier name %j (%s): it becomes a Terraform address and the usage plan's name", (name) => {
    const registry = registryWith((r) => (r.tiers[name] = structuredClone(r.tiers.basic)));
    expect(problemLines(registry)).toEqual([
      `error: tiers[${JSON.stringify(name)}].name: must be lower-case letters and digits in dash-separated words, starting with a letter (it becomes a Terraform address, the usage plan's name and a tag); got ${JSON.stringify(name)}`,
    ]);
  });

  test("rejects a quota limit above 2,147,483,647, which API Gateway keeps as a 32-bit integer", () => {
    const registry = registryWith((r) => (r.tiers.basic.quota.limit = 2_147_483_648));
    expect(problemLines(registry)).toEqual([
      "error: tiers.basic.quota.limit: must be a whole number from 1 to 2,147,483,647 (API Gateway keeps it as a 32-bit integer); got 2147483648",
    ]);
  });

  test("accepts a quota limit of exactly 2,147,483,647", () => {
    expect(problemLines(registryWith((r) => (r.tiers.basic.quota.limit = 2_147_483_647)))).toEqual([]);
  });

  test("rejects a route throttle beyond the account's default throttle", () => {
    const registry = registryWith((r) => {
      r.tiers.premium.throttle = { rateLimit: 10_000, burstLimit: 5_000 };
      r.tiers.premium.routeThrottles["POST /orders"] = { rateLimit: 10_001, burstLimit: 5_001 };
    });
    expect(problemLines(registry)).toEqual([
      `error: tiers.premium.routeThrottles["POST /orders"].rateLimit: must be a number greater than 0 and at most 10000 (API Gateway's account default); got 10001`,
      `error: tiers.premium.routeThrottles["POST /orders"].burstLimit: must be a whole number from 1 to 5000 (API Gateway's account default); got 5001`,
    ]);
  });
});
