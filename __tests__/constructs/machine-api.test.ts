/**
 * `MachineApi` alone in a bare stack, given stand-in functions: the REST API, a resource per path
 * segment, a method per route behind the token authorizer and the API key, an integration per type,
 * and the stage that serves the deployment.
 */
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { TerraformStack } from "cdktf";
import { AUTHORIZATION_HEADER_PATTERN, MachineApi, type MachineApiProps } from "../../stacks/machine-api";
import { mockRoute, proxyRoute, whoamiRoute } from "../fixtures/building-blocks";
import { ref, resourcesOf, synthConstruct } from "../support/synth";

const ROUTES: MachineApiProps["routes"] = [
  whoamiRoute,
  proxyRoute("GET", "/orders/{orderId}", ["orders/read"], { dev: "https://orders.dev.example.com/orders/{orderId}" }),
  mockRoute("POST", "/orders", ["orders/write"], { statusCode: 201, body: '{"ok":true}' }),
];

/** A Lambda function with nothing behind it: the API only needs its ARNs and name. */
function standIn(stack: TerraformStack, name: string): LambdaFunction {
  const fn = new LambdaFunction(stack, name, {
    functionName: `m2m-dev-${name}`,
    role: "arn:aws:iam::123456789012:role/stand-in",
    filename: "stand-in.zip",
    handler: "index.handler",
    runtime: "nodejs22.x",
  });
  fn.overrideLogicalId(name);
  return fn;
}

function synthApi(routes: MachineApiProps["routes"]) {
  return synthConstruct(
    (stack) =>
      new MachineApi(stack, "api", {
        apiName: "m2m-dev",
        environmentName: "dev",
        stageName: "v1",
        accessLogGroupName: "/aws/apigateway/m2m-dev",
        routes,
        authorizer: standIn(stack, "authorizer"),
        authorizerCacheTtlSeconds: 300,
        functions: { whoami: standIn(stack, "whoami") },
        logRetentionDays: 30,
      }),
  );
}

describe("MachineApi", () => {
  // GIVEN one route per integration type WHEN the API is constructed
  const { tf } = synthApi(ROUTES);
  const api = (attribute: string) => ref("aws_api_gateway_rest_api.api", attribute);

  test("THEN each path segment is one resource under its parent, the root being the API's own", () => {
    expect(resourcesOf(tf, "aws_api_gateway_resource")).toEqual({
      whoami: { rest_api_id: api("id"), parent_id: api("root_resource_id"), path_part: "whoami" },
      orders: { rest_api_id: api("id"), parent_id: api("root_resource_id"), path_part: "orders" },
      orders___orderId_: {
        rest_api_id: api("id"),
        parent_id: ref("aws_api_gateway_resource.orders", "id"),
        path_part: "{orderId}",
      },
    });
  });

  test("THEN every method needs the token authorizer and an API key, and declares its path parameters", () => {
    const methods = resourcesOf(tf, "aws_api_gateway_method");
    expect(Object.keys(methods).sort()).toEqual(["GET__orders___orderId_", "GET__whoami", "POST__orders"]);
    for (const method of Object.values(methods)) {
      expect(method).toMatchObject({
        authorization: "CUSTOM",
        authorizer_id: ref("aws_api_gateway_authorizer.access-token", "id"),
        api_key_required: true,
      });
    }
    expect(methods.GET__orders___orderId_.request_parameters).toEqual({ "method.request.path.orderId": true });
  });

  test("THEN the authorizer reads the Authorization header of bearer-token shape only, cached for the TTL given", () => {
    expect(tf.resource.aws_api_gateway_authorizer["access-token"]).toEqual({
      name: "cognito-access-token",
      rest_api_id: api("id"),
      type: "TOKEN",
      authorizer_uri: ref("aws_lambda_function.authorizer", "invoke_arn"),
      identity_source: "method.request.header.Authorization",
      identity_validation_expression: AUTHORIZATION_HEADER_PATTERN,
      authorizer_result_ttl_in_seconds: 300,
    });
  });

  test("THEN API Gateway may invoke the authorizer for this API's authorizer, and the whoami function for its route only", () => {
    const permissions = resourcesOf(tf, "aws_lambda_permission");
    expect(permissions.authorizer.source_arn).toBe(
      `${api("execution_arn")}/authorizers/${ref("aws_api_gateway_authorizer.access-token", "id")}`,
    );
    expect(permissions.GET__whoami).toEqual({
      statement_id: "api-gateway-GET__whoami",
      action: "lambda:InvokeFunction",
      function_name: ref("aws_lambda_function.whoami", "function_name"),
      principal: "apigateway.amazonaws.com",
      source_arn: `${api("execution_arn")}/*/GET/whoami`,
    });
  });

  test("THEN the proxy passes path parameters through to this environment's upstream URL", () => {
    expect(tf.resource.aws_api_gateway_integration.GET__orders___orderId_).toMatchObject({
      type: "HTTP_PROXY",
      integration_http_method: "GET",
      uri: "https://orders.dev.example.com/orders/{orderId}",
      request_parameters: { "integration.request.path.orderId": "method.request.path.orderId" },
    });
  });

  test("THEN the mock answers its status code and body", () => {
    expect(tf.resource.aws_api_gateway_integration.POST__orders.request_templates).toEqual({
      "application/json": '{"statusCode":201}',
    });
    expect(tf.resource.aws_api_gateway_integration_response.POST__orders).toMatchObject({
      status_code: "201",
      response_templates: { "application/json": '{"ok":true}' },
    });
  });

  test("THEN the stage serves the deployment and logs each request to its own log group", () => {
    expect(tf.resource.aws_api_gateway_stage.api).toMatchObject({
      rest_api_id: api("id"),
      deployment_id: ref("aws_api_gateway_deployment.api", "id"),
      stage_name: "v1",
      access_log_settings: { destination_arn: ref("aws_cloudwatch_log_group.access-log", "arn") },
    });
    expect(tf.resource.aws_cloudwatch_log_group["access-log"]).toEqual({
      name: "/aws/apigateway/m2m-dev",
      retention_in_days: 30,
    });
  });

  test("GIVEN the routes in another order WHEN constructed THEN the deployment's trigger is the same; GIVEN another route THEN it differs", () => {
    const trigger = (routes: MachineApiProps["routes"]) =>
      synthApi(routes).tf.resource.aws_api_gateway_deployment.api.triggers.redeployment;
    const original = tf.resource.aws_api_gateway_deployment.api.triggers.redeployment;
    expect(trigger([...ROUTES].reverse())).toBe(original);
    expect(trigger([...ROUTES, mockRoute("DELETE", "/orders/{orderId}", ["orders/write"])])).not.toBe(original);
    expect(tf.resource.aws_api_gateway_deployment.api.lifecycle).toEqual({ create_before_destroy: true });
  });
});
