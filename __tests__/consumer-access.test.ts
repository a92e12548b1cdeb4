/**
 * Consumer principals read exactly their own client's secret: every policy in the stack is parsed
 * into grants (who may do what on what, under which conditions), and the whole list must equal the
 * expected one, so a grant to anyone else, anywhere, fails the test.
 */
import type { Registry } from "../config/schema";
import { type TerraformJson, ref, resourcesOf, synthEnvironment, withClients } from "./support/synth";
import { minimalRegistry } from "./fixtures/minimal-registry";

/** One permission somewhere in the stack. */
interface Grant {
  /** The attribute that carries it: `aws_kms_key.acme-billing.policy`. */
  readonly on: string;
  /** `AWS:<arn>`, `Service:<name>` or `role:<address>` for an identity policy. */
  readonly principal: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly conditions: readonly string[];
}

const DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/;
const ROLE_REFERENCE = /^\$\{(aws_iam_role\.[^.]+)\.(id|name)\}$/;

/** Every grant of the stack, sorted; throws on a policy it cannot read (an inline JSON string, say). */
function grantsOf(tf: TerraformJson): Grant[] {
  const documents = tf.data?.aws_iam_policy_document ?? {};
  const grants: Grant[] = [];
  for (const [type, byName] of Object.entries(tf.resource)) {
    for (const [name, body] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      for (const [attribute, value] of Object.entries(body)) {
        // Policies are JSON strings; `block_public_policy` and the like are switches.
        if (!/(^|_)policy$/.test(attribute) || typeof value === "boolean") continue;
        const match = typeof value === "string" ? DOCUMENT_REFERENCE.exec(value) : null;
        if (!match)
          throw new Error(`${address}.${attribute} is not a reference to a policy document: ${JSON.stringify(value)}`);
        const identityOf = type === "aws_iam_role_policy" ? `role:${ROLE_REFERENCE.exec(body.role)?.[1]}` : undefined;
        for (const statement of documents[match[1]].statement as any[]) {
          if ((statement.effect ?? "Allow") !== "Allow") continue;
          const principals: string[] = statement.principals
            ? statement.principals.flatMap((p: any) => p.identifiers.map((id: string) => `${p.type}:${id}`))
            : [identityOf ?? `unattached:${address}`];
          for (const principal of principals) {
            grants.push({
              on: `${address}.${attribute}`,
              principal,
              actions: [...statement.actions].sort(),
              resources: statement.resources ?? [],
              conditions: (statement.condition ?? []).map((c: any) => `${c.test} ${c.variable} ${c.values.join(" ")}`),
            });
          }
        }
      }
      if (type === "aws_lambda_permission") {
        grants.push({
          on: address,
          principal: `Service:${body.principal}`,
          actions: [body.action],
          resources: [body.function_name],
          conditions: [`source_arn ${body.source_arn ?? "any"}`],
        });
      }
      if (type === "aws_iam_role_policy_attachment") {
        grants.push({
          on: address,
          principal: `role:${ROLE_REFERENCE.exec(body.role)?.[1]}`,
          actions: [`managed policy ${body.policy_arn}`],
          resources: [],
          conditions: [],
        });
      }
    }
  }
  const order = (g: Grant) => `${g.on} ${g.principal} ${g.actions.join(",")}`;
  return grants.sort((a, b) => order(a).localeCompare(order(b)));
}

const ACCOUNT_ROOT =
  "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root";
const GLOBEX_ROLE = "arn:aws:iam::210987654321:role/globex-orders";

/** dev: acme-billing read by account 111111111111, globex-orders by its role, hooli-batch by no one. */
function registryWithConsumers(): Registry {
  const registry: any = structuredClone(minimalRegistry);
  registry.clients[0].consumerPrincipals = ["111111111111"];
  registry.clients.push({
    ...registry.clients[0],
    key: "hooli-batch",
    consumerPrincipals: undefined,
    environments: ["dev"],
  });
  return registry;
}

function consumerGrants(client: string, principal: string): Grant[] {
  const secretArn = `arn:\${data.aws_partition.current.partition}:secretsmanager:eu-west-1:\${data.aws_caller_identity.current.account_id}:secret:m2m/dev/clients/${client}-??????`;
  return [
    {
      on: `aws_kms_key.${client}.policy`,
      principal: `AWS:${ACCOUNT_ROOT}`,
      actions: ["kms:*"],
      resources: ["*"],
      conditions: [],
    },
    {
      on: `aws_kms_key.${client}.policy`,
      principal: `AWS:${principal}`,
      actions: ["kms:Decrypt"],
      resources: ["*"],
      conditions: [
        "StringEquals kms:ViaService secretsmanager.eu-west-1.amazonaws.com",
        `StringLike kms:EncryptionContext:SecretARN ${secretArn}`,
      ],
    },
    {
      on: `aws_secretsmanager_secret_policy.${client}.policy`,
      principal: `AWS:${principal}`,
      actions: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
      resources: [ref(`aws_secretsmanager_secret.${client}`, "arn")],
      conditions: [],
    },
  ];
}

describe("GIVEN two clients with consumers and one without, in dev", () => {
  const { tf } = synthEnvironment(registryWithConsumers(), "dev");
  const grants = grantsOf(tf);

  test("THEN the stack grants exactly these permissions, to exactly these principals", () => {
    const functionGrants = (name: string): Grant[] => [
      {
        on: `aws_iam_role.${name}.assume_role_policy`,
        principal: "Service:lambda.amazonaws.com",
        actions: ["sts:AssumeRole"],
        resources: [],
        conditions: [],
      },
      {
        on: `aws_iam_role_policy.${name}-write-logs.policy`,
        principal: `role:aws_iam_role.${name}`,
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${ref(`aws_cloudwatch_log_group.${name}-function`, "arn")}:*`],
        conditions: [],
      },
    ];
    const expected: Grant[] = [
      {
        on: "aws_iam_role.api-gateway-logging.assume_role_policy",
        principal: "Service:apigateway.amazonaws.com",
        actions: ["sts:AssumeRole"],
        resources: [],
        conditions: [],
      },
      {
        on: "aws_iam_role_policy_attachment.api-gateway-logging",
        principal: "role:aws_iam_role.api-gateway-logging",
        actions: ["managed policy arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"],
        resources: [],
        conditions: [],
      },
      ...functionGrants("authorizer"),
      ...functionGrants("whoami"),
      ...consumerGrants("acme-billing", "arn:aws:iam::111111111111:root"),
      ...consumerGrants("globex-orders", GLOBEX_ROLE),
      {
        on: "aws_lambda_permission.GET__whoami",
        principal: "Service:apigateway.amazonaws.com",
        actions: ["lambda:InvokeFunction"],
        resources: [ref("aws_lambda_function.whoami", "function_name")],
        conditions: [`source_arn ${ref("aws_api_gateway_rest_api.api", "execution_arn")}/*/GET/whoami`],
      },
      {
        on: "aws_lambda_permission.authorizer",
        principal: "Service:apigateway.amazonaws.com",
        actions: ["lambda:InvokeFunction"],
        resources: [ref("aws_lambda_function.authorizer", "function_name")],
        conditions: [
          `source_arn ${ref("aws_api_gateway_rest_api.api", "execution_arn")}/authorizers/${ref("aws_api_gateway_authorizer.access-token", "id")}`,
        ],
      },
    ];
    const order = (g: Grant) => `${g.on} ${g.principal} ${g.actions.join(",")}`;
    expect(grants).toEqual(expected.sort((a, b) => order(a).localeCompare(order(b))));
  });

  test("THEN the AWS principals are the account root and the two consumers, nothing else", () => {
    expect([...new Set(grants.filter((g) => g.principal.startsWith("AWS:")).map((g) => g.principal))].sort()).toEqual(
      [`AWS:${ACCOUNT_ROOT}`, "AWS:arn:aws:iam::111111111111:root", `AWS:${GLOBEX_ROLE}`].sort(),
    );
  });

  test("THEN a consumer's grants name only its own client's key and secret", () => {
    for (const [client, principal, other] of [
      ["acme-billing", "AWS:arn:aws:iam::111111111111:root", "globex-orders"],
      ["globex-orders", `AWS:${GLOBEX_ROLE}`, "acme-billing"],
    ]) {
      const own = grants.filter((g) => g.principal === principal);
      expect(own.map((g) => g.on).sort()).toEqual([
        `aws_kms_key.${client}.policy`,
        `aws_secretsmanager_secret_policy.${client}.policy`,
      ]);
      expect(JSON.stringify(own)).not.toContain(other);
      expect(JSON.stringify(own)).not.toContain("hooli-batch");
    }
  });

  test("THEN each secret with consumers is encrypted with its own key, and its policy is on that secret only", () => {
    const secrets = resourcesOf(tf, "aws_secretsmanager_secret");
    const policies = resourcesOf(tf, "aws_secretsmanager_secret_policy");
    for (const client of ["acme-billing", "globex-orders"]) {
      expect(secrets[client].kms_key_id).toBe(ref(`aws_kms_key.${client}`, "arn"));
      expect(policies[client]).toEqual({
        secret_arn: ref(`aws_secretsmanager_secret.${client}`, "arn"),
        policy: `\${data.aws_iam_policy_document.${client}-secret-policy.json}`,
        block_public_policy: true,
      });
    }
  });

  test("THEN the client without consumers has no key, alias or policy and keeps the AWS-managed key", () => {
    expect(Object.keys(resourcesOf(tf, "aws_kms_key")).sort()).toEqual(["acme-billing", "globex-orders"]);
    expect(Object.keys(resourcesOf(tf, "aws_kms_alias")).sort()).toEqual(["acme-billing", "globex-orders"]);
    expect(Object.keys(resourcesOf(tf, "aws_secretsmanager_secret_policy")).sort()).toEqual([
      "acme-billing",
      "globex-orders",
    ]);
    expect(resourcesOf(tf, "aws_secretsmanager_secret")["hooli-batch"].kms_key_id).toBeUndefined();
  });

  test("THEN each key rotates, waits 30 days before deletion, has the client's alias and carries its four tags", () => {
    expect(resourcesOf(tf, "aws_kms_key")["globex-orders"]).toEqual({
      description: "Encrypts the credentials secret m2m/dev/clients/globex-orders for its consumers",
      enable_key_rotation: true,
      deletion_window_in_days: 30,
      policy: "${data.aws_iam_policy_document.globex-orders-key-policy.json}",
      tags: {
        "m2m:client": "globex-orders",
        "m2m:owner": "team-partners",
        "m2m:environment": "dev",
        "m2m:tier": "premium",
      },
    });
    expect(resourcesOf(tf, "aws_kms_alias")["globex-orders"]).toEqual({
      name: "alias/m2m/dev/clients/globex-orders",
      target_key_id: ref("aws_kms_key.globex-orders", "key_id"),
    });
  });

  test("THEN the API key and secret of every client carry client, owner, environment and tier", () => {
    for (const type of ["aws_api_gateway_api_key", "aws_secretsmanager_secret"]) {
      expect(resourcesOf(tf, type)["hooli-batch"].tags).toEqual({
        "m2m:client": "hooli-batch",
        "m2m:owner": "partners@acme.example",
        "m2m:environment": "dev",
        "m2m:tier": "basic",
      });
    }
  });
});

test("GIVEN no client with consumers WHEN synthesized THEN the stack reads no account identity and has no key", () => {
  const registry = withClients(
    minimalRegistry,
    minimalRegistry.clients.map((c) => ({ ...c, consumerPrincipals: undefined })),
  );
  const { tf } = synthEnvironment(registry, "dev");
  expect(tf.data?.aws_caller_identity).toBeUndefined();
  expect(tf.data?.aws_partition).toBeUndefined();
  expect(tf.resource.aws_kms_key).toBeUndefined();
  expect(grantsOf(tf).filter((g) => g.principal.startsWith("AWS:"))).toEqual([]);
});

test("GIVEN consumers added to an existing client WHEN synthesized THEN its app client is untouched and its secret only gains kms_key_id", () => {
  const before = synthEnvironment(minimalRegistry, "dev").tf;
  const after = synthEnvironment(registryWithConsumers(), "dev").tf;
  expect(resourcesOf(after, "aws_cognito_user_pool_client")["acme-billing"]).toEqual(
    resourcesOf(before, "aws_cognito_user_pool_client")["acme-billing"],
  );
  // The provider updates kms_key_id in place (UpdateSecret); only `name` would replace the secret.
  expect(resourcesOf(after, "aws_secretsmanager_secret")["acme-billing"]).toEqual({
    ...resourcesOf(before, "aws_secretsmanager_secret")["acme-billing"],
    kms_key_id: ref("aws_kms_key.acme-billing", "arn"),
  });
  expect(resourcesOf(after, "aws_secretsmanager_secret_version")["acme-billing"]).toEqual(
    resourcesOf(before, "aws_secretsmanager_secret_version")["acme-billing"],
  );
});

test("GIVEN the same consumers in another order or repeated as account id and root ARN WHEN synthesized THEN the policies are the same", () => {
  const withPrincipals = (principals: string[]) => {
    const registry: any = structuredClone(minimalRegistry);
    registry.clients[1].consumerPrincipals = principals;
    return synthEnvironment(registry, "dev").tf.data!.aws_iam_policy_document;
  };
  const one = withPrincipals([GLOBEX_ROLE, "111111111111"]);
  const other = withPrincipals(["arn:aws:iam::111111111111:root", "111111111111", GLOBEX_ROLE]);
  expect(other).toEqual(one);
  expect(one["globex-orders-secret-policy"].statement[0].principals).toEqual([
    { type: "AWS", identifiers: ["arn:aws:iam::111111111111:root", GLOBEX_ROLE] },
  ]);
});
