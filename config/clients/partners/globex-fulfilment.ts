import { defineClient } from "../../platform";

export default defineClient({
  key: "globex-fulfilment",
  description: "Globex creates and cancels orders for their shops",
  owner: "integrations@globex.example",
  tier: "gold",
  scopes: ["orders/read", "orders/write", "inventory/read", "inventory/reserve"],
  environments: ["dev", "staging", "prod"],
  accessTokenValidityMinutes: 30,
  consumerPrincipals: ["arn:aws:iam::210987654321:role/globex-fulfilment"],
});
