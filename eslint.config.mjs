// ESLint for the whole tree: typescript-eslint's recommended rules, plus the few this code base
// relies on (no floating promises would need type information; tsc --noEmit covers types).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  {
    ignores: ["node_modules/", "cdktf.out/", "terraform-state/", ".tmp/", "coverage/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: {
        // Node.js and jest globals the tree uses; `no-undef` is off for TypeScript (tsc checks it).
        console: "readonly",
        process: "readonly",
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        Buffer: "readonly",
      },
    },
    rules: {
      // Unused names are tsc's job (noUnusedLocals/Parameters), which also knows `_`-prefixed ones.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      eqeqeq: ["error", "always"],
      "no-console": "off",
      "prefer-const": "error",
    },
  },
  {
    // Tests feed the validator and the stacks deliberately untyped values (what a JS module or an
    // `as any` hands over) and read parsed Terraform JSON; `any` is the honest type there. They load
    // modules afresh inside `jest.isolateModules`, which takes a synchronous `require`.
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
