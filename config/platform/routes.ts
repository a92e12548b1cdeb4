/** The routes of the API and the scopes each demands; checked against the environments and scopes. */
import { defineRoutes } from "../define-platform";
import { environments } from "./environments";
import { resourceServers } from "./resource-servers";

export const routes = defineRoutes({ environments, resourceServers }, [
  {
    method: "GET",
    path: "/whoami",
    scopes: [],
    integration: { type: "lambda", function: "whoami" },
    description: "The caller's client id, scopes, API key id and stage",
  },
  {
    method: "GET",
    path: "/orders",
    scopes: ["orders/read"],
    integration: {
      type: "http-proxy",
      url: {
        dev: "https://orders.dev.example.com/orders",
        staging: "https://orders.staging.example.com/orders",
        prod: "https://orders.example.com/orders",
      },
    },
  },
  {
    method: "POST",
    path: "/orders",
    scopes: ["orders/write"],
    integration: {
      type: "http-proxy",
      url: {
        dev: "https://orders.dev.example.com/orders",
        staging: "https://orders.staging.example.com/orders",
        prod: "https://orders.example.com/orders",
      },
    },
  },
  {
    method: "GET",
    path: "/orders/{orderId}",
    scopes: ["orders/read"],
    integration: {
      type: "http-proxy",
      url: {
        dev: "https://orders.dev.example.com/orders/{orderId}",
        staging: "https://orders.staging.example.com/orders/{orderId}",
        prod: "https://orders.example.com/orders/{orderId}",
      },
    },
  },
  {
    method: "DELETE",
    path: "/orders/{orderId}",
    scopes: ["orders/write"],
    integration: {
      type: "http-proxy",
      url: {
        dev: "https://orders.dev.example.com/orders/{orderId}",
        staging: "https://orders.staging.example.com/orders/{orderId}",
        prod: "https://orders.example.com/orders/{orderId}",
      },
    },
  },
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
