import { ApiGatewayAuthorizer } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { ApiGatewayResource } from "@cdktf/provider-aws/lib/api-gateway-resource";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { terraformText, terraformTextMap } from "../model/terraform-text";
import { createHash } from "node:crypto";
import type { IntegrationConfig, RouteConfig, RouteFunctionName } from "../config/schema";
import { SERVICE_PRINCIPALS, pathAddress, routeAddress } from "../model/names";
import { arnPathOf, pathParameters } from "../model/routes";

/**
 * Only well-formed bearer tokens reach the authorizer; API Gateway answers anything else with a 401
 * itself, so garbage costs no Lambda invocation. The dots are `[.]` rather than `\.` because
 * `cdktf synth --hcl` writes backslashes unescaped, which Terraform rejects as an invalid escape.
 */
export const AUTHORIZATION_HEADER_PATTERN =
  "^[Bb][Ee][Aa][Rr][Ee][Rr] [A-Za-z0-9_-]+[.][A-Za-z0-9_-]+[.][A-Za-z0-9_-]+$";

/**
 * One JSON line per request. `principalId` is the client id the authorizer verified; `apiKeyId` is the
 * usage-plan key API Gateway charged.
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  clientId: "$context.authorizer.principalId",
  apiKeyId: "$context.identity.apiKeyId",
  route: "$context.httpMethod $context.resourcePath",
  path: "$context.path",
  status: "$context.status",
  latencyMs: "$context.responseLatency",
  integrationLatencyMs: "$context.integrationLatency",
  authorizerStatus: "$context.authorizer.status",
  authorizerError: "$context.authorizer.error",
  sourceIp: "$context.identity.sourceIp",
});

/** Props of {@link MachineApi}. */
export interface MachineApiProps {
  /** Name of the REST API in AWS. */
  readonly apiName: string;
  /** Environment whose upstream URLs the HTTP integrations use. */
  readonly environmentName: string;
  /** Stage name, the first path segment of every URL. */
  readonly stageName: string;
  /** Name of the stage's access-log group (`awsNames.accessLogGroup`). */
  readonly accessLogGroupName: string;
  /** Routes of the API. */
  readonly routes: readonly RouteConfig<string, string>[];
  /** The TOKEN authorizer function. */
  readonly authorizer: LambdaFunction;
  /** Seconds API Gateway caches an authorizer answer per token (0 turns the cache off). */
  readonly authorizerCacheTtlSeconds: number;
  /** Functions that routes with a `lambda` integration invoke, by name. */
  readonly functions: Readonly<Record<RouteFunctionName, LambdaFunction>>;
  /** Retention of the access-log group, in days. */
  readonly logRetentionDays: number;
  /**
   * Resources the stage must wait for, such as the account's CloudWatch role for API Gateway.
   * @default - none
   */
  readonly stageDependsOn?: ITerraformDependable[];
  /**
   * Tags of the API, stage and log group.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A regional REST API whose every method demands the token authorizer and an API key, with a
 * deployment that follows route changes and a stage that writes JSON access logs.
 *
 * The API key is never sent by callers: `apiKeySource = AUTHORIZER` makes API Gateway take it from
 * the authorizer's `usageIdentifierKey`, the verified client id.
 */
export class MachineApi extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly tokenAuthorizer: ApiGatewayAuthorizer;
  /** `https://<api>.execute-api.<region>.amazonaws.com/<stage>` */
  readonly baseUrl: string;

  private readonly resources = new Map<string, ApiGatewayResource>();
  private readonly props: MachineApiProps;

  constructor(scope: Construct, id: string, props: MachineApiProps) {
    super(scope, id);
    this.props = props;
    const tags = terraformTextMap(props.tags);

    this.restApi = new ApiGatewayRestApi(this, "rest-api", {
      name: terraformText(props.apiName),
      description: terraformText(`Machine-user API (${props.environmentName})`),
      apiKeySource: "AUTHORIZER",
      endpointConfiguration: { types: ["REGIONAL"] },
      tags,
    });
    this.restApi.overrideLogicalId("api");

    this.tokenAuthorizer = new ApiGatewayAuthorizer(this, "authorizer", {
      name: "cognito-access-token",
      restApiId: this.restApi.id,
      type: "TOKEN",
      authorizerUri: props.authorizer.invokeArn,
      identitySource: "method.request.header.Authorization",
      identityValidationExpression: AUTHORIZATION_HEADER_PATTERN,
      authorizerResultTtlInSeconds: props.authorizerCacheTtlSeconds,
    });
    this.tokenAuthorizer.overrideLogicalId("access-token");

    const invokeAuthorizer = new LambdaPermission(this, "authorizer-permission", {
      statementId: "api-gateway-authorizer",
      action: "lambda:InvokeFunction",
      functionName: props.authorizer.functionName,
      principal: SERVICE_PRINCIPALS.apiGateway,
      sourceArn: `${this.restApi.executionArn}/authorizers/${this.tokenAuthorizer.id}`,
    });
    invokeAuthorizer.overrideLogicalId("authorizer");

    const deploymentInputs: ITerraformDependable[] = [];
    for (const route of props.routes) deploymentInputs.push(...this.addRoute(route));

    const deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.restApi.id,
      description: "Managed by m2m-access",
      // A deployment is a snapshot: without a trigger, changed routes would never reach the stage.
      triggers: { redeployment: this.deploymentFingerprint() },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: deploymentInputs,
    });
    deployment.overrideLogicalId("api");

    this.accessLogGroup = new CloudwatchLogGroup(this, "access-logs", {
      name: terraformText(props.accessLogGroupName),
      retentionInDays: props.logRetentionDays,
      tags,
    });
    this.accessLogGroup.overrideLogicalId("access-log");

    // A separate stage resource (never the deployment's stage_name), or usage plans detach on redeploy.
    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: this.restApi.id,
      deploymentId: deployment.id,
      stageName: terraformText(props.stageName),
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: ACCESS_LOG_FORMAT },
      tags,
      dependsOn: props.stageDependsOn,
    });
    this.stage.overrideLogicalId("api");

    this.baseUrl = this.stage.invokeUrl;
  }

  private resourceIdFor(path: string): string {
    if (path === "/") return this.restApi.rootResourceId;
    const existing = this.resources.get(path);
    if (existing) return existing.id;
    const cut = path.lastIndexOf("/");
    const parentPath = cut === 0 ? "/" : path.slice(0, cut);
    const resource = new ApiGatewayResource(this, `resource-${pathAddress(path)}`, {
      restApiId: this.restApi.id,
      parentId: this.resourceIdFor(parentPath),
      pathPart: path.slice(cut + 1),
    });
    resource.overrideLogicalId(pathAddress(path));
    this.resources.set(path, resource);
    return resource.id;
  }

  /** Adds one route; returns what the deployment must wait for. */
  private addRoute(route: RouteConfig<string, string>): ITerraformDependable[] {
    const address = routeAddress(route.method, route.path);
    const params = pathParameters(route.path);
    const method = new ApiGatewayMethod(this, `method-${address}`, {
      restApiId: this.restApi.id,
      resourceId: this.resourceIdFor(route.path),
      httpMethod: route.method,
      authorization: "CUSTOM",
      authorizerId: this.tokenAuthorizer.id,
      // Charged to the key the authorizer returns; a key sent in a header grants nothing.
      apiKeyRequired: true,
      requestParameters: Object.fromEntries(params.map((p) => [`method.request.path.${p}`, true])),
    });
    method.overrideLogicalId(address);

    const integration = this.addIntegration(route, address, method, params);
    return [method, ...integration];
  }

  private addIntegration(
    route: RouteConfig<string, string>,
    address: string,
    method: ApiGatewayMethod,
    params: readonly string[],
  ): ITerraformDependable[] {
    const base = {
      restApiId: this.restApi.id,
      resourceId: method.resourceId,
      httpMethod: method.httpMethod,
    };
    const spec = route.integration;
    switch (spec.type) {
      case "http-proxy": {
        const integration = new ApiGatewayIntegration(this, `integration-${address}`, {
          ...base,
          type: "HTTP_PROXY",
          integrationHttpMethod: route.method,
          uri: terraformText(upstreamUrl(spec, this.props.environmentName)),
          requestParameters: Object.fromEntries(
            params.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`]),
          ),
        });
        integration.overrideLogicalId(address);
        return [integration];
      }
      case "lambda": {
        const fn = this.props.functions[spec.function];
        const integration = new ApiGatewayIntegration(this, `integration-${address}`, {
          ...base,
          type: "AWS_PROXY",
          integrationHttpMethod: "POST",
          uri: fn.invokeArn,
        });
        integration.overrideLogicalId(address);
        const permission = new LambdaPermission(this, `permission-${address}`, {
          statementId: `api-gateway-${address}`,
          action: "lambda:InvokeFunction",
          functionName: fn.functionName,
          principal: SERVICE_PRINCIPALS.apiGateway,
          sourceArn: `${this.restApi.executionArn}/*/${route.method}/${arnPathOf(route.path)}`,
        });
        permission.overrideLogicalId(address);
        return [integration];
      }
      case "mock": {
        const statusCode = String(spec.statusCode ?? 200);
        const integration = new ApiGatewayIntegration(this, `integration-${address}`, {
          ...base,
          type: "MOCK",
          requestTemplates: { "application/json": JSON.stringify({ statusCode: Number(statusCode) }) },
        });
        integration.overrideLogicalId(address);
        const methodResponse = new ApiGatewayMethodResponse(this, `method-response-${address}`, {
          ...base,
          statusCode,
          responseModels: { "application/json": "Empty" },
        });
        methodResponse.overrideLogicalId(address);
        const integrationResponse = new ApiGatewayIntegrationResponse(this, `integration-response-${address}`, {
          ...base,
          statusCode,
          responseTemplates: { "application/json": terraformText(spec.body ?? "{}") },
          dependsOn: [integration, methodResponse],
        });
        integrationResponse.overrideLogicalId(address);
        return [integration, methodResponse, integrationResponse];
      }
    }
  }

  /** Changes whenever anything a deployment snapshots changes. */
  private deploymentFingerprint(): string {
    const snapshot = {
      authorizer: {
        ttl: this.props.authorizerCacheTtlSeconds,
        pattern: AUTHORIZATION_HEADER_PATTERN,
      },
      routes: this.props.routes
        .map((r) => ({
          method: r.method,
          path: r.path,
          integration: integrationSnapshot(r.integration, this.props.environmentName),
        }))
        .sort((a, b) => routeAddress(a.method, a.path).localeCompare(routeAddress(b.method, b.path))),
    };
    return createHash("sha256").update(JSON.stringify(snapshot)).digest("hex");
  }
}

function upstreamUrl(spec: Extract<IntegrationConfig<string>, { type: "http-proxy" }>, environment: string): string {
  const url = (spec.url as Record<string, string>)[environment];
  if (!url) throw new Error(`No upstream URL for environment ${JSON.stringify(environment)}`);
  return url;
}

function integrationSnapshot(spec: IntegrationConfig<string>, environment: string): unknown {
  switch (spec.type) {
    case "http-proxy":
      return { type: spec.type, url: upstreamUrl(spec, environment) };
    case "lambda":
      return { type: spec.type, function: spec.function };
    case "mock":
      return { type: spec.type, statusCode: spec.statusCode ?? 200, body: spec.body ?? "{}" };
  }
}
