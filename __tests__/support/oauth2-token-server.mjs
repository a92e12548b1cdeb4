// A real local OAuth2 token server for the token-client tests: oauth2-mock-server (signed JWTs, real
// HTTP) with its hooks made to behave like Cognito's /oauth2/token for client_credentials: HTTP Basic
// client authentication checked against a client list (invalid_client, 401), requested scopes checked
// against the client's (invalid_scope, 400), a configurable expires_in. Test-only control routes
// count token requests and inject 5xx answers; the client under test never calls them.
//
// Run as its own process (the library is ESM-only; jest runs CommonJS). Configuration comes from the
// M2M_TOKEN_SERVER_CONFIG environment variable: {"clients":{"<id>":{"secret":"…","scopes":["a/b"]}},
// "expiresIn":300}. Prints "READY <issuer url>" once it listens on 127.0.0.1 (free port).
import { Events, OAuth2Server } from "oauth2-mock-server";

const config = JSON.parse(process.env.M2M_TOKEN_SERVER_CONFIG ?? "{}");
const clients = config.clients ?? {};
const expiresIn = config.expiresIn ?? 3600;

const state = { tokenRequests: 0, failNext: 0, failStatus: 503 };

const server = new OAuth2Server(undefined, undefined, { endpoints: { token: "/oauth2/token" } });
await server.issuer.keys.generate("RS256");

function basicCredentials(header) {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

server.service.on(Events.BeforeTokenSigning, (token, req) => {
  const credentials = basicCredentials(req.headers.authorization);
  token.payload.exp = token.payload.iat + expiresIn;
  if (credentials) {
    token.payload.client_id = credentials.id;
    token.payload.sub = credentials.id;
    token.payload.token_use = "access";
  }
});

server.service.on(Events.BeforeResponse, (response, req) => {
  state.tokenRequests += 1;
  if (state.failNext > 0) {
    state.failNext -= 1;
    response.statusCode = state.failStatus;
    response.body = { error: "temporarily_unavailable" };
    return;
  }
  const credentials = basicCredentials(req.headers.authorization);
  const client = credentials ? clients[credentials.id] : undefined;
  if (!client || client.secret !== credentials.secret) {
    response.statusCode = 401;
    response.body = { error: "invalid_client" };
    return;
  }
  const requested = typeof req.body.scope === "string" ? req.body.scope.split(" ").filter(Boolean) : [];
  const unknown = requested.filter((s) => !client.scopes.includes(s));
  if (unknown.length > 0) {
    response.statusCode = 400;
    response.body = { error: "invalid_scope", error_description: `not allowed: ${unknown.join(" ")}` };
    return;
  }
  response.body = {
    ...response.body,
    expires_in: expiresIn,
    scope: (requested.length > 0 ? requested : client.scopes).join(" "),
  };
});

function sendJson(res, body) {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

server.service.addRoute("GET", "/__control/stats", (_req, res) =>
  sendJson(res, { tokenRequests: state.tokenRequests }),
);
server.service.addRoute("POST", "/__control/reset", (_req, res) => {
  Object.assign(state, { tokenRequests: 0, failNext: 0, failStatus: 503 });
  sendJson(res, state);
});
server.service.addRoute("POST", "/__control/fail", (req, res) => {
  const body = req.body ?? {};
  state.failNext = Number(body.count ?? 1);
  state.failStatus = Number(body.status ?? 503);
  sendJson(res, state);
});

await server.start(0, "127.0.0.1");
const { port } = server.address();
process.stdout.write(`READY http://127.0.0.1:${port}\n`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Gone with the test process, even when it could not stop us.
process.stdin.on("end", stop);
process.stdin.resume();
