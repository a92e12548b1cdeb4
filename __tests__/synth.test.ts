/**
 * What one environment's stack contains, read from the synthesized Terraform JSON: exact counts, the
 * references that tie resources together, and the settings that keep credentials safe.
 */
import { CognitoUserPoolClient } from "@cdktf/provider-aws/lib/cognito-user-pool-client";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { CognitoUserPool } from "@cdktf/provider-aws/lib/cognito-user-pool";
import registry from "./fixtures/sample-registry";
import { ACCESS_LOG_FORMAT } from "../stacks/machine-api";
import { ref, resourcesOf, synthEnvironment } from "./support/synth";

const environments = Object.keys(registry.environments);
const clientsIn = (env: string) => registry.clients.filter((c) => (c.environments as readonly string[]).includes(env));

describe.each(environments)("the %s stack", (env) => {
  const { json, tf } = synthEnvironment(registry, env);
  const clients = clientsIn(env);

  test("has exactly one app client, API key, plan key, secret and secret value per client", () => {
    // GIVEN the clients the registry puts in this environment
    const keys = clients.map((c) => c.key).sort();
    // THEN each per-client resource type holds exactly those keys
    for (const type of [
      "aws_cognito_user_pool_client",
      "aws_api_gateway_api_key",
      "aws_api_gateway_usage_plan_key",
      "aws_secretsmanager_secret",
      "aws_secretsmanager_secret_version",
    ]) {
      expect({ type, keys: Object.keys(resourcesOf(tf, type)).sort() }).toEqual({ type, keys });
    }
  });

  test("has one user pool, one domain, one resource server per server, one usage plan per tier", () => {
    expect(Object.keys(resourcesOf(tf, "aws_cognito_user_pool"))).toEqual(["pool"]);
    expect(Object.keys(resourcesOf(tf, "aws_cognito_user_pool_domain"))).toEqual(["pool"]);
    expect(Object.keys(resourcesOf(tf, "aws_cognito_resource_server")).sort()).toEqual(
      Object.keys(registry.resourceServers).sort(),
    );
    expect(Object.keys(resourcesOf(tf, "aws_api_gateway_usage_plan")).sort()).toEqual(
      Object.keys(registry.tiers).sort(),
    );
  });

  test("puts each client's API key into its own tier's usage plan", () => {
    const planKeys = resourcesOf(tf, "aws_api_gateway_usage_plan_key");
    for (const client of clients) {
      expect(planKeys[client.key]).toEqual({
        key_id: ref(`aws_api_gateway_api_key.${client.key}`, "id"),
        key_type: "API_KEY",
        usage_plan_id: ref(`aws_api_gateway_usage_plan.${client.tier}`, "id"),
      });
    }
  });

  test("sets each API key's value to its own app client's id", () => {
    const apiKeys = resourcesOf(tf, "aws_api_gateway_api_key");
    for (const client of clients) {
      expect(apiKeys[client.key].value).toBe(ref(`aws_cognito_user_pool_client.${client.key}`, "id"));
      expect(apiKeys[client.key].enabled).toBe(true);
    }
  });

  test("grants each app client exactly its scopes, as references to the resource servers", () => {
    const appClients = resourcesOf(tf, "aws_cognito_user_pool_client");
    for (const client of clients) {
      const expected = client.scopes.map((scope) => {
        const [server, name] = scope.split("/");
        return `${ref(`aws_cognito_resource_server.${server}`, "identifier")}/${name}`;
      });
      expect(appClients[client.key].allowed_oauth_scopes).toEqual(expected);
    }
  });

  test("lets app clients use the client_credentials grant only, with a secret, revocation and no user-existence errors", () => {
    const appClients = resourcesOf(tf, "aws_cognito_user_pool_client");
    for (const client of clients) {
      expect(appClients[client.key]).toMatchObject({
        name: client.key,
        user_pool_id: ref("aws_cognito_user_pool.pool", "id"),
        generate_secret: true,
        allowed_oauth_flows: ["client_credentials"],
        allowed_oauth_flows_user_pool_client: true,
        supported_identity_providers: ["COGNITO"],
        explicit_auth_flows: ["ALLOW_REFRESH_TOKEN_AUTH"],
        access_token_validity: client.accessTokenValidityMinutes ?? 60,
        token_validity_units: [{ access_token: "minutes", id_token: "minutes", refresh_token: "days" }],
        enable_token_revocation: true,
        prevent_user_existence_errors: "ENABLED",
      });
    }
  });

  test("references the stage resource from every usage plan", () => {
    for (const plan of Object.values(resourcesOf(tf, "aws_api_gateway_usage_plan"))) {
      expect(plan.api_stages).toHaveLength(1);
      expect(plan.api_stages[0].api_id).toBe(ref("aws_api_gateway_stage.api", "rest_api_id"));
      expect(plan.api_stages[0].stage).toBe(ref("aws_api_gateway_stage.api", "stage_name"));
    }
  });

  test("gives each usage plan its tier's throttle, quota and route throttles", () => {
    const plans = resourcesOf(tf, "aws_api_gateway_usage_plan");
    for (const [name, tier] of Object.entries(registry.tiers)) {
      expect(plans[name].throttle_settings).toEqual({
        rate_limit: tier.throttle.rateLimit,
        burst_limit: tier.throttle.burstLimit,
      });
      expect(plans[name].quota_settings).toEqual({ limit: tier.quota.limit, period: tier.quota.period });
    }
    expect(plans.silver.api_stages[0].throttle).toEqual([{ path: "/orders/POST", rate_limit: 10, burst_limit: 20 }]);
    expect(plans.gold.api_stages[0].throttle).toBeUndefined();
  });

  test("writes client id, client secret, token URL, scopes and API URL into each client's secret, write-only", () => {
    const versions = resourcesOf(tf, "aws_secretsmanager_secret_version");
    for (const client of clients) {
      const written: string = versions[client.key].secret_string_wo;
      expect(versions[client.key].secret_string).toBeUndefined();
      expect(versions[client.key].secret_id).toBe(ref(`aws_secretsmanager_secret.${client.key}`, "id"));
      expect(written).toContain(`"client_id" = aws_cognito_user_pool_client.${client.key}.id`);
      expect(written).toContain(`"client_secret" = aws_cognito_user_pool_client.${client.key}.client_secret`);
      expect(written).toContain(
        `"token_url" = "https://${registry.environments[env as keyof typeof registry.environments].cognitoDomainPrefix}.auth.eu-west-1.amazoncognito.com/oauth2/token"`,
      );
      expect(written).toContain('"api_base_url" = aws_api_gateway_stage.api.invoke_url');
      expect(versions[client.key].secret_string_wo_version).toBe(
        `\${parseint(substr(sha256(aws_cognito_user_pool_client.${client.key}.id), 0, 12), 16)}`,
      );
    }
  });

  test("names each secret after project, environment and client, and tags it with owner and tier", () => {
    const secrets = resourcesOf(tf, "aws_secretsmanager_secret");
    for (const client of clients) {
      expect(secrets[client.key].name).toBe(`m2m/${env}/clients/${client.key}`);
      expect(secrets[client.key].tags).toEqual({
        "m2m:client": client.key,
        "m2m:owner": client.owner,
        "m2m:environment": env,
        "m2m:tier": client.tier,
      });
    }
  });

  test("makes the REST API regional and takes API keys from the authorizer only", () => {
    expect(json).toHaveResourceWithProperties(ApiGatewayRestApi, {
      api_key_source: "AUTHORIZER",
      endpoint_configuration: { types: ["REGIONAL"] },
    });
    expect(Object.keys(resourcesOf(tf, "aws_api_gateway_rest_api"))).toEqual(["api"]);
    expect(resourcesOf(tf, "aws_api_gateway_rest_api").api.api_key_source).toBe("AUTHORIZER");
  });

  test("protects every method with the token authorizer and an API key", () => {
    const methods = resourcesOf(tf, "aws_api_gateway_method");
    expect(Object.keys(methods)).toHaveLength(registry.routes.length);
    for (const method of Object.values(methods)) {
      expect(method.authorization).toBe("CUSTOM");
      expect(method.authorizer_id).toBe(ref("aws_api_gateway_authorizer.access-token", "id"));
      expect(method.api_key_required).toBe(true);
    }
  });

  test("redeploys on route changes before destroying the old deployment, into a separate stage", () => {
    const deployment = resourcesOf(tf, "aws_api_gateway_deployment").api;
    expect(deployment.triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.stage_name).toBeUndefined();
    const stage = resourcesOf(tf, "aws_api_gateway_stage").api;
    expect(stage.deployment_id).toBe(ref("aws_api_gateway_deployment.api", "id"));
    expect(stage.stage_name).toBe("v1");
  });

  test("writes JSON access logs with client id, API key id, route, status and latency to a retained log group", () => {
    const stage = resourcesOf(tf, "aws_api_gateway_stage").api;
    expect(stage.access_log_settings.destination_arn).toBe(ref("aws_cloudwatch_log_group.access-log", "arn"));
    const format = JSON.parse(stage.access_log_settings.format);
    expect(format).toMatchObject({
      clientId: "$context.authorizer.principalId",
      apiKeyId: "$context.identity.apiKeyId",
      route: "$context.httpMethod $context.resourcePath",
      status: "$context.status",
      latencyMs: "$context.responseLatency",
    });
    expect(stage.access_log_settings.format).toBe(ACCESS_LOG_FORMAT);
    const retention = registry.environments[env as keyof typeof registry.environments].protected ? 400 : 30;
    expect(resourcesOf(tf, "aws_cloudwatch_log_group")["access-log"].retention_in_days).toBe(retention);
  });

  test("outputs the token URL, API URL and secret ARNs, never a secret value", () => {
    expect(Object.keys(tf.output ?? {}).sort()).toEqual([
      "api_url",
      "client_credentials_secret_arns",
      "token_url",
      "user_pool_id",
    ]);
    expect(tf.output!.client_credentials_secret_arns.value).toEqual(
      Object.fromEntries(clients.map((c) => [c.key, ref(`aws_secretsmanager_secret.${c.key}`, "arn")])),
    );
    expect(JSON.stringify(tf.output)).not.toMatch(/client_secret\b|secret_string/);
  });
});

describe("user pool protection", () => {
  test("GIVEN the protected prod environment THEN the pool has deletion protection and prevent_destroy", () => {
    const { json, tf } = synthEnvironment(registry, "prod");
    expect(json).toHaveResourceWithProperties(CognitoUserPool, {
      deletion_protection: "ACTIVE",
      lifecycle: { prevent_destroy: true },
    });
    expect(resourcesOf(tf, "aws_cognito_user_pool").pool.admin_create_user_config).toEqual({
      allow_admin_create_user_only: true,
    });
  });

  test("GIVEN the unprotected dev environment THEN the pool can be deleted", () => {
    const pool = resourcesOf(synthEnvironment(registry, "dev").tf, "aws_cognito_user_pool").pool;
    expect(pool.deletion_protection).toBe("INACTIVE");
    expect(pool.lifecycle).toEqual({ prevent_destroy: false });
  });

  test("GIVEN prod THEN deleted secrets stay recoverable for 30 days; in dev they go at once", () => {
    expect(
      resourcesOf(synthEnvironment(registry, "prod").tf, "aws_secretsmanager_secret")["acme-billing"]
        .recovery_window_in_days,
    ).toBe(30);
    expect(
      resourcesOf(synthEnvironment(registry, "dev").tf, "aws_secretsmanager_secret")["acme-billing"]
        .recovery_window_in_days,
    ).toBe(0);
  });
});

describe("the Lambda functions", () => {
  const { tf } = synthEnvironment(registry, "dev");
  const functions = resourcesOf(tf, "aws_lambda_function");

  test("ships the authorizer with the pool id and the route table, nothing per client", () => {
    const variables = functions.authorizer.environment.variables;
    expect(Object.keys(variables).sort()).toEqual(["ROUTE_TABLE", "USER_POOL_ID"]);
    expect(variables.USER_POOL_ID).toBe(ref("aws_cognito_user_pool.pool", "id"));
    const table = JSON.parse(variables.ROUTE_TABLE);
    expect(table).toHaveLength(registry.routes.length);
    expect(table).toContainEqual({
      method: "POST",
      path: "/inventory/items/{sku}/reservations",
      scopes: ["inventory/read", "inventory/reserve"],
    });
    expect(JSON.stringify(variables)).not.toMatch(/acme-billing/);
  });

  test("bundles each function into an asset zip with its hash", () => {
    for (const name of ["authorizer", "whoami"]) {
      expect(functions[name].filename).toMatch(/^assets\/.+\/archive\.zip$/);
      expect(functions[name].source_code_hash).toBe(`\${filebase64sha256("${functions[name].filename}")}`);
      expect(functions[name].handler).toBe("index.handler");
      expect(functions[name].runtime).toBe("nodejs22.x");
    }
  });

  test("lets each function write to its own log group and do nothing else", () => {
    const documents = tf.data!.aws_iam_policy_document;
    for (const name of ["authorizer", "whoami"]) {
      expect(documents[`${name}-write-logs`].statement).toEqual([
        {
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: [`${ref(`aws_cloudwatch_log_group.${name}-function`, "arn")}:*`],
        },
      ]);
      expect(resourcesOf(tf, "aws_iam_role_policy")[`${name}-write-logs`].role).toBe(ref(`aws_iam_role.${name}`, "id"));
      expect(resourcesOf(tf, "aws_iam_role_policy_attachment")[name]).toBeUndefined();
    }
  });

  test("lets API Gateway invoke the authorizer only through this API's authorizer", () => {
    const permission = resourcesOf(tf, "aws_lambda_permission").authorizer;
    expect(permission).toMatchObject({
      action: "lambda:InvokeFunction",
      function_name: ref("aws_lambda_function.authorizer", "function_name"),
      principal: "apigateway.amazonaws.com",
      source_arn: `${ref("aws_api_gateway_rest_api.api", "execution_arn")}/authorizers/${ref("aws_api_gateway_authorizer.access-token", "id")}`,
    });
  });

  test("wires GET /whoami to the whoami function through a Lambda proxy integration", () => {
    const integration = resourcesOf(tf, "aws_api_gateway_integration")["GET__whoami"];
    expect(integration).toMatchObject({
      type: "AWS_PROXY",
      integration_http_method: "POST",
      uri: ref("aws_lambda_function.whoami", "invoke_arn"),
    });
  });

  test("configures a TOKEN authorizer on the Authorization header with the default 300 s cache", () => {
    expect(resourcesOf(tf, "aws_api_gateway_authorizer")["access-token"]).toMatchObject({
      type: "TOKEN",
      identity_source: "method.request.header.Authorization",
      authorizer_result_ttl_in_seconds: 300,
      authorizer_uri: ref("aws_lambda_function.authorizer", "invoke_arn"),
    });
  });

  test("GIVEN authorizerCacheTtlSeconds 0 THEN API Gateway caches no answer and calls the authorizer on every request", () => {
    const uncached = structuredClone(registry) as any;
    uncached.environments.dev.authorizerCacheTtlSeconds = 0;
    const authorizer = resourcesOf(synthEnvironment(uncached, "dev").tf, "aws_api_gateway_authorizer")["access-token"];
    expect(authorizer.authorizer_result_ttl_in_seconds).toBe(0);
  });
});

describe("routes", () => {
  const { tf } = synthEnvironment(registry, "staging");

  test("builds nested resources with {param} segments under their parents", () => {
    const resources = resourcesOf(tf, "aws_api_gateway_resource");
    expect(resources["orders___orderId_"]).toEqual({
      parent_id: ref("aws_api_gateway_resource.orders", "id"),
      path_part: "{orderId}",
      rest_api_id: ref("aws_api_gateway_rest_api.api", "id"),
    });
    expect(resources.orders.parent_id).toBe(ref("aws_api_gateway_rest_api.api", "root_resource_id"));
    expect(Object.keys(resources).sort()).toEqual([
      "inventory",
      "inventory__items",
      "inventory__items___sku_",
      "inventory__items___sku___reservations",
      "orders",
      "orders___orderId_",
      "whoami",
    ]);
  });

  test("proxies HTTP routes to the environment's upstream and passes path parameters through", () => {
    const integration = resourcesOf(tf, "aws_api_gateway_integration")["GET__orders___orderId_"];
    expect(integration).toMatchObject({
      type: "HTTP_PROXY",
      integration_http_method: "GET",
      uri: "https://orders.staging.example.com/orders/{orderId}",
      request_parameters: { "integration.request.path.orderId": "method.request.path.orderId" },
    });
    expect(resourcesOf(tf, "aws_api_gateway_method")["GET__orders___orderId_"].request_parameters).toEqual({
      "method.request.path.orderId": true,
    });
  });

  test("answers mock routes with their configured status and body", () => {
    const response = resourcesOf(tf, "aws_api_gateway_integration_response")[
      "POST__inventory__items___sku___reservations"
    ];
    expect(response.status_code).toBe("201");
    expect(response.response_templates).toEqual({ "application/json": '{"reserved":true}' });
    expect(resourcesOf(tf, "aws_api_gateway_integration")["POST__inventory__items___sku___reservations"].type).toBe(
      "MOCK",
    );
  });
});

describe("the deployment trigger", () => {
  const trigger = (r: typeof registry) =>
    resourcesOf(synthEnvironment(r, "dev").tf, "aws_api_gateway_deployment").api.triggers.redeployment;

  test("stays the same when a client is added, so partners never cause a redeployment", () => {
    const more = {
      ...registry,
      clients: [...registry.clients, { ...registry.clients[0], key: "new-partner" }],
    };
    expect(trigger(more)).toBe(trigger(registry));
  });

  test("changes when a route's upstream changes", () => {
    const routes = registry.routes.map((r) =>
      r.path === "/orders" && r.method === "GET"
        ? {
            ...r,
            integration: {
              type: "http-proxy" as const,
              url: { dev: "https://v2.example.com/orders", staging: "https://s", prod: "https://p" },
            },
          }
        : r,
    );
    expect(trigger({ ...registry, routes })).not.toBe(trigger(registry));
  });
});

describe("the app clients", () => {
  test("match the cdktf matcher for a client_credentials-only client", () => {
    const { json } = synthEnvironment(registry, "prod");
    expect(json).toHaveResourceWithProperties(CognitoUserPoolClient, {
      name: "warehouse-bot",
      access_token_validity: 15,
      allowed_oauth_flows: ["client_credentials"],
    });
  });
});
