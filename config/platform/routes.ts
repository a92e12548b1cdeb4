/** The routes of the API and the scopes each demands; checked against the environments and scopes. */
import { defineRoutes } from "../define-platform";
import { environments } from "./environments";
import { resourceServers } from "./resource-servers";

/**
 * A route the orders service answers at the same path, in each environment's own deployment of it.
 * Written once here because the four orders routes differ only in method, path and scope.
 */
function ordersRoute(method: "GET" | "POST" | "DELETE", path: string, scope: "orders/read" | "orders/write") {
  const url = {
    dev: `https://orders.dev.example.com${path}`,
    staging: `https://orders.staging.example.com${path}`,
    prod: `https://orders.example.com${path}`,
  };
  return { method, path, scopes: [scope], integration: { type: "http-proxy", url } } as const;
}

export const routes = defineRoutes({ environments, resourceServers }, [
  {
    method: "GET",
    path: "/whoami",
    scopes: [],
    integration: { type: "lambda", function: "whoami" },
    description: "The caller's client id, scopes, API key id and stage",
  },
  ordersRoute("GET", "/orders", "orders/read"),
  ordersRoute("POST", "/orders", "orders/write"),
  ordersRoute("GET", "/orders/{orderId}", "orders/read"),
  ordersRoute("DELETE", "/orders/{orderId}", "orders/write"),
  {
    method: "GET",
    path: "/inventory/items/{sku}",
    scopes: ["inventory/read"],
    integration: { type: "mock", statusCode: 200, body: '{"sku":"demo","available":42}' },
  },
  {
    method: "POST",
    path: "/inventory/items/{sku}/reservations",
    scopes: ["inventory/read", "inventory/reserve"],
    integration: { type: "mock", statusCode: 201, body: '{"reserved":true}' },
  },
]);
