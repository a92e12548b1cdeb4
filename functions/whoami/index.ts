/**
 * `GET /whoami`: tells a machine user how the API sees it — client id, granted scopes, the API key that
 * meters it and the stage. Everything comes from the request context that API Gateway and the authorizer
 * filled in; nothing from the request itself, so no header, query or body is ever echoed back.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";

/** The response body. */
export interface WhoAmI {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly apiKeyId: string | null;
  readonly stage: string;
}

function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    // Per-caller data: no shared cache may keep it.
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: JSON.stringify(body),
  };
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const context = event?.requestContext;
  const authorizer = context?.authorizer;
  const clientId = authorizer?.clientId ?? authorizer?.principalId;
  // Without the authorizer's context the route is deployed without its authorizer: a configuration
  // error, answered as one rather than with an empty identity.
  if (typeof clientId !== "string" || clientId.length === 0 || typeof context?.stage !== "string") {
    console.log(JSON.stringify({ event: "whoami_error", reason: "missing_authorizer_context" }));
    return json(500, { message: "Internal server error" });
  }
  const scopes =
    typeof authorizer?.scopes === "string" ? authorizer.scopes.split(" ").filter((s: string) => s.length > 0) : [];
  const body: WhoAmI = {
    clientId,
    scopes,
    apiKeyId: context.identity?.apiKeyId ?? null,
    stage: context.stage,
  };
  return json(200, body);
}
