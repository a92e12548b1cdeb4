/**
 * `routes`: methods, the path grammar, routes API Gateway cannot build side by side, scopes and integrations.
 */
import { mockRoute, problemLines, registryWith } from "./support";

describe("routes", () => {
  test("rejects an unknown HTTP method", () => {
    // GIVEN a route with a made-up method
    const registry = registryWith((r) => r.routes.push(mockRoute("FETCH", "/orders")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the method is reported
    expect(lines).toEqual([
      'error: routes["FETCH /orders"].method: must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"; got "FETCH"',
    ]);
  });

  test.each([
    ["orders/{orderId}/lines", 'must start with "/"'],
    ["/orders/", 'must not end with "/"'],
    ["/orders//lines", 'must not contain an empty segment ("//")'],
    ["/orders/{proxy+}", 'must not use a greedy parameter such as "{proxy+}" (not supported)'],
    ["/orders/{1st}", 'parameter "{1st}" must be named with letters, digits and "_", not starting with a digit'],
    ["/orders/open orders", 'segment "open orders" must be letters, digits, ".", "_" and "-", or a {param}'],
    ["/orders/{orderId}/lines/{orderId}", "must not repeat the parameter {orderId}"],
  ])("rejects the path %j", (path, expected) => {
    // GIVEN a route with a malformed path
    const registry = registryWith((r) => r.routes.push(mockRoute("PUT", path)));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the path is reported with what is wrong with it
    expect(lines).toEqual([
      `error: routes[${JSON.stringify(`PUT ${path}`)}].path: ${expected}; got ${JSON.stringify(path)}`,
    ]);
  });

  test("accepts the root path", () => {
    // GIVEN a route on the API's root resource
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN nothing is reported
    expect(lines).toEqual([]);
  });

  test("rejects a route that API Gateway would match like an earlier one, whatever its parameter is called", () => {
    // GIVEN GET /orders/{id} next to GET /orders/{orderId}
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/orders/{id}")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later route is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{id}"].path: must differ from routes["GET /orders/{orderId}"] in method or path (parameter names do not count); got "/orders/{id}"',
    ]);
  });

  test("rejects a path whose Terraform name another path already has", () => {
    // GIVEN a literal segment "_orderId_" beside the {orderId} parameter: both map to "orders___orderId_"
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/orders/_orderId_")));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later route is reported, since its resources would overwrite the earlier route's
    expect(lines).toEqual([
      'error: routes["GET /orders/_orderId_"].path: must not map to the Terraform name "orders___orderId_" that routes["GET /orders/{orderId}"] already uses (rename a segment); got "/orders/_orderId_"',
    ]);
  });

  test("warns when the authorizer's policy cannot keep two {param} routes apart", () => {
    // GIVEN GET /{tenant}/orders (orders/write) beside GET /orders/{orderId} (orders/read): each ARN
    // pattern matches the other's requests, since IAM's * crosses "/"
    const registry = registryWith((r) => r.routes.push(mockRoute("GET", "/{tenant}/orders", ["orders/write"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN both directions are warned about; the registry still synthesizes (the authorizer fails closed)
    expect(lines).toEqual([
      "warning: routes: the authorizer's policy cannot keep these routes apart: GET /orders/{orderId} reaches GET /{tenant}/orders, whose Deny reaches GET /orders/{orderId}, so a token allowed the last may be refused it (make the {param} segment a literal or move the route)",
      "warning: routes: the authorizer's policy cannot keep these routes apart: GET /{tenant}/orders reaches GET /orders/{orderId}, whose Deny reaches GET /{tenant}/orders, so a token allowed the last may be refused it (make the {param} segment a literal or move the route)",
    ]);
  });

  test("names a route configured twice by its position", () => {
    // GIVEN POST /orders twice
    const registry = registryWith((r) => r.routes.push(mockRoute("POST", "/orders", ["orders/write"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the second is reported under its index, since both share one name
    expect(lines).toEqual([
      'error: routes[3] ("POST /orders").path: must differ from routes["POST /orders"] in method or path (parameter names do not count); got "/orders"',
    ]);
  });

  test("rejects a parameter named differently from its siblings' at the same place", () => {
    // GIVEN DELETE /orders/{id} next to GET /orders/{orderId}
    const registry = registryWith((r) => r.routes.push(mockRoute("DELETE", "/orders/{id}", ["orders/write"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the later route is reported
    expect(lines).toEqual([
      'error: routes["DELETE /orders/{id}"].path: must call the parameter at segment 2 {orderId}, as routes["GET /orders/{orderId}"] does (API Gateway cannot have sibling {orderId} and {id} resources); got "/orders/{id}"',
    ]);
  });

  test("rejects a scope no resource server defines", () => {
    // GIVEN a route demanding an undefined scope
    const registry = registryWith((r) => r.routes.push(mockRoute("PATCH", "/orders/{orderId}", ["orders/update"])));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the scope is reported with the defined ones
    expect(lines).toEqual([
      'error: routes["PATCH /orders/{orderId}"].scopes[0]: must be one of "orders/read", "orders/write"; got "orders/update"',
    ]);
  });

  test("rejects a scope listed twice", () => {
    // GIVEN a route demanding orders/write twice
    const registry = registryWith((r) => (r.routes[2].scopes = ["orders/write", "orders/write"]));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the repeat is reported
    expect(lines).toEqual(['error: routes["POST /orders"].scopes[1]: must not repeat scopes[0]; got "orders/write"']);
  });

  test("rejects an upstream URL that is not absolute https", () => {
    // GIVEN a plain-http upstream in dev
    const registry = registryWith(
      (r) => (r.routes[1].integration.url.dev = "http://orders.dev.example.com/orders/{orderId}"),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the URL is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.dev: must be an absolute https:// URL (every environment needs one); got "http://orders.dev.example.com/orders/{orderId}"',
    ]);
  });

  test("requires an upstream URL for every environment", () => {
    // GIVEN no upstream for prod
    const registry = registryWith((r) => delete r.routes[1].integration.url.prod);
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the missing URL is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.prod: must be an absolute https:// URL (every environment needs one); got undefined',
    ]);
  });

  test("rejects an upstream URL for an environment that does not exist", () => {
    // GIVEN an upstream for "qa", which is not an environment
    const registry = registryWith(
      (r) => (r.routes[1].integration.url.qa = "https://orders.qa.example.com/orders/{orderId}"),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the extra URL is reported
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.qa: must be one of "dev", "prod"; got "qa"',
    ]);
  });

  test("rejects an upstream URL parameter the path does not have", () => {
    // GIVEN an upstream that uses {id} on a path with {orderId}
    const registry = registryWith(
      (r) => (r.routes[1].integration.url.dev = "https://orders.dev.example.com/orders/{id}"),
    );
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the parameter is reported with the ones the path has
    expect(lines).toEqual([
      'error: routes["GET /orders/{orderId}"].integration.url.dev: may only use the path\'s parameters {orderId}; got {id} in "https://orders.dev.example.com/orders/{id}"',
    ]);
  });

  test("rejects a Lambda function that functions/ does not provide", () => {
    // GIVEN a lambda integration naming an unknown handler
    const registry = registryWith((r) => (r.routes[0].integration.function = "hello"));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the function is reported
    expect(lines).toEqual(['error: routes["GET /whoami"].integration.function: must be one of "whoami"; got "hello"']);
  });

  test("rejects a mock status code outside 200 to 599", () => {
    // GIVEN a mock answering 700
    const registry = registryWith((r) => (r.routes[2].integration.statusCode = 700));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the status code is reported
    expect(lines).toEqual([
      'error: routes["POST /orders"].integration.statusCode: must be a whole number from 200 to 599; got 700',
    ]);
  });

  test("rejects an unknown integration type", () => {
    // GIVEN an integration type that does not exist
    const registry = registryWith((r) => (r.routes[2].integration = { type: "http" }));
    // WHEN it is validated
    const lines = problemLines(registry);
    // THEN the type is reported
    expect(lines).toEqual([
      'error: routes["POST /orders"].integration.type: must be one of "http-proxy", "lambda", "mock"; got "http"',
    ]);
  });
});
