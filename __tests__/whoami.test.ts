/**
 * `GET /whoami` answers from the request context only: client id, scopes, API key id and stage.
 */
import type { APIGatewayProxyEvent } from "aws-lambda";
import { handler } from "../functions/whoami/index";

const SECRET_HEADER = "Bearer eyJraWQiOiJrMSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNlY3JldA";

function event(
  overrides: { authorizer?: Record<string, unknown> | null; apiKeyId?: string | null; stage?: string } = {},
): APIGatewayProxyEvent {
  const authorizer =
    overrides.authorizer === undefined
      ? {
          principalId: "4tq0ab1cd2ef3gh4ij5kl6mn7o",
          clientId: "4tq0ab1cd2ef3gh4ij5kl6mn7o",
          scopes: "orders/read inventory/read",
          integrationLatency: 12,
        }
      : overrides.authorizer;
  return {
    httpMethod: "GET",
    path: "/whoami",
    resource: "/whoami",
    headers: { Authorization: SECRET_HEADER, "X-Forwarded-For": "203.0.113.9", "x-api-key": "attacker-supplied" },
    multiValueHeaders: { Authorization: [SECRET_HEADER] },
    queryStringParameters: { echo: "<script>" },
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: '{"echo":"me"}',
    isBase64Encoded: false,
    requestContext: {
      accountId: "123456789012",
      apiId: "a1b2c3d4e5",
      authorizer,
      httpMethod: "GET",
      identity: {
        apiKeyId: overrides.apiKeyId === undefined ? "k3y1d0000" : overrides.apiKeyId,
        apiKey: "4tq0ab1cd2ef3gh4ij5kl6mn7o",
        sourceIp: "203.0.113.9",
      },
      path: "/v1/whoami",
      protocol: "HTTP/1.1",
      requestId: "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
      requestTimeEpoch: 1_700_000_000_000,
      resourceId: "abc123",
      resourcePath: "/whoami",
      stage: overrides.stage ?? "v1",
    } as unknown as APIGatewayProxyEvent["requestContext"],
  };
}

test("returns client id, granted scopes, API key id and stage from the request context", async () => {
  const response = await handler(event());
  expect(response.statusCode).toBe(200);
  expect(JSON.parse(response.body)).toEqual({
    clientId: "4tq0ab1cd2ef3gh4ij5kl6mn7o",
    scopes: ["orders/read", "inventory/read"],
    apiKeyId: "k3y1d0000",
    stage: "v1",
  });
  expect(response.headers).toEqual({ "content-type": "application/json", "cache-control": "no-store" });
});

test("echoes no header, query or body of the request", async () => {
  const response = await handler(event());
  const text = JSON.stringify(response);
  for (const fragment of ["eyJ", "c2lnbmF0dXJl", "203.0.113.9", "attacker-supplied", "<script>", "echo"])
    expect(text).not.toContain(fragment);
});

test("a token without scopes gets an empty list", async () => {
  const response = await handler(event({ authorizer: { principalId: "abc", clientId: "abc", scopes: "" } }));
  expect(JSON.parse(response.body)).toEqual({ clientId: "abc", scopes: [], apiKeyId: "k3y1d0000", stage: "v1" });
});

test("without an API key in the context, apiKeyId is null", async () => {
  const response = await handler(event({ apiKeyId: null }));
  expect(JSON.parse(response.body).apiKeyId).toBeNull();
});

test("without the authorizer's context (route deployed without it) answers 500, not an empty identity", async () => {
  const logs = jest.spyOn(console, "log").mockImplementation(() => undefined);
  try {
    const response = await handler(event({ authorizer: null }));
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ message: "Internal server error" });
    expect(logs).toHaveBeenCalledWith(JSON.stringify({ event: "whoami_error", reason: "missing_authorizer_context" }));
  } finally {
    logs.mockRestore();
  }
});
