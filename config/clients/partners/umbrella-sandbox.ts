import { defineClient } from "../../platform";

export default defineClient({
  key: "umbrella-sandbox",
  description: "Umbrella evaluates the API before signing",
  owner: "bd@umbrella.example",
  tier: "bronze",
  scopes: ["orders/read"],
  environments: ["dev"],
  expires: "2027-12-31",
});
