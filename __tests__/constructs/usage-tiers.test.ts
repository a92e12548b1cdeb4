/** `UsageTiers` alone in a bare stack: one usage plan per tier, metering the stage it is given. */
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { TerraformOutput } from "cdktf";
import { UsageTiers } from "../../stacks/usage-tiers";
import { trialAndPartnerTiers } from "../fixtures/building-blocks";
import { addresses, ref, synthConstruct } from "../support/synth";

/** The tiers of the small fixtures, premium with a second route throttle to show the order. */
const TIERS = {
  basic: trialAndPartnerTiers.basic,
  premium: {
    ...trialAndPartnerTiers.premium,
    routeThrottles: {
      "POST /orders": { rateLimit: 10, burstLimit: 20 },
      "GET /orders/{orderId}": { rateLimit: 30, burstLimit: 40 },
    },
  },
};

// GIVEN two tiers and a stage WHEN the tiers are constructed beside the stage
const { construct: tiers, tf } = synthConstruct((stack) => {
  const stage = new ApiGatewayStage(stack, "stage", { restApiId: "api", deploymentId: "deployment", stageName: "v1" });
  const usageTiers = new UsageTiers(stack, "tiers", {
    planName: (tier) => `m2m-dev-${tier}`,
    tiers: TIERS,
    stage,
    tags: { "m2m:environment": "dev" },
  });
  // What a client of the premium tier would be given.
  new TerraformOutput(stack, "premium-plan", { value: usageTiers.plan("premium").id });
  return usageTiers;
});
const plans = tf.resource.aws_api_gateway_usage_plan;

test("THEN there is one usage plan per tier, addressed by the tier's name", () => {
  expect(addresses(tf).filter((a) => a.startsWith("aws_api_gateway_usage_plan."))).toEqual([
    "aws_api_gateway_usage_plan.basic",
    "aws_api_gateway_usage_plan.premium",
  ]);
});

test("THEN a plan carries its tier's name, description, throttle, quota and tier tag", () => {
  expect(plans.basic).toEqual({
    name: "m2m-dev-basic",
    description: "Trials",
    api_stages: [
      {
        api_id: ref("aws_api_gateway_stage.stage", "rest_api_id"),
        stage: ref("aws_api_gateway_stage.stage", "stage_name"),
      },
    ],
    throttle_settings: { rate_limit: 5, burst_limit: 10 },
    quota_settings: { limit: 1000, period: "DAY" },
    tags: { "m2m:environment": "dev", "m2m:tier": "basic" },
  });
});

test("THEN route throttles are written as API Gateway's <path>/<METHOD>, sorted by route so reordering changes nothing", () => {
  expect(plans.premium.api_stages[0].throttle).toEqual([
    { path: "/orders/{orderId}/GET", rate_limit: 30, burst_limit: 40 },
    { path: "/orders/POST", rate_limit: 10, burst_limit: 20 },
  ]);
  expect(plans.basic.api_stages[0].throttle).toBeUndefined();
});

test("THEN plan() hands out a tier's plan, and refuses a tier that does not exist", () => {
  expect(tf.output!["premium-plan"].value).toBe(ref("aws_api_gateway_usage_plan.premium", "id"));
  expect(() => tiers.plan("gold")).toThrow('Unknown tier "gold"');
});
