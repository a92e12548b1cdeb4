import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { Construct } from "constructs";
import { terraformText, terraformTextMap } from "../model/terraform-text";
import type { RouteKey, TierConfig } from "../config/schema";
import { throttlePath } from "../model/names";

/** Props of {@link UsageTiers}. */
export interface UsageTiersProps {
  /** The usage plan's name of a tier (`awsNames.usagePlan`). */
  readonly planName: (tier: string) => string;
  /** Tiers keyed by name. */
  readonly tiers: Readonly<Record<string, TierConfig>>;
  /** The stage the plans meter. */
  readonly stage: ApiGatewayStage;
  /**
   * Tags of the usage plans.
   * @default - only the provider's default tags
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** One API Gateway usage plan per tier, each metering the environment's stage. */
export class UsageTiers extends Construct {
  private readonly plans = new Map<string, ApiGatewayUsagePlan>();

  constructor(scope: Construct, id: string, props: UsageTiersProps) {
    super(scope, id);
    for (const [name, tier] of Object.entries(props.tiers)) {
      const plan = new ApiGatewayUsagePlan(this, `plan-${name}`, {
        name: terraformText(props.planName(name)),
        description: terraformText(tier.description),
        apiStages: [
          {
            apiId: props.stage.restApiId,
            // The stage resource, not a literal name: a literal races the stage's creation.
            stage: props.stage.stageName,
            throttle: routeThrottles(tier),
          },
        ],
        throttleSettings: { rateLimit: tier.throttle.rateLimit, burstLimit: tier.throttle.burstLimit },
        quotaSettings: { limit: tier.quota.limit, period: tier.quota.period },
        tags: terraformTextMap({ ...props.tags, "m2m:tier": name }),
      });
      plan.overrideLogicalId(name);
      this.plans.set(name, plan);
    }
  }

  /** The usage plan of a tier. */
  plan(tier: string): ApiGatewayUsagePlan {
    const plan = this.plans.get(tier);
    if (!plan) throw new Error(`Unknown tier ${JSON.stringify(tier)}`);
    return plan;
  }
}

function routeThrottles(tier: TierConfig) {
  if (!tier.routeThrottles) return undefined;
  const entries = Object.entries(tier.routeThrottles ?? {}) as [RouteKey, TierConfig["throttle"]][];
  return entries
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([routeKey, throttle]) => {
      const space = routeKey.indexOf(" ");
      return {
        path: terraformText(throttlePath(routeKey.slice(0, space), routeKey.slice(space + 1))),
        rateLimit: throttle.rateLimit,
        burstLimit: throttle.burstLimit,
      };
    });
}
