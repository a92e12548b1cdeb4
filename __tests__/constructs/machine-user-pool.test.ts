/** `MachineUserPool` alone in a bare stack: the pool, its token domain and its resource servers. */
import { TerraformOutput } from "cdktf";
import { MachineUserPool, type MachineUserPoolProps } from "../../stacks/machine-user-pool";
import { addresses, ref, synthConstruct } from "../support/synth";

const PROPS: MachineUserPoolProps = {
  poolName: "m2m-dev",
  domainPrefix: "acme-m2m-dev",
  region: "eu-west-1",
  protected: false,
  resourceServers: {
    orders: { name: "Orders API", scopes: { read: "Read orders", write: "Create orders" } },
    stock: { name: "Stock API", scopes: { read: "Read stock" } },
  },
};

/** The pool in a bare stack, with one scope reference written to an output to see what it resolves to. */
function synthPool(props: MachineUserPoolProps) {
  return synthConstruct((stack) => {
    const pool = new MachineUserPool(stack, "users", props);
    new TerraformOutput(stack, "scope", { value: pool.scopeReference("stock/read") });
    return pool;
  });
}

describe("MachineUserPool", () => {
  test("GIVEN two resource servers WHEN constructed THEN one pool, one domain on it and one server per identifier", () => {
    const { tf } = synthPool(PROPS);
    expect(addresses(tf)).toEqual([
      "aws_cognito_resource_server.orders",
      "aws_cognito_resource_server.stock",
      "aws_cognito_user_pool.pool",
      "aws_cognito_user_pool_domain.pool",
    ]);
    expect(tf.resource.aws_cognito_user_pool_domain.pool).toEqual({
      domain: "acme-m2m-dev",
      user_pool_id: ref("aws_cognito_user_pool.pool", "id"),
    });
    expect(tf.resource.aws_cognito_resource_server.orders).toEqual({
      identifier: "orders",
      name: "Orders API",
      user_pool_id: ref("aws_cognito_user_pool.pool", "id"),
      scope: [
        { scope_name: "read", scope_description: "Read orders" },
        { scope_name: "write", scope_description: "Create orders" },
      ],
    });
  });

  test("GIVEN an unprotected pool WHEN constructed THEN it admits no sign-up and may be deleted", () => {
    const { tf } = synthPool(PROPS);
    expect(tf.resource.aws_cognito_user_pool.pool).toEqual({
      name: "m2m-dev",
      admin_create_user_config: { allow_admin_create_user_only: true },
      deletion_protection: "INACTIVE",
      mfa_configuration: "OFF",
      lifecycle: { prevent_destroy: false },
    });
  });

  test("GIVEN a protected pool WHEN constructed THEN Cognito and Terraform both refuse to delete it", () => {
    const pool = synthPool({ ...PROPS, protected: true }).tf.resource.aws_cognito_user_pool.pool;
    expect({ deletion: pool.deletion_protection, lifecycle: pool.lifecycle }).toEqual({
      deletion: "ACTIVE",
      lifecycle: { prevent_destroy: true },
    });
  });

  test("GIVEN a scope WHEN referenced THEN it names its server's identifier, so app clients wait for the server", () => {
    const { construct, tf } = synthPool(PROPS);
    expect(tf.output!.scope.value).toBe(`${ref("aws_cognito_resource_server.stock", "identifier")}/read`);
    expect(construct.tokenUrl).toBe("https://acme-m2m-dev.auth.eu-west-1.amazoncognito.com/oauth2/token");
  });

  test("GIVEN a scope of no server WHEN referenced THEN it is an error naming the scope", () => {
    expect(() =>
      synthConstruct((stack) => new MachineUserPool(stack, "users", PROPS).scopeReference("billing/read")),
    ).toThrow('No resource server defines scope "billing/read"');
  });
});
