/**
 * Every name derived from config keys, built once: the Terraform addresses of the stacks, the AWS
 * names of what they create (which the operator commands look resources up by), the tag keys, and
 * where local state lives.
 *
 * Terraform addresses are a public API: a changed address means Terraform destroys and recreates
 * the resource, which for an app client is a new client id and secret for a partner.
 * `__tests__/addresses.test.ts` pins them.
 */
import { AWS_NAME_LIMITS, type AwsNameKind } from "./aws-limits";

// ---------------------------------------------------------------------------------------------------
// Tags

/** Tag keys the stacks put on what they create. */
export const TAG_KEYS = {
  project: "m2m:project",
  environment: "m2m:environment",
  client: "m2m:client",
  owner: "m2m:owner",
  tier: "m2m:tier",
  managedBy: "managed-by",
} as const;

/** Value of the `managed-by` tag on every resource (the KMS permissions in the docs rely on it). */
export const MANAGED_BY = "m2m-access";

/** The AWS services the stack lets assume a role or invoke a function. */
export const SERVICE_PRINCIPALS = {
  apiGateway: "apigateway.amazonaws.com",
  lambda: "lambda.amazonaws.com",
} as const;

// ---------------------------------------------------------------------------------------------------
// AWS names

/** The part every AWS name of an environment starts with: `<project>-<env>`. */
export function environmentPrefix(project: string, environment: string): string {
  return `${project}-${environment}`;
}

/** Lambda handlers in `functions/` the stacks deploy. */
export type FunctionName = "authorizer" | "whoami";

/** AWS names of one environment's shared resources. */
export const awsNames = {
  /** Cognito user pool: `<project>-<env>`. */
  userPool: (project: string, environment: string) => environmentPrefix(project, environment),
  /** REST API: `<project>-<env>`. */
  restApi: (project: string, environment: string) => environmentPrefix(project, environment),
  /** Lambda function (and its role): `<project>-<env>-<function>`. */
  lambdaFunction: (project: string, environment: string, fn: FunctionName) =>
    `${environmentPrefix(project, environment)}-${fn}`,
  /** The function's log group, created by the stack so it has a retention. */
  lambdaLogGroup: (functionName: string) => `/aws/lambda/${functionName}`,
  /** The stage's access log group. */
  accessLogGroup: (project: string, environment: string, stageName: string) =>
    `/aws/apigateway/${environmentPrefix(project, environment)}/${stageName}/access`,
  /** The IAM role API Gateway writes CloudWatch logs with. */
  apiGatewayLoggingRole: (project: string, environment: string) =>
    `${environmentPrefix(project, environment)}-api-gateway-logging`,
  /** Usage plan of a tier: `<project>-<env>-<tier>`. */
  usagePlan: (project: string, environment: string, tier: string) =>
    `${environmentPrefix(project, environment)}-${tier}`,
  /** A client's credentials secret: `<project>/<env>/clients/<key>`. */
  credentialsSecret: (project: string, environment: string, clientKey: string) =>
    `${project}/${environment}/clients/${clientKey}`,
  /** A client's API key: the secret's name with `/` as `-`. */
  apiKey: (project: string, environment: string, clientKey: string) =>
    awsNames.credentialsSecret(project, environment, clientKey).replace(/\//g, "-"),
  /** A client's Cognito app client: the client key itself. */
  appClient: (clientKey: string) => clientKey,
  /** The KMS alias of a client's consumer key: `alias/<secret name>`. */
  kmsAlias: (project: string, environment: string, clientKey: string) =>
    `alias/${awsNames.credentialsSecret(project, environment, clientKey)}`,
} as const;

/** The hosted-domain token endpoint of a Cognito user pool. */
export function tokenUrl(domainPrefix: string, region: string): string {
  return `https://${domainPrefix}.auth.${region}.amazoncognito.com/oauth2/token`;
}

/** One AWS name a registry entry gives rise to, with the limit AWS puts on it. */
export interface DerivedName {
  readonly kind: AwsNameKind;
  readonly name: string;
  readonly limit: number;
}

function derived(kind: AwsNameKind, name: string): DerivedName {
  return { kind, name, limit: AWS_NAME_LIMITS[kind].maxLength };
}

/** Every AWS name built from the project and one environment (and its stage and tiers). */
export function environmentDerivedNames(
  project: string,
  environment: string,
  stageName: string,
  tiers: readonly string[],
): DerivedName[] {
  const functions = (["authorizer", "whoami"] as const).map((fn) => awsNames.lambdaFunction(project, environment, fn));
  return [
    derived("userPool", awsNames.userPool(project, environment)),
    derived("restApi", awsNames.restApi(project, environment)),
    ...functions.map((name) => derived("lambdaFunction", name)),
    ...functions.map((name) => derived("iamRole", name)),
    ...functions.map((name) => derived("logGroup", awsNames.lambdaLogGroup(name))),
    derived("logGroup", awsNames.accessLogGroup(project, environment, stageName)),
    derived("iamRole", awsNames.apiGatewayLoggingRole(project, environment)),
    ...tiers.map((tier) => derived("usagePlan", awsNames.usagePlan(project, environment, tier))),
  ];
}

/** Every AWS name built from the project, one environment and one client key. */
export function clientDerivedNames(project: string, environment: string, clientKey: string): DerivedName[] {
  return [
    derived("appClient", awsNames.appClient(clientKey)),
    derived("secret", awsNames.credentialsSecret(project, environment, clientKey)),
    derived("apiKey", awsNames.apiKey(project, environment, clientKey)),
    derived("kmsAlias", awsNames.kmsAlias(project, environment, clientKey)),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Terraform addresses

/**
 * The Terraform resource name of a route's path (`/orders/{orderId}` → `orders___orderId_`), unique
 * per path because `/` and `{…}` map to distinct separators.
 */
export function pathAddress(path: string): string {
  const segments = path.split("/").filter((s) => s.length > 0);
  if (segments.length === 0) return "root";
  return segments.map((segment) => segment.replace(/^\{(.+)\}$/, "_$1_").replace(/\./g, "-dot-")).join("__");
}

/** The Terraform resource name of a route (`GET /orders/{orderId}` → `GET__orders___orderId_`). */
export function routeAddress(method: string, path: string): string {
  return `${method}__${pathAddress(path)}`;
}

/** The usage-plan throttle path API Gateway expects for one route: `/orders/{orderId}/GET`. */
export function throttlePath(method: string, path: string): string {
  return `${path}/${method}`;
}

// ---------------------------------------------------------------------------------------------------
// Local state

/**
 * Folder of the local backend's state files, beside the synth output folder (the repository root for
 * `cdktf.out`): `rm -rf cdktf.out` must never delete an environment's state. Gitignored.
 */
export const LOCAL_STATE_FOLDER = "terraform-state";

/**
 * The local backend's `path` for an environment, relative to its stack folder
 * (`<outdir>/stacks/<env>`, where Terraform runs): `../../../terraform-state/<env>.tfstate`. Relative, so
 * the synthesized JSON is the same on every machine.
 */
export function localStatePath(environmentName: string): string {
  return `../../../${LOCAL_STATE_FOLDER}/${environmentName}.tfstate`;
}

/** Where the local backend kept an environment's state before it moved out of the build output. */
export function legacyLocalStateFile(environmentName: string): string {
  return `terraform.${environmentName}.tfstate`;
}
